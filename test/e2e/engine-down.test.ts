import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * No engine: DOCKER_HOST names a socket that does not exist (this file runs in its own worker, so the other
 * e2e file keeps the real engine). The UI must say why and how to fix it, block container runs, and still
 * run the process floor, which needs no engine.
 */
let bm: BrowserMode;
beforeAll(async () => {
  process.env.DOCKER_HOST = 'unix:///nonexistent/isolab-e2e/docker.sock';
  bm = await startBrowserMode();
});
afterAll(async () => {
  await bm?.close();
  delete process.env.DOCKER_HOST;
});

describe('isolab with the container engine down', () => {
  it('explains the engine error, blocks container runs and still runs the process floor', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
    const banner = page.getByTestId('engine-error');
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await banner.textContent()).toContain('No Docker engine answered');
    expect(await banner.textContent()).toContain('DOCKER_HOST');
    expect(await page.getByTestId('engine-status').textContent()).toBe('Engine unavailable');
    expect(await page.getByTestId('run').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-blocked').textContent()).toMatch(/engine is down/);
    await page.screenshot({ path: path.join(OUT, 'engine-down.png') });
    expect(await axeViolations(page)).toEqual([]);

    // No saved theme yet: the system's preference decides, live.
    await page.emulateMedia({ colorScheme: 'dark' });
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    await expect.poll(theme).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(theme).toBe('light');

    // Keyboard: the skip link comes first and moves focus to the content; focus is always drawn.
    const focusOutline = () => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    expect(await focusOutline()).toBe('solid');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Retry');
    expect(await focusOutline()).toBe('solid');

    await page.getByTestId('target').selectOption('process');
    expect(await page.getByTestId('run').isDisabled()).toBe(false);
    await page.getByTestId('iterations').fill('5');
    await page.getByTestId('run').click();
    await page.getByTestId('result').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.getByTestId('status').first().textContent()).toBe('complete');
    expect(await page.getByTestId('summary-table').locator('tbody th').allTextContents()).toEqual(['spawn', 'firstOutput', 'exit', 'total']);
    expect(await page.getByTestId('baseline-table').count()).toBe(0);
    expect(await page.getByTestId('chart-total').locator('.chart-dot').count()).toBe(7); // 5 timed + 2 warmup
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('language').selectOption('fr');
    await page.screenshot({ path: path.join(OUT, 'process-dark-fr.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
