import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

    for (const id of ['chart-startup', 'chart-phases', 'chart-memory', 'chart-density']) {
      await expect.poll(() => page.getByTestId(id).locator('svg.recharts-surface').count(), { message: id }).toBeGreaterThan(0);
    }
    await page.screenshot({ path: path.join(OUT, 'compare.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('lists the comparison on the Compare home with each model\'s median', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/compare`);
    const item = page.getByTestId('comparisons').locator('li', { hasText: 'every model, light' });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/process \d/);
    expect(errors).toEqual([]);
  });
});
