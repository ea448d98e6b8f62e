import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * The Simulate page in Chromium through browser mode: the consolidation plan shows both sides' demand, the
 * headroom they share and the compute and disk costs; the scale-out tab runs its replications and shows each
 * figure with its interval. English and French, axe checks and screenshots.
 */
let bm: BrowserMode;
beforeAll(async () => {
  bm = await startBrowserMode();
});
afterAll(async () => {
  await bm?.close();
});

describe('the Simulate page', () => {
  it('compares equal demand under equal headroom, and reports the scale-out figures with their intervals', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/simulate`);
    await page.getByRole('heading', { level: 1, name: 'Simulate' }).waitFor();

    const row = (key: string) => page.locator(`tr[data-row="${key}"] td`);
    await expect.poll(() => row('demand').allTextContents()).toEqual(['30 vCPU, 76.0 GiB', '30 vCPU, 76.0 GiB']);
    expect(await row('headroom').allTextContents()).toEqual(['25\u202f%', '25\u202f%']);
    expect(await row('osDisks').allTextContents()).toEqual(['9 × P4 (288\u202fGiB)', '6 × P4 (192\u202fGiB)']);
    expect(await page.getByTestId('same-demand').textContent()).toBe('Both plans serve the same demand, 30 vCPU, 76.0 GiB, and keep 25\u202f% of every VM free.');
    expect(await page.getByTestId('prices-note').textContent()).toMatch(/^Prices are indicative: Azure Retail Prices, eastus.*OS disks Premium SSD LRS/);
    await page.screenshot({ path: path.join(OUT, 'simulate-consolidate-en.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // No headroom: the per-replica VMs shrink too (the same policy on both sides).
    await page.getByTestId('headroom').fill('0');
    await expect.poll(() => row('vms').allTextContents()).toEqual(['9 (9 × Standard_D4s_v5)', '4 (4 × Standard_D8s_v5)']);

    await page.getByTestId('tab-burst').click();
    const note = page.getByTestId('replication-note');
    await expect.poll(() => note.textContent(), { timeout: 120_000 }).toMatch(/^Each figure: the mean of 10 replications \(seeds 1–10\).*interval[^]*$/);
    expect(await note.textContent()).not.toMatch(/Replication \d+ of/);
    const p99 = page.locator('[data-testid="burst-table"] tbody tr').first().locator('td[data-figure="waitP99S"]');
    expect(await p99.textContent()).toMatch(/±/);
    expect(await p99.locator('[title]').getAttribute('title')).toMatch(/^95% interval .* to .*; median .*; 10 replications$/);
    await page.screenshot({ path: path.join(OUT, 'simulate-burst-en.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // One replication: the page says there is no interval rather than showing one seed as the answer.
    await page.getByTestId('replications').fill('1');
    await expect.poll(() => note.textContent(), { timeout: 60_000 }).toMatch(/^One replication \(seed 1\): no interval/);

    await page.getByTestId('language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Simuler' }).waitFor();
    await page.getByTestId('replications').fill('3');
    await expect.poll(() => note.textContent(), { timeout: 60_000 }).toMatch(/^Chaque chiffre : la moyenne de 3 réplications \(graines 1–3\)/);
    await page.getByTestId('tab-consolidate').click();
    await expect.poll(() => row('demand').allTextContents()).toEqual(['30 vCPU, 76,0 Gio', '30 vCPU, 76,0 Gio']);
    expect(await row('osDisks').allTextContents()).toEqual(['9 × P4 (288\u202fGio)', '6 × P4 (192\u202fGio)']);
    await page.screenshot({ path: path.join(OUT, 'simulate-consolidate-fr.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
