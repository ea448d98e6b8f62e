import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeSamples } from '../../electron/lab/runner';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * The renderer end to end: browser mode served in-process over a real Lab (real dockerd), driven by the
 * system Chromium. `npm run build` must have run first (the test command does it).
 */
let bm: BrowserMode;
beforeAll(async () => {
  bm = await startBrowserMode();
});
afterAll(async () => {
  await bm?.close();
});

// The Lab runs in this process, so its containers carry this pid; other sessions' containers on the same
// engine (parallel integration tests) are not this test's business.
const managedContainers = async () =>
  (await bm.lab.docker()).docker.listContainers({ all: true, filters: { label: ['isolab.managed=true', `isolab.owner-pid=${process.pid}`] } });

describe('isolab in Chromium through browser mode', () => {
  it('runs a 3-iteration container benchmark from the UI and shows its result', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
    await expect.poll(() => page.getByTestId('engine-status').getAttribute('class'), { timeout: 30_000 }).toContain('pill-ok');

    await page.getByTestId('target').selectOption('containers');
    await page.getByTestId('iterations').fill('3');
    await page.getByTestId('warmup').fill('1');
    await page.getByTestId('run').click();

    // Live progress, then the result.
    await page.getByTestId('progress').waitFor({ state: 'visible', timeout: 60_000 });
    await expect.poll(() => page.getByTestId('progress').textContent(), { timeout: 60_000 }).toMatch(/of 4/);
    await page.screenshot({ path: path.join(OUT, 'progress.png') });
    await page.getByTestId('result').waitFor({ state: 'visible', timeout: 150_000 });
    await expect.poll(() => page.getByTestId('status').first().textContent()).toBe('complete');

    const table = page.getByTestId('summary-table');
    const phases = await table.locator('tbody th').allTextContents();
    expect(phases).toEqual(['create', 'firstOutput', 'started', 'exit', 'remove', 'total']);
    expect(await table.locator('tbody tr').first().locator('td').first().textContent()).toBe('3');
    expect(await page.getByTestId('baseline-table').locator('tbody th').allTextContents()).toEqual(['spawn', 'firstOutput', 'exit', 'total']);
    await expect.poll(() => page.getByTestId('ratio').textContent()).toMatch(/×/);

    // The total's chart: an svg with 3 container dots, 3 floor dots and a warmup marker for each.
    const total = page.getByTestId('chart-total');
    expect(await total.locator('svg.chart-svg').count()).toBe(1);
    expect(await total.locator('.chart-dot').count()).toBe(8);
    expect(await total.locator('[role=img]').getAttribute('aria-label')).toMatch(/median [\d.,]+\sms/);
    expect(await page.locator('[data-testid^=chart-]').count()).toBe(6);
    // Time to ready is the program's first output, with the engine's answer to the start call after (or before) it.
    expect(await page.getByTestId('ready-card').textContent()).toMatch(/first output.*[\d.,]+\sms.*floor/);
    expect(await page.getByTestId('start-call-lag').textContent()).toMatch(/answered the start call [\d.,]+\sms (later|earlier).* of 3 iterations/);
    expect(await page.getByTestId('ready-clamped').count()).toBe(0);

    await page.screenshot({ path: path.join(OUT, 'bench-light.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.evaluate(() => localStorage.getItem('isolab.theme'))).toBe('dark');
    await page.screenshot({ path: path.join(OUT, 'result-dark.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();

    // Linear scale draws the same samples.
    await page.getByTestId('log-toggle').uncheck();
    expect(await total.locator('.chart-dot').count()).toBe(8);
    await page.getByTestId('result').locator('.chart-grid').screenshot({ path: path.join(OUT, 'charts-linear.png') });

    // The run is listed; French formats its numbers and dates for France.
    await page.goto(`${bm.served.url}#/runs`);
    const rows = page.getByTestId('runs-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('container:');
    await page.screenshot({ path: path.join(OUT, 'runs.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await rows.first().getByRole('link').click();
    await page.getByTestId('result').waitFor({ state: 'visible' });
    expect(page.url()).toMatch(/#\/runs\/\d{8}T/);
    expect(await page.locator('[data-testid^=chart-]').count()).toBe(6);
    await page.goBack();
    await page.getByTestId('language').selectOption('fr');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Mesures');
    // Thousands grouped with a (narrow) no-break space, decimals after a comma: 1 354 ms, 87,5 ms.
    expect(await rows.first().locator('td.num').nth(1).textContent()).toMatch(/^\d{1,3}(?:[\u00a0\u202f]\d{3})*(?:,\d+)?\u202fms$/);
    expect(await page.evaluate(() => localStorage.getItem('isolab.language'))).toBe('fr');
    await page.getByTestId('language').selectOption('en');

    expect(errors).toEqual([]);
    expect(await managedContainers()).toEqual([]);
    await page.close();
  });

  it('cancels a run from the UI, keeps what was measured, and leaves no container behind', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
    await expect.poll(() => page.getByTestId('engine-status').getAttribute('class'), { timeout: 30_000 }).toContain('pill-ok');
    await page.getByTestId('iterations').fill('500');
    await page.getByTestId('warmup').fill('0');
    await page.getByTestId('run').click();
    // Cancel once a few timed iterations are in, so the partial result has samples to show.
    await expect.poll(() => page.getByTestId('progress').textContent(), { timeout: 60_000 }).toMatch(/Iteration\s*3 of 500/);
    await page.getByTestId('cancel').click();
    await page.getByTestId('result').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('status').first().textContent()).toBe('cancelled');
    expect(await page.getByTestId('summary-table').locator('tbody tr').count()).toBe(6);
    expect(await managedContainers()).toEqual([]);

    // Delete it from the Runs page, through the confirm step.
    await page.goto(`${bm.served.url}#/runs`);
    const rows = page.getByTestId('runs-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const row = rows.filter({ hasText: 'cancelled' });
    await row.getByRole('button', { name: /delete run/i }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('complete');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows why a run failed (an image that is not on the engine)', async () => {
    const { page } = await bm.open(`${bm.served.url}#/bench`);
    await expect.poll(() => page.getByTestId('engine-status').getAttribute('class'), { timeout: 30_000 }).toContain('pill-ok');
    await page.getByLabel('Image').fill('isolab-e2e/not-on-this-engine:1');
    await page.getByTestId('iterations').fill('2');
    await page.getByTestId('run').click();
    // The engine's reason, whole, whether it comes with the saved run or only with the run-finished event.
    const alert = page.getByRole('alert').filter({ hasText: 'is not on this engine' });
    await alert.first().waitFor({ state: 'visible', timeout: 60_000 });
    expect(await alert.first().textContent()).toContain('docker pull isolab-e2e/not-on-this-engine:1');
    expect(await page.getByTestId('summary-table').count()).toBe(0);
    expect(await page.getByTestId('run').isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(OUT, 'failed.png') });
    expect(await managedContainers()).toEqual([]);
    await page.close();
  });

  it('refuses a wrong token and says so on the page', async () => {
    const wrong = bm.served.url.replace(/token=[^&#]+/, 'token=not-the-token');
    const { page } = await bm.open(`${wrong}#/bench`);
    const banner = page.getByTestId('engine-error');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await banner.textContent()).toContain('cannot reach the isolab server');
    await page.screenshot({ path: path.join(OUT, 'connection-error.png') });
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    expect(await page.getByTestId('engine-status').textContent()).toBe('Not connected');
    await page.close();
  });

  it("still shows a run recorded before the first output was kept apart from the start call's answer", async () => {
    const marks = (i: number) => ({ create: 8 + i, start: 150 + i, firstOutput: 150 + i, exit: 175 + i, remove: 182 + i });
    const samples = [0, 1, 2].map((i) => {
      const m = marks(i);
      return { iteration: i + 1, warmup: false, marks: m, phases: { create: m.create, start: m.start - m.create, firstOutput: 0, exit: m.exit - m.firstOutput, remove: m.remove - m.exit }, totalMs: m.remove };
    });
    const old: Run = {
      schema: RUN_SCHEMA, id: '20261101T000000000Z-container-engine-0ld0', kind: 'bench:containers', model: 'container:runc', status: 'complete',
      startedAt: '2026-11-01T00:00:00.000Z', environment: { host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 2 ** 30 }, isolabVersion: '0.1.0' },
      plan: { target: 'containers', iterations: 3, warmup: 0 }, phaseOrder: ['create', 'start', 'firstOutput', 'exit', 'remove'], samples,
      summary: summarizeSamples(samples, ['create', 'start', 'firstOutput', 'exit', 'remove']), notes: [],
    };
    await bm.lab.store.save(old);
    const { page, errors } = await bm.open(`${bm.served.url}#/runs/${old.id}`);
    await page.getByTestId('ready-card').waitFor({ state: 'visible' });
    expect(await page.getByTestId('ready-card').textContent()).toContain('151');
    expect(await page.getByTestId('ready-clamped').textContent()).toMatch(/pinned to the engine's answer/);
    expect(await page.getByTestId('start-call-lag').count()).toBe(0);
    expect(await page.getByTestId('summary-table').locator('tbody th').allTextContents()).toEqual(['create', 'start', 'firstOutput', 'exit', 'remove', 'total']);
    await page.screenshot({ path: path.join(OUT, 'old-run.png'), fullPage: true });
    expect(errors).toEqual([]);
    await bm.lab.store.delete(old.id);
    await page.close();
  });

  it('hides Run, Cancel and Delete from a read-only viewer (?audience=1)', async () => {
    const { page } = await bm.open(bm.served.url.replace('?', '?audience=1&') + '#/runs');
    await page.getByTestId('runs-table').waitFor({ state: 'visible' });
    expect(await page.getByRole('button', { name: /delete/i }).count()).toBe(0);
    await page.goto(bm.served.url.replace('?', '?audience=1&') + '#/bench');
    await page.getByText('Read-only viewer').waitFor();
    expect(await page.getByTestId('run').count()).toBe(0);
    await page.close();
  });
});
