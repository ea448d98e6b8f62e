import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, OUT, ROOT, startBrowserMode, type BrowserMode } from './browserMode';

/** The local VM from the Bench page: a real QEMU guest booted from the UI, its phases charted. */
let bm: BrowserMode;
beforeAll(async () => {
  bm = await startBrowserMode();
  // The guest kernel goes into this test's own data dir (idempotent; the CI setup has the packages cached).
  execFileSync('bash', [path.join(ROOT, 'test/fixtures/vm-kernel.sh')], { env: process.env, stdio: ['ignore', 'ignore', 'inherit'] });
});
afterAll(async () => {
  await bm?.close();
});

const qemuOfThisLab = () => {
  try {
    return execFileSync('pgrep', ['-f', `qemu-system.*${process.env.ISOLAB_DATA_DIR}`], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

describe('the local VM from the Bench page', () => {
  it('boots a real guest and charts spawn → shutdown with the process floor', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
    await page.getByTestId('target').selectOption('vm');
    await page.getByTestId('memory').fill('256');
    await page.getByTestId('accel').selectOption('tcg');
    await page.getByTestId('iterations').fill('1');
    await page.getByTestId('warmup').fill('0');
    await page.getByTestId('run').click();
    await page.getByTestId('result').waitFor({ state: 'visible', timeout: 170_000 });
    await expect.poll(() => page.getByTestId('status').first().textContent()).toBe('complete');
    const phases = await page.getByTestId('summary-table').locator('tbody th').allTextContents();
    expect(phases).toEqual(['spawn', 'firmware', 'kernel', 'init', 'ready', 'ssh', 'shutdown', 'total']);
    expect(await page.getByTestId('result').textContent()).toMatch(/tcg/i);
    await page.screenshot({ path: path.join(OUT, 'bench-vm.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    expect(qemuOfThisLab()).toBe('');
  });
});
