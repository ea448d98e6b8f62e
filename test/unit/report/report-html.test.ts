import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isolab } from '../../helpers/cli';
import { tempDataDir } from '../../helpers/datadir';

const here = path.dirname(fileURLToPath(import.meta.url));
const PREVIOUS = path.join(here, '../../fixtures/import/previous-compare');
const COMPARISON_ID = '20261130T174823110Z-compare-318e';
const RUN_ID = '20261130T174823319Z-container-runc-cmp-4686';

const data = tempDataDir('isolab-report-');
afterAll(() => data.cleanup());

describe('isolab report', () => {
  it('writes one self-contained HTML file: no script, no external resource, figures with their intervals, sources', async () => {
    expect((await isolab('runs', 'import', PREVIOUS)).code).toBe(0);
    const out = path.join(data.dir, 'out');
    mkdirSync(out);
    const file = path.join(out, 'report.html');
    const r = await isolab('report', COMPARISON_ID, RUN_ID, '-o', file, '--lang', 'en');
    expect(r.stderr).toMatch(/wrote/);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // Every attribute that could load something points inside the page.
    for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) expect(m[1]).toMatch(/^(#|https:\/\/)/);
    expect([...html.matchAll(/<svg/g)].length).toBe(2);
    expect(html).toMatch(/container:runsc/);
    expect(html).toMatch(/95% CI/);
    expect(html).toMatch(/Cited sources/);
    expect(html).toMatch(/gVisor/);
    expect(html).toMatch(/Imported/);
    expect(html).toMatch(/@media print/);
  });

  it('in French, with French number formatting', async () => {
    const r = await isolab('report', COMPARISON_ID, '--lang', 'fr');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/<html lang="fr">/);
    expect(r.stdout).toMatch(/Sources citées/);
    expect(r.stdout).toMatch(/IC 95 %/);
    expect(r.stdout).toMatch(/\d,\d+\u202fms/);
  });

  it('an unknown id is an error that names it, and nothing is written', async () => {
    const file = path.join(data.dir, 'none.html');
    const r = await isolab('report', 'no-such-run', '-o', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no run with id no-such-run/);
    expect(() => readFileSync(file)).toThrow();
  });
});
