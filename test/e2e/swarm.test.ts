import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwarmDoc } from '../../shared/swarm';
import { GWBRIDGE, isRole } from '../../electron/lab/swarm/labels';
import { leaveSwarm, swarmInfo } from '../../electron/lab/swarm/state';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * The Swarm panel end to end: browser mode over a real Lab and the real engine, driven by Chromium. It is the
 * UI's consent path: the engine refuses without consent, the page asks, the user accepts, the run creates a
 * single-node swarm and leaves the engine as it found it (no swarm, no docker_gwbridge).
 */
let bm: BrowserMode;
const networks = async () => (await (await bm.lab.docker()).docker.listNetworks()).map((n) => n.Name).sort();
let before: { swarm: string; networks: string[]; bridgeLink: boolean };

beforeAll(async () => {
  bm = await startBrowserMode();
  const docker = (await bm.lab.docker()).docker;
  const info = await swarmInfo(docker);
  // Never on someone else's swarm: the run would use it, and the consent path would not be the one tested.
  if (info.LocalNodeState !== 'inactive') throw new Error(`the Docker engine is in a swarm (${info.LocalNodeState}) this test did not create: leave it first, or point DOCKER_HOST at another engine`);
  before = { swarm: info.LocalNodeState, networks: await networks(), bridgeLink: readdirSync('/sys/class/net').includes(GWBRIDGE) };
  expect(before.networks).not.toContain(GWBRIDGE);
});

afterAll(async () => {
  // A safety net only: the run restores the engine itself, and the test asserts that it did.
  const docker = bm ? (await bm.lab.docker()).docker : undefined;
  if (docker && (await swarmInfo(docker).catch(() => undefined))?.LocalNodeState === 'active') {
    const swarm = (await docker.swarmInspect().catch(() => undefined)) as { Spec?: { Labels?: Record<string, string> } } | undefined;
    if (isRole(swarm?.Spec?.Labels, 'swarm')) await leaveSwarm(docker).catch(() => {});
  }
  await bm?.close();
});

describe('the Swarm panel in Chromium', () => {
  it('asks before it creates a swarm, runs a 1-round bench after consent, shows its figures, and leaves the engine as found', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
    await expect.poll(() => page.getByTestId('engine-status').getAttribute('class'), { timeout: 30_000 }).toContain('pill-ok');
    await page.getByTestId('target').selectOption('swarm');
    await page.getByTestId('swarm-panel').waitFor({ state: 'visible' });
    await page.getByTestId('swarm-replicas').fill('2');
    await page.getByTestId('swarm-scaleTo').fill('3');
    await page.getByTestId('swarm-rounds').fill('1');
    await page.getByTestId('swarm-warmup').fill('0');
    await page.getByTestId('swarm-start').click();

    // The engine refused without consent: the page says what isolab would do, and nothing was created yet.
    const consent = page.getByTestId('swarm-consent');
    await consent.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await consent.textContent()).toMatch(/docker swarm init --advertise-addr 127\.0\.0\.1.*docker_gwbridge.*no traffic.*leave the swarm/s);
    expect((await swarmInfo((await bm.lab.docker()).docker)).LocalNodeState).toBe('inactive');
    expect(await bm.lab.listSwarm()).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'swarm-consent.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('swarm-consent-accept').click();
    await page.getByTestId('swarm-progress').waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByTestId('swarm-result').waitFor({ state: 'visible', timeout: 240_000 });
    expect(await page.getByTestId('swarm-result').textContent()).toMatch(/Status complete/);

    const stages = page.getByTestId('swarm-stages');
    const rows = await stages.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-stage')));
    for (const key of ['task', 'create', 'scale', 'rm', 'bare']) expect(rows).toContain(key);
    expect(await stages.locator('tr[data-stage=create] td').first().textContent()).toMatch(/[\d.,]+\sms/);
    expect(await stages.locator('tr[data-stage=task] td').nth(2).textContent()).toBe('2');
    const ratios = page.getByTestId('swarm-ratios');
    expect(await ratios.locator('tbody tr').count()).toBe(3);
    expect(await ratios.locator('tr[data-ratio=allRunning] td').first().textContent()).toMatch(/×/);
    await page.screenshot({ path: path.join(OUT, 'swarm-result.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // The document the page read: the swarm isolab created, and left.
    const [item] = await bm.lab.listSwarm();
    const doc = SwarmDoc.parse(await bm.lab.getSwarm(item.id));
    expect(doc.status).toBe('complete');
    expect(doc.swarm).toMatchObject({ created: true, restored: true, gwbridge: 'created' });

    // The engine as found: no swarm, no docker_gwbridge (network or link), the same networks.
    const docker = (await bm.lab.docker()).docker;
    expect((await swarmInfo(docker)).LocalNodeState).toBe('inactive');
    expect(await networks()).toEqual(before.networks);
    expect(readdirSync('/sys/class/net').includes(GWBRIDGE)).toBe(before.bridgeLink);
    expect(errors).toEqual([]);
  });

  it('lists the earlier benches after a reload and opens one on demand', async () => {
    const [item] = await bm.lab.listSwarm();
    expect(item).toBeDefined();
    const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
    await page.getByTestId('target').selectOption('swarm');
    const history = page.getByTestId('swarm-history');
    await history.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await history.locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('swarm-result').count()).toBe(0);
    await page.getByTestId(`swarm-open-${item.id}`).click();
    await history.getByTestId('swarm-result').waitFor({ state: 'visible' });
    expect(await history.getByTestId('swarm-result').textContent()).toMatch(/Status complete/);
    await page.screenshot({ path: path.join(OUT, 'swarm-history.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
