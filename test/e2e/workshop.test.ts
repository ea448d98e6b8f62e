import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Served } from '../../electron/serve';
import { axeViolations, OUT, RENDERER, ROOT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * Workshop mode in Chromium through browser mode: the presenter runs the race from the keyboard in the
 * full-window view while an audience page (the read-only token of `isolab serve --audience`) follows it
 * live; then the density and "what is shared" demos; English and French; axe on every view.
 */
let bm: BrowserMode;
let srv: Served;
beforeAll(async () => {
  process.env.ISOLAB_VM_KERNEL ??= execFileSync('bash', [path.join(ROOT, 'test/fixtures/vm-kernel.sh')], { encoding: 'utf8' }).trim();
  bm = await startBrowserMode();
  // The shared fixture serves without an audience token; a second server over the same Lab has one.
  const { serve } = await import('../../electron/serve');
  srv = await serve({ lab: bm.lab, rendererDir: RENDERER, port: 0, audience: true });
});
afterAll(async () => {
  await srv?.close();
  await bm?.close();
});

const managed = async () => (await bm.lab.docker()).docker.listContainers({ all: true, filters: { label: ['isolab.managed=true', `isolab.owner-pid=${process.pid}`] } });

describe('workshop mode', () => {
  it('the presenter runs the race from the keyboard and the audience view follows it live', async () => {
    const { page, errors } = await bm.open(`${srv.url}#/workshop`);
    const audience = await bm.open(`${srv.audienceUrl}#/workshop`);
    await page.getByRole('heading', { level: 1, name: 'Workshop' }).waitFor();
    await audience.page.getByTestId('audience-banner').waitFor();
    // Read-only: no controls for the audience, and the engine refuses its calls that act.
    expect(await audience.page.getByTestId('race-start').count()).toBe(0);
    expect(await audience.page.getByTestId('present').count()).toBe(0);
    await expect(audience.page.evaluate(() => (window as unknown as { isolab?: unknown }).isolab)).resolves.toBeUndefined();
    expect(await axeViolations(page)).toEqual([]);
    expect(await axeViolations(audience.page)).toEqual([]);

    await page.getByTestId('race-count').fill('6');
    await page.getByTestId('present').click();
    const presenter = page.getByTestId('presenter');
    await presenter.waitFor();
    expect(await page.getByTestId('presenter-keys').textContent()).toMatch(/Space.*Esc/);
    await page.keyboard.press(' ');

    // Live: both views show the race under way with the same lanes.
    await audience.page.getByTestId('race-timeline').waitFor({ timeout: 60_000 });
    await expect.poll(() => audience.page.locator('[data-lane]').count()).toBe(7);
    await expect.poll(() => audience.page.locator('[data-lane="c1"] rect').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.screenshot({ path: path.join(OUT, 'workshop-race-live-en.png') });
    await audience.page.screenshot({ path: path.join(OUT, 'audience-live-en.png') });

    // Done: the same figures in both, from the engine's summary.
    // Waits for the race to end however it ends; a failed one fails here with the engine's reason and marks.
    await expect.poll(async () => (await bm.lab.raceState())?.status, { timeout: 150_000 }).not.toBe('running');
    const ended = (await bm.lab.raceState())!;
    expect(ended.status, JSON.stringify({ error: ended.error, marks: ended.marks, load: os.loadavg() })).toBe('complete');
    const s = ended.summary!;
    await expect.poll(() => page.locator('.race-verdict').count()).toBe(1);
    await expect.poll(() => audience.page.locator('.race-verdict').count()).toBe(1);
    const vmText = await page.getByTestId('race-vm-ssh').textContent();
    expect(vmText).toMatch(/[\d,.]+\s?ms/);
    expect(await audience.page.getByTestId('race-vm-ssh').textContent()).toBe(vmText);
    expect(await audience.page.getByTestId('race-container-median').textContent()).toBe(await page.getByTestId('race-container-median').textContent());
    expect(s.vmSshMs!).toBeGreaterThan(s.containerReadyMedianMs!);
    expect(s.containerKernel).toBe(os.release());
    console.log(`race: containers median ready ${s.containerReadyMedianMs!.toFixed(0)} ms (max ${s.containerReadyMaxMs!.toFixed(0)}), VM spawn to SSH ${s.vmSshMs!.toFixed(0)} ms (${s.vmAccel}), ${s.containersReadyBeforeVm}/${s.containers} before the VM; kernels host ${s.hostKernel} container ${s.containerKernel} vm ${s.vmKernel}`);
    await page.screenshot({ path: path.join(OUT, 'workshop-race-en.png') });
    await audience.page.screenshot({ path: path.join(OUT, 'audience-en.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(await axeViolations(audience.page)).toEqual([]);
    expect(await managed()).toEqual([]);

    // → density: Space measures; → what is shared: Space asks.
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('density-demo').waitFor();
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('density-fits-Containers').textContent(), { timeout: 60_000 }).toMatch(/\d+ fit/);
    expect(await page.getByTestId('density-fits-VMs').textContent()).toMatch(/\d+ fit/);
    await page.screenshot({ path: path.join(OUT, 'workshop-density-en.png') });
    expect(await axeViolations(page)).toEqual([]);
    // The audience follows to the density demo and shows the same result.
    await audience.page.getByTestId('density-demo').waitFor();
    await expect.poll(() => audience.page.getByTestId('density-fits-Containers').textContent()).toBe(await page.getByTestId('density-fits-Containers').textContent());
    await audience.page.screenshot({ path: path.join(OUT, 'audience-density-en.png') });

    await page.keyboard.press('ArrowRight');
    await page.getByTestId('shared-demo').waitFor();
    // The last race already answered: the container's kernel is the host's, the VM's is its own.
    expect(await page.getByTestId('kernel-container').textContent()).toBe(os.release());
    expect(await page.getByTestId('kernel-vm').textContent()).toBe(s.vmKernel);
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('shared-ask').isEnabled(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('kernel-host').textContent()).toBe(os.release());
    await page.screenshot({ path: path.join(OUT, 'workshop-shared-en.png') });
    expect(await axeViolations(page)).toEqual([]);
    await audience.page.getByTestId('shared-demo').waitFor();
    await expect.poll(() => audience.page.getByTestId('kernel-container').textContent()).toBe(os.release());
    expect(await audience.page.getByTestId('kernel-vm').textContent()).toBe(s.vmKernel);
    expect(await axeViolations(audience.page)).toEqual([]);
    expect(await managed()).toEqual([]);

    // Esc leaves the presenter view.
    await page.keyboard.press('Escape');
    await presenter.waitFor({ state: 'detached' });
    await page.getByTestId('present').waitFor();

    // French, for presenter and audience (one browser profile: the choice is remembered for both).
    await page.getByTestId('language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Atelier' }).waitFor();
    await page.getByTestId('demo-race').click();
    await audience.page.getByTestId('race-demo').waitFor();
    expect(await page.getByTestId('race-vm-ssh').textContent()).toMatch(/^[\d\s\u202f]+(,\d+)?\s?ms$/);
    await page.screenshot({ path: path.join(OUT, 'workshop-fr.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: path.join(OUT, 'workshop-fr-dark.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();
    await audience.page.reload();
    await audience.page.getByRole('heading', { level: 1, name: 'Atelier' }).waitFor();
    // A reload catches up from the engine's state: the finished race is still drawn.
    await audience.page.locator('.race-verdict').waitFor();
    await audience.page.screenshot({ path: path.join(OUT, 'audience-fr.png'), fullPage: true });
    await page.getByTestId('language').selectOption('en');
    expect(errors).toEqual([]);
    expect(audience.errors).toEqual([]);
  });

  it('a race stopped from the presenter view leaves nothing behind, and the audience sees it stopped', async () => {
    const { page } = await bm.open(`${srv.url}#/workshop`);
    const audience = await bm.open(`${srv.audienceUrl}#/workshop`);
    await page.getByTestId('present').click();
    await page.getByTestId('race-count').fill('3');
    await page.getByTestId('presenter').focus();
    await page.keyboard.press(' ');
    await expect.poll(async () => (await bm.lab.raceState())?.marks.some((m) => m.lane === 'vm' && m.phase === 'firmware'), { timeout: 60_000 }).toBe(true);
    await page.keyboard.press(' ');
    await expect.poll(async () => (await bm.lab.raceState())?.status, { timeout: 60_000 }).toBe('cancelled');
    await audience.page.getByText('The race was stopped').waitFor();
    expect(await managed()).toEqual([]);
    // The VM's QEMU carries -name isolab-<race id>-…: none is left.
    const raceId = (await bm.lab.raceState())!.raceId;
    expect(execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes(`isolab-${raceId}`))).toEqual([]);
  });
});
