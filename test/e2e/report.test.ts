import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolab } from '../helpers/cli';
import { tempDataDir } from '../helpers/datadir';
import { OUT, ROOT } from './browserMode';

/** A comparison and its runs as an earlier isolab wrote them, imported first: the report of what others measured. */
const PREVIOUS = path.join(ROOT, 'test/fixtures/import/previous-compare');
const COMPARISON_ID = '20261130T174823110Z-compare-318e';
const RUN_ID = '20261130T174823319Z-container-runc-cmp-4686';

const data = tempDataDir('isolab-e2e-report-');
let browser: Browser;

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  expect((await isolab('runs', 'import', PREVIOUS)).code).toBe(0);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  data.cleanup();
});

describe('the HTML report in Chromium', () => {
  for (const lang of ['en', 'fr'] as const) {
    it(`${lang}: opens with no network request, passes axe with no serious violation, and prints`, async () => {
      const file = path.join(OUT, `report-${lang}.html`);
      const r = await isolab('report', COMPARISON_ID, RUN_ID, '-o', file, '--lang', lang);
      expect(r.code, r.stderr).toBe(0);
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
      // Every request is recorded and anything but the report file itself is blocked.
      const requests: string[] = [];
      const url = pathToFileURL(file).href;
      await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      context.on('request', (req) => requests.push(req.url()));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(url, { waitUntil: 'load' });
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);

      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('svg[role="img"]').count()).toBe(2);
      // The chart is drawn: one bar per timed model, sized (not collapsed to nothing).
      const bars = await page.locator('svg[role="img"]').first().locator('rect').evaluateAll((els) => els.map((e) => (e as SVGRectElement).getBBox().width));
      expect(bars.length).toBe(4);
      for (const w of bars) expect(w).toBeGreaterThan(1);

      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);

      await page.screenshot({ path: path.join(OUT, `report-${lang}.png`), fullPage: true });
      // The print layout: the table of contents is dropped, the PDF has pages.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.toc').isVisible()).toBe(false);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      await writeFile(path.join(OUT, `report-${lang}.pdf`), pdf);
      expect(requests).toEqual([url]);
      await context.close();
    });
  }

  it('keeps a hostile document inert: its text is escaped, never markup', async () => {
    const doc = JSON.parse(await readFile(path.join(PREVIOUS, `${RUN_ID}.json`), 'utf8'));
    doc.id = 'hostile-1';
    doc.notes = ['<script>fetch("https://example.invalid/x")</script><img src="https://example.invalid/y">'];
    doc.model = '<b onmouseover=alert(1)>x</b>';
    const src = path.join(data.dir, 'hostile.json');
    await writeFile(src, JSON.stringify(doc));
    expect((await isolab('runs', 'import', src)).code).toBe(0);
    const file = path.join(OUT, 'report-hostile.html');
    expect((await isolab('report', 'hostile-1', '-o', file)).code).toBe(0);
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<script|<img|<b onmouseover/);
    const context = await browser.newContext();
    const requests: string[] = [];
    context.on('request', (req) => requests.push(req.url()));
    await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.getByText('<script>fetch(').count()).toBe(1);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await context.close();
  });
});
