import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER, startBrowserMode, type BrowserMode } from './browserMode';
import { largeComparison, largeRun } from './largeRun';

/**
 * The boot path (issue 14): a run page loads its own code, not the simulator's, Learn's or the workshop's, and its
 * first read goes out before its code is in. What is asserted is structural (which chunks, which share of the
 * renderer); when things happen is printed, not asserted (speeds vary between machines).
 */
let bm: BrowserMode;
const id = '20260302T090000000Z-container-runc-boot';
const compareId = '20260302T110000000Z-compare-boot';
const assets = path.join(RENDERER, 'assets');
const OTHER_PAGES = /^(Bench|Compare|Hosts|Simulate|Learn|Workshop)Page-.*\.js$/;
// zod's error code names it in the bundle; the contract's chunk has it.
const hasZod = (f: string) => readFileSync(path.join(assets, f), 'utf8').includes('"invalid_type"');
const jsFiles = () => readdirSync(assets).filter((f) => f.endsWith('.js'));

beforeAll(async () => {
  bm = await startBrowserMode();
  await bm.lab.store.save(largeRun(id, 25, { warmup: 3, seed: 7 }));
  await bm.lab.comparisons.save(largeComparison(compareId, 25));
}, 180_000);
afterAll(async () => bm?.close());

/** The files the page has fetched so far, by name. */
const loadedFiles = (page: Page): Promise<string[]> => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.replace(/^.*\//, '')));

describe('boot', () => {
  it('opens a run page with its own chunk only, its read sent while the code loads', async () => {
    const page = await bm.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const t0 = performance.now();
    const at: Record<string, number> = {};
    page.on('websocket', () => (at.socket ??= performance.now() - t0));
    // The run's document comes over GET, its token in a header (never in a URL that logs or history keep).
    const reads: { url: string; authorization?: string }[] = [];
    page.on('request', (r) => {
      if (!r.url().includes('/api/run/')) return;
      at.getRunSent ??= performance.now() - t0;
      reads.push({ url: r.url(), authorization: r.headers().authorization });
    });
    page.on('requestfinished', (r) => {
      const file = r.url().replace(/^.*\//, '');
      if (/^RunsPage-.*\.js$/.test(file)) at.pageChunk ??= performance.now() - t0;
      if (/^index-.*\.js$/.test(file)) at.entry ??= performance.now() - t0;
      if (/^start-.*\.js$/.test(file)) at.start ??= performance.now() - t0;
    });
    page.on('domcontentloaded', () => (at.dcl ??= performance.now() - t0));
    await page.goto(`${bm.served.url}#/runs/${id}`);
    await page.locator('figure[data-testid^="chart-"]').first().waitFor();
    at.drawn = performance.now() - t0;

    const loaded = await loadedFiles(page);
    const js = jsFiles();
    const size = (f: string) => statSync(path.join(assets, f)).size;
    const total = js.reduce((s, f) => s + size(f), 0);
    const mine = js.filter((f) => loaded.includes(f));
    const bytes = mine.reduce((s, f) => s + size(f), 0);
    console.log(
      `run page: ${(bytes / 1024).toFixed(0)} KiB of JS of the renderer's ${(total / 1024).toFixed(0)} KiB (${mine.length} of ${js.length} files); ` +
        `after goto (ms): entry in ${Math.round(at.entry)}, WebSocket opened ${Math.round(at.socket)}, run read sent ${Math.round(at.getRunSent)}, ` +
        `React's chunk in ${Math.round(at.start)}, DOMContentLoaded ${Math.round(at.dcl)}, RunsPage chunk in ${Math.round(at.pageChunk)}, charts ${Math.round(at.drawn)}`,
    );
    expect(mine.some((f) => /^RunsPage-/.test(f))).toBe(true);
    expect(mine.filter((f) => OTHER_PAGES.test(f))).toEqual([]);
    // One bundle before the split: the run page took all of it.
    expect(bytes / total).toBeLessThan(0.8);
    // No zod: the page draws a document its engine validated, so it builds no schemas (they cost ~150 ms on a
    // 10,000-sample run's page).
    expect(js.some(hasZod)).toBe(true);
    expect(mine.filter(hasZod)).toEqual([]);
    expect(reads).toEqual([{ url: expect.stringMatching(new RegExp(`/api/run/${id}$`)), authorization: `Bearer ${new URL(bm.served.url).searchParams.get('token')}` }]);
    expect(errors).toEqual([]);
    await page.close();
  });

  // The Compare and Learn pages likewise draw what the engine validated: no chunk they load at opening holds zod
  // (a plan file the user opens is read by the engine's rules, its schema loaded then).
  it.each([
    ['Compare', `#/compare/${compareId}`, '[data-testid="comparison"] .recharts-bar-rectangle'],
    ['Learn', '#/learn', '[data-testid="tradeoffs"]'],
  ])('opens the %s page without zod', async (name, hash, drawn) => {
    const { page, errors } = await bm.open(`${bm.served.url}${hash}`);
    await page.locator(drawn).first().waitFor();
    const loaded = await loadedFiles(page);
    const mine = jsFiles().filter((f) => loaded.includes(f));
    expect(mine.some((f) => f.startsWith(`${name}Page-`))).toBe(true);
    expect(mine.filter(hasZod)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the Machines tab without zod, and loads the plan schema when a plan file is opened', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/compare`);
    await page.getByTestId('compare-tab-machines').click();
    await page.getByTestId('machines-table').waitFor();
    const loadedZod = async () => {
      const loaded = await loadedFiles(page);
      return jsFiles().filter((f) => loaded.includes(f) && hasZod(f));
    };
    expect(await loadedZod()).toEqual([]);
    // A file the user picks is untrusted: it is still read by the engine's own rules, their schema loaded now.
    await page.getByTestId('plan-file').setInputFiles({ name: 'plan.yaml', mimeType: 'application/yaml', buffer: Buffer.from('startup: { iterations: -1 }\n') });
    expect(await page.getByTestId('plan-issues').textContent()).toMatch(/startup\.iterations/);
    expect((await loadedZod()).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('moves to another page from the navigation, loading its chunk then, without a loading flash', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/runs/${id}`);
    await page.locator('figure[data-testid^="chart-"]').first().waitFor();
    // The run page stays until Learn's chunk is in: the fallback never shows on a move between pages.
    await page.evaluate(() => {
      const w = window as unknown as { fallbackSeen: boolean };
      w.fallbackSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="page-loading"]')) w.fallbackSeen = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('nav a[href="#/learn"]').click();
    await page.getByTestId('tradeoffs').waitFor();
    expect(await page.evaluate(() => (window as unknown as { fallbackSeen: boolean }).fallbackSeen)).toBe(false);
    const loaded = await loadedFiles(page);
    expect(loaded.some((f) => /^LearnPage-/.test(f))).toBe(true);
    await expect.poll(() => page.locator('nav a[aria-current="page"]').getAttribute('href')).toBe('#/learn');
    expect(errors).toEqual([]);
    await page.close();
  });
});
