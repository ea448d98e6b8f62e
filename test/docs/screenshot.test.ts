import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareEveryModel, OUT, ROOT, startBrowserMode, useSetupVmKernel, type BrowserMode } from '../e2e/browserMode';

/**
 * The README's screenshot, from a run long enough to show real distributions. Its own vitest project, not part
 * of `npm test` (it takes a minute and writes into docs/): `npm run docs:screenshot`.
 */
let bm: BrowserMode | undefined;
beforeAll(async () => {
  useSetupVmKernel();
  bm = await startBrowserMode();
});
afterAll(async () => {
  await bm?.close();
});

describe('docs screenshot', () => {
  it('captures the Bench page with a 20-iteration result', async () => {
    const { page } = await bm!.open(`${bm!.served.url}#/bench`);
    await expect.poll(() => page.getByTestId('engine-status').getAttribute('class')).toContain('pill-ok');
    await page.getByTestId('iterations').fill('20');
    await page.getByTestId('run').click();
    await page.getByTestId('result').waitFor({ state: 'visible', timeout: 170_000 });
    const file = path.join(OUT, 'docs-bench-light.png');
    await page.screenshot({ path: file, fullPage: true });
    await copyFile(file, path.join(ROOT, 'docs/screenshots/isolab-bench.png'));
    // A small window (Electron's minimum) and a phone-width one, to look at by eye.
    await page.setViewportSize({ width: 960, height: 700 });
    await page.screenshot({ path: path.join(OUT, 'docs-bench-960.png'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 800 });
    await page.screenshot({ path: path.join(OUT, 'docs-bench-420.png'), fullPage: true });
  });

  it('captures the Compare page with every model of this host, the VM included', async () => {
    const c = await compareEveryModel(bm!.lab, 'every model on this host', { iterations: 10, warmup: 2, instances: 10, settleMs: 1000, rounds: 2, density: 8 });
    expect(c.status).toBe('complete');
    const { page } = await bm!.open(`${bm!.served.url}#/compare/${c.id}`);
    await page.getByTestId('chart-density').waitFor();
    const file = path.join(OUT, 'docs-compare-light.png');
    await page.screenshot({ path: file, fullPage: true });
    await copyFile(file, path.join(ROOT, 'docs/screenshots/isolab-compare.png'));
  }, 600_000);
});
