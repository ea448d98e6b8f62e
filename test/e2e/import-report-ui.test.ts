import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { axeViolations, OUT, ROOT, startBrowserMode, type BrowserMode } from './browserMode';

const PREVIOUS = path.join(ROOT, 'test/fixtures/import/previous-compare');
const COMPARISON_ID = '20261130T174823110Z-compare-318e';

/** The earlier comparison and its runs in one .zip, as a colleague would send them. */
function fixtureZip(): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const name of readdirSync(PREVIOUS)) z.addBuffer(readFileSync(path.join(PREVIOUS, name)), `results/${name}`);
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

let bm: BrowserMode;
beforeAll(async () => {
  bm = await startBrowserMode();
});
afterAll(async () => bm?.close());

describe('Import and Export report in the app (browser mode)', () => {
  it('imports a .zip from the Runs page, refuses a foreign file, then exports the comparison as a report', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/runs`);
    await page.getByRole('button', { name: 'Import…' }).waitFor();
    const zip = await fixtureZip();
    await page.getByTestId('import-input').setInputFiles([
      { name: 'from-a-colleague.zip', mimeType: 'application/zip', buffer: zip },
      { name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x"}') },
    ]);
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.textContent(), { timeout: 30_000 }).toMatch(/5 imported, 0 already here or kept local, 1 refused/);
    expect(await result.textContent()).toMatch(/package\.json: refused: not an isolab document/);
    // The imported runs are listed.
    await expect.poll(() => page.getByRole('table').textContent()).toMatch(/container:runsc/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(OUT, 'runs-import.png') });

    await page.goto(`${bm.served.url}#/compare/${COMPARISON_ID}`);
    const button = page.getByTestId('export-report');
    await button.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`isolab-report-${COMPARISON_ID}.html`);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toMatch(/Imported/);
    expect(errors).toEqual([]);
  });

  it('the audience may neither import nor make a report', async () => {
    const bmAudience = bm.served.audienceUrl;
    expect(bmAudience).toBeUndefined(); // this server has no audience; the policy is tested in serve-fuzz
    const { dispatchForAudience } = await import('../../electron/audience');
    await expect(dispatchForAudience(bm.lab, 'importRuns', [[{ name: 'a.json', base64: 'e30=' }]])).rejects.toThrow(/not allowed/);
    await expect(dispatchForAudience(bm.lab, 'report', [[COMPARISON_ID], 'en'])).rejects.toThrow(/not allowed/);
  });
});
