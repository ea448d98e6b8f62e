import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../electron/lab/remote/knownHosts';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from '../e2e/browserMode';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

// The Hosts page through browser mode and Chromium, against the loopback sshd: a host from ~/.ssh/config,
// the fingerprint prompt, accepting it, running the probes; a changed key refused. `npm run build` first.
let sshd: SshdFixture;
let bm: BrowserMode;
const savedHome = process.env.HOME;
const kh = () => path.join(sshd.home, '.ssh', 'known_hosts');

beforeAll(async () => {
  sshd = await startSshd({ alias: 'page-vm' });
  process.env.HOME = sshd.home;
  // The loopback sshd is this machine: should it ever carry Azure's asset tag, IMDS must still not be asked.
  process.env.ISOLAB_IMDS = 'off';
  bm = await startBrowserMode();
});
afterAll(async () => {
  await bm?.close();
  await sshd?.stop();
  process.env.HOME = savedHome;
  delete process.env.ISOLAB_IMDS;
});

describe('Hosts page', () => {
  it('test, check the fingerprint, accept it, run the probes', async () => {
    writeFileSync(kh(), '');
    const { page, errors } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    const card = page.getByTestId('host-page-vm');
    await card.getByTestId('test-host').click();
    const prompt = card.getByTestId('fingerprint-prompt');
    await prompt.waitFor();
    const fp = fingerprint(Buffer.from(sshd.hostKeyLine.split(' ')[1], 'base64'));
    expect(await prompt.textContent()).toContain(fp);
    expect(await axeViolations(page)).toEqual([]);
    expect(readFileSync(kh(), 'utf8')).toBe('');
    await card.getByTestId('accept-key').click();
    await card.getByText('Connected').waitFor();
    expect(readFileSync(kh(), 'utf8')).toMatch(/^\|1\|/);
    await card.getByTestId('probe-host').click();
    const result = card.getByTestId('host-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await result.textContent()).toContain(`${sshd.user}@127.0.0.1:${sshd.port}`);
    expect(await result.textContent()).toMatch(/Connect\s*[\d.,]+\s*ms/);
    // Side by side, like with like: the host's SSH latency sits in a table of SSH latencies, labelled as such.
    const ssh = page.getByTestId('compare-ssh');
    await ssh.waitFor();
    expect(await ssh.locator('thead').textContent()).toContain('Median connect + one command');
    expect(await ssh.locator('tbody').textContent()).toContain('host:page-vm');
    expect(await page.getByTestId('hosts-compare').textContent()).not.toMatch(/Median total/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'hosts-probe.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a probe under way can be cancelled: the run ends cancelled and the page says so', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const { page, errors } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    const card = page.getByTestId('host-page-vm');
    await card.getByTestId('test-host').click();
    await card.getByText('Connected').waitFor();
    // The container suite keeps the bench busy long enough to be cancelled mid-way.
    await card.getByText('Also run the container suite').click();
    await card.getByTestId('probe-host').click();
    await card.getByTestId('cancel-probe').click();
    await card.getByTestId('probe-cancelled').waitFor({ timeout: 60_000 });
    expect(await card.getByTestId('probe-host').isDisabled()).toBe(false);
    expect((await bm.lab.info()).activeJobs.filter((j) => j.kind === 'host-bench')).toEqual([]);
    expect(await card.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a changed host key is refused with a warning, and the probes stay disabled', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHWFYdMbNQMNz0fMMoyQdBBVo8/vNo4OqX+ZeLGVxdn2\n`);
    const { page } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    const card = page.getByTestId('host-page-vm');
    await card.getByTestId('test-host').click();
    await card.getByText('Host key changed').waitFor();
    expect(await card.getByRole('alert').textContent()).toMatch(/CHANGED/);
    expect(await card.getByTestId('probe-host').isDisabled()).toBe(true);
  });

  it('adding a host checks what was typed', async () => {
    const { page } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    await page.getByTestId('host-name').fill('loop2');
    await page.getByTestId('host-target').fill('root@127.0.0.1;reboot');
    await page.getByTestId('add-host').click();
    await page.getByText(/letters, digits/).waitFor();
    await page.getByTestId('host-target').fill(`${sshd.user}@127.0.0.1:${sshd.port}`);
    await page.getByTestId('host-identity').fill(sshd.identity);
    await page.getByTestId('add-host').click();
    await page.getByTestId('host-loop2').waitFor();
  });

  it('probe all: every host reports on its own line; an unreachable one fails alone', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    await bm.lab.saveHost({ name: 'dead', target: `${sshd.user}@127.0.0.1:1` });
    const { page, errors } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    await page.getByTestId('host-dead').waitFor();
    await page.getByTestId('probe-all').click();
    const list = page.locator('.hosts-fleet');
    await list.getByText('failed').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => document.querySelectorAll('.hosts-fleet .badge-ok').length === 2, undefined, { timeout: 60_000 });
    expect(await list.textContent()).toMatch(/dead\s*failed.*connection refused/);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('compare all: one comparison per host, started at once; an unreachable one fails alone, the others can be cancelled', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const { page, errors } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    await page.getByTestId('host-dead').waitFor();
    await page.getByTestId('compare-all').click();
    const list = page.getByTestId('compare-all-list');
    await list.locator('li', { hasText: 'dead' }).getByText('failed').waitFor({ timeout: 60_000 });
    await list.locator('li', { hasText: 'page-vm' }).getByText(/comparing|complete/).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('compare-all').isDisabled()).toBe(true);
    // Every comparison has its document: a link per host; then the running ones are cancelled (no 90 s budget here).
    expect(await list.getByRole('link').count()).toBe(await list.locator('li').count());
    for (const j of (await bm.lab.info()).activeJobs.filter((x) => x.kind === 'compare')) await bm.lab.cancelJob(j.id);
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="compare-all-list"] .badge')].some((b) => /comparing|starting/.test(b.textContent ?? '')), undefined, { timeout: 60_000 });
    expect(await page.getByTestId('compare-all').isDisabled()).toBe(false);
    // page-vm and loop2 are one machine: one was measuring, the other waiting; both end cancelled, not failed.
    for (const h of ['page-vm', 'loop2']) expect(await list.locator('li', { hasText: h }).locator('.badge').textContent()).toMatch(/cancelled|complete/);
    const ids = await list.getByRole('link').evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute('href')!.split('/').pop()!)));
    for (const id of ids) expect((await bm.lab.getComparison(id)).id).toBe(id);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'hosts-compare-all.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('a fleet: saved from the page with the hosts ticked, listed after a reload, compared member by member only', async () => {
    const { page, errors } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    await page.getByTestId('fleets').waitFor();
    // No host ticked: refused on the page, nothing saved.
    await page.getByTestId('fleet-name').fill('edge');
    await page.getByTestId('fleet-save').click();
    await page.getByTestId('fleets').getByRole('alert').getByText(/at least one host/).waitFor();
    expect(await bm.lab.listFleets()).toEqual([]);
    await page.getByTestId('fleet-member-dead').check();
    await page.getByTestId('fleet-save').click();
    await page.getByTestId('fleet-edge').waitFor();
    expect(await bm.lab.listFleets()).toEqual([{ name: 'edge', hosts: ['dead'] }]);
    await page.reload();
    await page.getByTestId('compare-fleet-edge').click();
    const list = page.getByTestId('compare-all-list');
    await list.locator('li', { hasText: 'dead' }).getByText('failed').waitFor({ timeout: 60_000 });
    // Only the fleet's member was compared.
    expect(await list.locator('li').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'hosts-fleets.png'), fullPage: true });
    await bm.lab.removeFleet('edge');
    expect(errors).toEqual([]);
  });

  it('an encrypted key: the page says why the passphrase cannot be remembered (no keychain here; basic_text is not encryption)', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    await bm.lab.saveHost({ name: 'enc', target: `${sshd.user}@127.0.0.1:${sshd.port}`, identityFile: sshd.encryptedIdentity });
    const { page, errors } = await bm.open(bm.served.url.replace(/#.*$/, '') + '#/hosts');
    const card = page.getByTestId('host-enc');
    await card.getByTestId('test-host').click();
    await card.getByText('Passphrase needed').waitFor();
    expect(await card.getByTestId('remember-passphrase').isDisabled()).toBe(true);
    expect(await card.getByTestId('passphrase-note').textContent()).toMatch(/No system keychain is available/);
    // The desktop app on Linux without a keyring: safeStorage answers, on its basic_text backend.
    bm.lab.hosts.useSecrets({
      isEncryptionAvailable: () => true,
      encryptString: (t) => Buffer.from(t),
      decryptString: (b) => b.toString(),
      getSelectedStorageBackend: () => 'basic_text',
    });
    await card.getByTestId('test-host').click();
    await card.getByText(/basic_text/).waitFor();
    expect(await card.getByTestId('remember-passphrase').isDisabled()).toBe(true);
    expect(await card.getByTestId('passphrase-note').textContent()).toMatch(/"basic_text" backend, which is not encryption/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'hosts-passphrase-basic-text.png'), fullPage: true });
    expect(errors).toEqual([]);
    await bm.lab.removeHost('enc');
  });
});
