import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api';
import type { Comparison } from '../../shared/compare';
import { axeViolations, compareEveryModel, OUT, startBrowserMode, useSetupVmKernel, type BrowserMode } from './browserMode';

/**
 * The Compare page in Chromium through browser mode, showing a real comparison of every model this host has:
 * the floor, each engine runtime, the raw OCI runtimes and a booted QEMU guest, with footprint and density.
 * The plan is light (3 iterations, 3 idle instances, one round) so the whole host fits in a couple of minutes.
 */
let bm: BrowserMode;
let cmp: Comparison;
beforeAll(async () => {
  useSetupVmKernel();
  bm = await startBrowserMode();
  cmp = await compareEveryModel(bm.lab, 'every model, light', { iterations: 3, warmup: 1, instances: 3, settleMs: 300, rounds: 1, density: 4 });
}, 420_000);
afterAll(async () => {
  await bm?.close();
});

const row = (model: string) => cmp.models.find((m) => m.model === model);

describe('the Compare page', () => {
  it('shows every model of this host side by side, with the reason for those that cannot run', async () => {
    expect(cmp.status).toBe('complete');
    // What the page must show: the floor, runc through the engine, runc on a bundle and the VM all measured.
    for (const m of ['process', 'container:runc', 'oci:runc']) expect(row(m)?.status, m).toBe('ok');
    const vm = cmp.models.find((m) => m.model.startsWith('vm:'));
    expect(vm?.status, vm?.error).toBe('ok');

    const { page, errors } = await bm.open(`${bm.served.url}#/compare/${cmp.id}`);
    const table = page.getByTestId('models-table');
    await table.waitFor();
    for (const m of cmp.models) {
      const tr = table.locator(`tr[data-model="${m.model}"]`);
      await expect.poll(() => tr.count(), { message: m.model }).toBe(1);
      const text = (await tr.textContent()) ?? '';
      if (m.status === 'ok') {
        expect(text, m.model).toMatch(/measured/);
        expect(text, m.model).toMatch(/\d+(\.\d+)?\s*(ms|s)/);
      } else {
        // Not hidden: the row says so, and why.
        expect(text, m.model).toMatch(/cannot run here|failed/);
        expect(text.length, m.model).toBeGreaterThan(40);
      }
    }
    // The floor is 1×; the VM is slower to be ready than runc is, on any host.
    expect(await table.locator('tr[data-model="process"] td').nth(1).textContent()).toMatch(/^1(\.0)?×/);
    expect(vm!.startup!.ready.median).toBeGreaterThan(row('container:runc')!.startup!.ready.median);
    // The VM's row brings the memory its own benchmark measured (QEMU's PSS), not a dash.
    expect(await table.locator(`tr[data-model="${vm!.model}"] td`).nth(5).textContent()).toMatch(/MiB/);

    // What the adaptive plan decided is on the page: the order the models took turns in, each figure's stop.
    // This plan fixes its counts, so they are kept and said to be fixed.
    await expect.poll(() => page.getByTestId('precision-order').getAttribute('data-order')).toBe('pilot-first');
    const precision = page.getByTestId('precision-table');
    expect(await precision.locator('tr[data-model="process"][data-figure="startup"]').getAttribute('data-stop')).toBe('fixed-count');
    expect(await precision.locator('tr[data-model="process"][data-figure="startup"]').textContent()).toMatch(/fixed count/);
    // Runtimes that are the same program are measured once, and shown once with every name.
    const runc = row('container:runc')!;
    if (runc.aliases?.length) expect(await table.locator('tr[data-model="container:runc"]').getByTestId('aliases').textContent()).toContain(runc.aliases[0]);
    // The VM's density joins the comparison: the density chart has every model.
    expect(vm!.density?.steps.length, vm!.notes.join('\n')).toBeGreaterThanOrEqual(1);

    for (const id of ['chart-startup', 'chart-phases', 'chart-memory', 'chart-density']) {
      await expect.poll(() => page.getByTestId(id).locator('svg.recharts-surface').count(), { message: id }).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(OUT, 'compare.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('follows a comparison under way from its events, without polling, through a reload, to its cancel', async () => {
    const { comparisonId } = await bm.lab.startCompare({ plan: { name: 'live', models: ['process'], startup: { iterations: 5000, warmup: 0 }, footprint: false } });
    try {
      const { page, errors } = await bm.open(`${bm.served.url}#/compare/${comparisonId}`);
      const reads: number[] = [];
      page.on('websocket', (ws) => ws.on('framesent', (f) => String(f.payload).includes('"getComparison"') && reads.push(Date.now())));
      await page.reload(); // the listener sees this page's socket from its first frame; a reload must recover too
      const iteration = page.getByTestId('compare-progress-iteration');
      await iteration.waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('compare-progress-model').textContent()).toBe('process');
      // The iteration moves with the events while the page asks for the document no more.
      const seen = new Set<string>();
      await expect.poll(async () => seen.add((await iteration.textContent()) ?? '').size, { timeout: 30_000 }).toBeGreaterThan(2);
      await page.waitForTimeout(5000); // two polling periods of the old page
      expect(reads.length, 'getComparison reads while one model runs').toBeLessThanOrEqual(2);
      expect([...seen].every((t) => /^\d+ of 5000/.test(t))).toBe(true);
      await page.screenshot({ path: path.join(OUT, 'compare-live.png'), fullPage: true });

      await page.getByTestId('compare-cancel').click();
      await expect.poll(() => page.getByTestId('comparison').getByTestId('status').first().textContent(), { timeout: 60_000 }).toMatch(/cancelled/i);
      expect(await page.getByTestId('compare-progress').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await bm.lab.cancelCompare(comparisonId);
    }
  });

  it('shows the first model\'s figure within seconds of the start, then the others one by one', async () => {
    // Small and cheap: two models, startup only, a 12 s budget. Figures are printed; what is asserted is the order.
    // The page is loaded first (on the Compare home) and follows the comparison's hash as soon as it has an id.
    const page = await bm.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // In the page, from its first script on: how many models show a median, each time that number changes.
    await page.addInitScript(() => {
      const w = window as unknown as { filled: { at: number; n: number }[] };
      w.filled = [];
      const count = () => [...document.querySelectorAll('[data-testid="models-table"] tr[data-model]')].filter((tr) => /\d\s*ms/.test(tr.querySelector('td.num')?.textContent ?? '')).length;
      new MutationObserver(() => {
        const n = count();
        if (n !== (w.filled.at(-1)?.n ?? 0)) w.filled.push({ at: performance.now(), n });
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(`${bm.served.url}#/compare`);
    await page.locator('#main').waitFor();
    const events: { at: number; e: LabEvent }[] = [];
    const off = bm.lab.onEvent((e) => events.push({ at: Date.now(), e }));
    const t0 = Date.now();
    const { comparisonId } = await bm.lab.startCompare({ plan: { name: 'first figure early', models: ['process', 'container:runc'], footprint: false, density: false }, budget: '12s' });
    try {
      await page.evaluate((id) => void (location.hash = `#/compare/${id}`), comparisonId);
      const ours = (e: LabEvent) => 'comparisonId' in e && e.comparisonId === comparisonId;
      await expect.poll(() => events.some(({ e }) => e.type === 'compare-finished' && ours(e)), { timeout: 90_000 }).toBe(true);
      const at = (f: (e: LabEvent) => boolean) => events.find(({ e }) => ours(e) && f(e))?.at;
      const firstFigure = at((e) => e.type === 'compare-figure')!;
      const finished = at((e) => e.type === 'compare-finished')!;
      // The page may still be re-reading the last save.
      await expect.poll(() => page.evaluate(() => (window as unknown as { filled: { n: number }[] }).filled.at(-1)?.n)).toBe(2);
      const { filled, origin } = await page.evaluate(() => ({ filled: (window as unknown as { filled: { at: number; n: number }[] }).filled, origin: performance.timeOrigin }));
      const drawn = (n: number) => Math.round(origin + filled.find((f) => f.n >= n)!.at);
      const s = (ms: number) => `${((ms - t0) / 1000).toFixed(1)} s`;
      console.log(`first figure early: first compare-figure event ${s(firstFigure)} after the start, first model's figure drawn at ${s(drawn(1))}, the second's at ${s(drawn(2))}, comparison finished at ${s(finished)}`);
      // The first figure is out while the comparison still runs; the page fills in one model at a time.
      expect(firstFigure).toBeLessThan(finished);
      expect(filled.find((f) => f.n > 0)?.n).toBe(1);
      expect(drawn(1)).toBeLessThan(drawn(2));
      const models = [...new Set(events.filter(({ e }) => e.type === 'compare-figure' && ours(e)).map(({ e }) => (e as Extract<LabEvent, { type: 'compare-figure' }>).model))];
      expect(models).toEqual(['process', 'container:runc']);
      expect(errors).toEqual([]);
    } finally {
      off();
      await page.close();
      await bm.lab.cancelCompare(comparisonId).catch(() => {});
    }
  });

  it('lists the comparison on the Compare home with each model\'s median', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/compare`);
    const item = page.getByTestId('comparisons').locator('li', { hasText: 'every model, light' });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/process \d/);
    expect(errors).toEqual([]);
  });
});
