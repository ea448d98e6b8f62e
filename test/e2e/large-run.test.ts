import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ComparisonStore } from '../../electron/lab/compare/store';
import { RunStore } from '../../electron/lab/store';
import { axeViolations, OUT, startServeProcess, type ServeProcess } from './browserMode';
import { largeComparison, largeRun } from './largeRun';

/**
 * Charts at any sample count: a saved 10,000-iteration run (and a comparison of that size) opened in Chromium
 * through browser mode as users run it (`isolab serve` in its own process, not a server sharing this process's
 * event loop with Playwright). The figures are printed, not asserted (speeds vary between machines); what is asserted is
 * the structure that makes them fast and readable: a bounded SVG, a density with its box and outliers past a few
 * hundred samples, one dot per sample below.
 */
const N = 10_000;
const SMALL = 25;
const WARMUP = 3;
let bm: ServeProcess;
let smallMs: number | undefined;
const pages: Page[] = [];
const ids = { large: '20260302T090000000Z-container-runc-large', small: '20260302T090000000Z-container-runc-small', compare: '20260302T110000000Z-compare-large' };

beforeAll(async () => {
  // The engine's side of opening the large run, timed on the documents the server will read: the first read
  // parses and validates the file, later ones (while the file is unchanged) are served from the validated cache;
  // then the document is sent as JSON.
  let engine = '';
  bm = await startServeProcess(async (dataDir) => {
    const runs = new RunStore(path.join(dataDir, 'runs'));
    await runs.save(largeRun(ids.large, N, { warmup: WARMUP }));
    await runs.save(largeRun(ids.small, SMALL, { warmup: WARMUP, seed: 5 }));
    await new ComparisonStore(path.join(dataDir, 'comparisons')).save(largeComparison(ids.compare, N));
    const reader = new RunStore(path.join(dataDir, 'runs'));
    const cold = await timed(() => reader.get(ids.large));
    const warm = await timed(() => reader.get(ids.large));
    const json = await timed(async () => JSON.stringify(cold.value).length);
    engine = `first read and validation ${cold.ms} ms, read again ${warm.ms} ms, sent as ${(json.value / 2 ** 20).toFixed(1)} MiB of JSON in ${json.ms} ms`;
  });
  console.log(`${N.toLocaleString('en')}-sample run on the engine: ${engine}; served by \`isolab serve\` in its own process`);
  // Each page notes, per task that added charts, how many were in it then and when (page clock, ms).
  await bm.context.addInitScript(() => {
    const seen: { charts: number; at: number }[] = [];
    (window as unknown as { __charts: typeof seen }).__charts = seen;
    new MutationObserver(() => {
      const charts = document.querySelectorAll('figure[data-testid^="chart-"]').length;
      if (charts > (seen.at(-1)?.charts ?? 0)) seen.push({ charts, at: Math.round(performance.now()) });
    }).observe(document, { childList: true, subtree: true });
  });
  // A first page load fills Chromium's caches, so the timed ones below are alike.
  const page = await bm.context.newPage();
  await page.goto(`${bm.url}#/runs`);
  await page.getByTestId('runs-table').waitFor();
  await page.close();
}, 180_000);
// A page left busy by a failed test would slow the next ones down.
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close().catch(() => {})));
});
afterAll(async () => {
  await bm?.close();
});

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: Math.round(performance.now() - t0) };
}

/** Navigates and waits until `ready` holds in the page; ms from the navigation to the frame after that. */
async function timeOpen(url: string, ready: () => boolean): Promise<{ page: Page; errors: string[]; ms: number }> {
  const page = await bm.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const t0 = performance.now();
  await page.goto(url);
  // Checked every frame: polling every 50 ms put up to 50 ms of waiting into every figure.
  await page.waitForFunction(ready, undefined, { timeout: 170_000, polling: 'raf' });
  await afterNextFrame(page);
  return { page, errors, ms: Math.round(performance.now() - t0) };
}

const afterNextFrame = (page: Page) => page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));

/** Every phase's chart is in the page with its boxes drawn. */
function chartsDrawn(): boolean {
  const charts = [...document.querySelectorAll('figure[data-testid^="chart-"]')];
  return charts.length === 6 && charts.every((c) => c.querySelector('svg [data-box]'));
}

/** Toggles the log scale, timed in the page: the click's render and the frame after it. */
const toggleScale = (page: Page) =>
  page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector<HTMLInputElement>('[data-testid="log-toggle"]')!.click();
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    return Math.round(performance.now() - t0);
  });

/** ms from now until the ratio's bootstrap interval, computed in slices after the page is drawn, is shown. */
async function timeInterval(page: Page): Promise<number> {
  const t0 = performance.now();
  await page.waitForFunction(() => /CI [\d.,]+×–[\d.,]+×/.test(document.querySelector('[data-testid="ratio-detail"]')?.textContent ?? ''), undefined, { timeout: 170_000, polling: 50 });
  return Math.round(performance.now() - t0);
}

/** How many charts each step of the drawing added, and when (page clock). */
const chartSteps = (page: Page) => page.evaluate(() => (window as unknown as { __charts: { charts: number; at: number }[] }).__charts);

const svgElements = (page: Page) => page.evaluate(() => document.querySelectorAll('[data-testid="result"] svg *').length);

describe('charts at any sample count', () => {
  it(`keeps every dot for a small run (${SMALL} samples)`, async () => {
    const { page, errors, ms } = await timeOpen(`${bm.url}#/runs/${ids.small}`, chartsDrawn);
    smallMs = ms;
    const elements = await svgElements(page);
    // A small run's charts are drawn at once.
    expect((await chartSteps(page)).map((s) => s.charts)).toEqual([6]);
    const ci = await timeInterval(page);
    const toggles = [await toggleScale(page), await toggleScale(page)];
    console.log(`${SMALL}-sample run drawn in ${ms} ms; ratio's interval ${ci} ms later; log toggle ${toggles.join(' ms, ')} ms; SVG elements ${elements}`);
    const total = page.getByTestId('chart-total');
    // Container and floor, timed and warmup: one mark each.
    expect(await total.locator('.chart-dot').count()).toBe(2 * (SMALL + WARMUP));
    expect(await total.locator('[data-density]').count()).toBe(0);
    expect(await page.getByTestId('distribution-legend').textContent()).toMatch(/every timed iteration/i);
    // A dot under the pointer names its sample; so do the arrow keys once the chart has the focus.
    const tooltip = total.getByTestId('chart-tooltip');
    // Dots overlap (jitter): whichever is on top under the pointer names itself.
    await total.locator('circle.chart-dot').first().hover({ force: true });
    await expect.poll(() => tooltip.textContent()).toMatch(/^(container:runc|process \(floor\))[\d.,]+\sms\s*iteration \d+$/);
    await page.mouse.move(0, 0);
    await expect.poll(() => tooltip.count()).toBe(0);
    await total.locator('[role=img]').focus();
    await page.keyboard.press('End');
    await expect.poll(() => tooltip.textContent()).toMatch(/^container:runc[\d.,]+\sms\s*iteration \d+ \(warmup\)$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => tooltip.count()).toBe(0);
    await page.getByTestId('result').locator('.chart-grid').screenshot({ path: path.join(OUT, 'small-run-charts.png') });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it(`opens a saved ${N.toLocaleString('en')}-sample run and draws it as densities with boxes and outliers`, async () => {
    const { page, errors, ms } = await timeOpen(`${bm.url}#/runs/${ids.large}`, chartsDrawn);
    const elements = await svgElements(page);
    // The charts come one a task, the first with the rest of the page, so the page shows (and answers) before the
    // last is drawn; each is complete when it appears (its boxes are asserted below).
    const steps = await chartSteps(page);
    expect(steps.map((s) => s.charts)).toEqual([1, 2, 3, 4, 5, 6]);
    // The ratio's interval follows (2,000 resamples of 10,000 and 10,000 values), without holding the page up.
    expect(await page.getByTestId('ratio').textContent()).toMatch(/\d×/);
    const ci = await timeInterval(page);

    // The x axis' ticks are the ones in ms (the y axis names the rows).
    const firstTick = () => page.evaluate(() => [...document.querySelectorAll('[data-testid="chart-total"] .chart-tick')].map((e) => e.textContent).find((s) => s?.endsWith(' ms')));
    const logTick = await firstTick();
    const toLinear = await toggleScale(page);
    expect(await firstTick()).toBe('0 ms');
    const toLog = await toggleScale(page);
    expect(await firstTick()).toBe(logTick);
    // Speeds vary between machines and with their load: the small run, drawn just before, is the yardstick.
    const ratio = smallMs ? ` (${(ms / smallMs).toFixed(1)}× the ${SMALL}-sample run's ${smallMs} ms)` : '';
    console.log(`${N.toLocaleString('en')}-sample run: first chart in the page at ${steps[0].at} ms, the sixth at ${steps[5].at} ms (page clock)`);
    console.log(`${N.toLocaleString('en')}-sample run drawn in ${ms} ms${ratio}; ratio's interval ${ci} ms later; log toggle ${toLinear} ms, ${toLog} ms; SVG elements ${elements}`);

    // Bounded: 6 charts, 9 rows of 10,000 samples each, in a few thousand elements, not one per sample.
    expect(elements).toBeLessThan(3000);
    const total = page.getByTestId('chart-total');
    expect(await total.locator('[data-density]').count()).toBe(2);
    expect(await total.locator('[data-box]').count()).toBe(2);
    // Outliers stay dots: the slow iterations (every 997th) are among them, but far fewer than the samples.
    const dots = await total.locator('.chart-dot').count();
    expect(dots).toBeGreaterThanOrEqual(10);
    expect(dots).toBeLessThan(1000);
    expect(await total.locator('[role=img]').getAttribute('aria-label')).toMatch(/10,000 samples\. [\d,]+ of them beyond the whiskers/);
    expect(await page.getByTestId('distribution-legend').textContent()).toMatch(/density/i);

    await page.screenshot({ path: path.join(OUT, 'large-run-light.png'), fullPage: true });
    await page.getByTestId('result').locator('.chart-grid').screenshot({ path: path.join(OUT, 'large-run-charts.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('result').locator('.chart-grid').screenshot({ path: path.join(OUT, 'large-run-charts-dark.png') });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();
    expect(errors).toEqual([]);
    await page.close();
  });

  it(`opens a comparison of ${N.toLocaleString('en')} starts per model and the Learn page beside such runs`, async () => {
    const cmp = await timeOpen(`${bm.url}#/compare/${ids.compare}`, () => document.querySelectorAll('[data-testid="comparison"] .recharts-bar-rectangle').length >= 3);
    const elements = await cmp.page.evaluate(() => document.querySelectorAll('[data-testid="comparison"] svg *').length);
    console.log(`comparison of ${N.toLocaleString('en')} starts per model drawn in ${cmp.ms} ms; SVG elements ${elements}`);
    expect(elements).toBeLessThan(3000);
    await cmp.page.screenshot({ path: path.join(OUT, 'large-comparison.png'), fullPage: true });
    expect(cmp.errors).toEqual([]);
    await cmp.page.close();

    const learn = await timeOpen(`${bm.url}#/learn`, () => !!document.querySelector('[data-testid="tradeoffs"]'));
    console.log(`Learn page with ${N.toLocaleString('en')}-sample runs saved: table shown in ${learn.ms} ms`);
    expect(learn.errors).toEqual([]);
    await learn.page.close();
  });
});
