import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * What the UI says about the data directory: runs a crashed isolab left (interrupted), files it cannot read
 * (skipped, with why), a run the disk could not take (where it went instead), and a shared plan whose own
 * command would run on this host (shown, and run only after a yes).
 */
let bm: BrowserMode;
let scratch: string;
beforeAll(async () => {
  bm = await startBrowserMode();
  scratch = mkdtempSync(path.join(os.tmpdir(), 'isolab-e2e-scratch-'));
});
afterAll(async () => {
  await bm?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const seeded = (id: string, extra: Partial<Run>): Run => ({
  schema: RUN_SCHEMA,
  id,
  kind: 'bench:process',
  model: 'process',
  status: 'complete',
  startedAt: '2026-01-01T00:00:00.000Z',
  environment: { host: { os: 'linux', kernel: '6', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' },
  plan: {},
  phaseOrder: ['spawn'],
  samples: [],
  summary: {},
  notes: [],
  ...extra,
});

describe('the data directory in the UI', () => {
  it('shows an abandoned run as interrupted and says which files it skipped and why, in English and French', async () => {
    const dir = bm.lab.store.dir;
    mkdirSync(dir, { recursive: true });
    const dead = spawnSync('true').pid!;
    writeFileSync(path.join(dir, 'crashed-run.json'), JSON.stringify(seeded('crashed-run', { status: 'partial', owner: { pid: dead, host: os.hostname() } })));
    writeFileSync(path.join(dir, 'cut-short.json'), JSON.stringify(seeded('cut-short', {})).slice(0, 120));
    writeFileSync(path.join(dir, 'foreign.json'), '{"hello": "world"}');

    const { page, errors } = await bm.open(`${bm.served.url}#/runs`);
    const row = page.getByTestId('runs-table').locator('tr', { hasText: 'crashed-run' });
    await expect.poll(() => row.getByTestId('status').textContent()).toBe('interrupted');
    const skipped = page.getByTestId('runs-skipped');
    expect(await skipped.textContent()).toContain('2 files skipped');
    expect(await skipped.textContent()).toMatch(/cut-short\.json: not valid JSON/);
    expect(await skipped.textContent()).toMatch(/foreign\.json: not an isolab run document/);
    await page.screenshot({ path: path.join(OUT, 'runs-skipped.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await page.getByTestId('language').selectOption('fr');
    await expect.poll(() => skipped.textContent()).toContain('2 fichiers ignorés');
    expect(await row.getByTestId('status').textContent()).toBe('interrompue');
    await page.getByTestId('language').selectOption('en');
    expect(errors).toEqual([]);
  });

  it("shows a shared plan's own command before it runs on this host, and runs it only after a yes", async () => {
    const mark = path.join(scratch, 'plan-ran');
    const planFile = path.join(scratch, 'shared.yaml');
    writeFileSync(
      planFile,
      ['name: shared plan', 'workload:', '  kind: custom', `  command: [sh, -c, "echo ran > ${mark}; echo ready"]`, '  readiness: { kind: log, pattern: "^ready$" }', 'models: [process]', 'startup: { iterations: 2, warmup: 0 }', 'footprint: false', ''].join('\n'),
    );
    const { page, errors } = await bm.open(`${bm.served.url}#/compare`);
    await page.getByTestId('plan-file').setInputFiles(planFile);
    await expect.poll(() => page.getByTestId('plan-summary').textContent()).toContain('shared plan');

    await page.getByTestId('compare-start').click();
    const dialog = page.getByTestId('plan-consent');
    await dialog.waitFor();
    expect(await dialog.getByTestId('plan-command').textContent()).toBe(`sh -c 'echo ran > ${mark}; echo ready'`);
    expect(await dialog.textContent()).toContain('process');
    // Cancel is where focus lands: Enter never consents by accident.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('plan-consent-cancel');
    await page.screenshot({ path: path.join(OUT, 'plan-consent.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('plan-consent-cancel').click();
    expect(await dialog.count()).toBe(0);
    expect(await bm.lab.listComparisons()).toEqual([]);
    expect(existsSync(mark)).toBe(false);

    await page.getByTestId('compare-start').click();
    await page.getByTestId('plan-consent-run').click();
    await page.waitForURL(/#\/compare\/.+/);
    await expect.poll(async () => (await bm.lab.listComparisons())[0]?.status, { timeout: 60_000 }).toBe('complete');
    expect(existsSync(mark)).toBe(true);
    expect(errors).toEqual([]);
  });

  const root = process.getuid?.() === 0;
  it.skipIf(!root)('says a run the disk could not take was not saved, why, and where it went (a 16 KiB tmpfs; needs root)', async () => {
    const dir = bm.lab.store.dir;
    mkdirSync(dir, { recursive: true });
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = scratch; // where the engine keeps what the disk would not take
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]);
    try {
      const { page, errors } = await bm.open(`${bm.served.url}#/bench`);
      await page.getByTestId('target').selectOption('process');
      await page.getByTestId('iterations').fill('100');
      await page.getByTestId('warmup').fill('0');
      await page.getByTestId('run').click();
      const banner = page.getByTestId('run-not-saved');
      await banner.waitFor({ timeout: 120_000 });
      const text = (await banner.textContent()) ?? '';
      expect(text).toContain('the disk is full');
      expect(text).toContain(path.join(scratch, 'isolab-unsaved', 'runs'));
      // No stale document shown as if it were the result.
      expect(await page.getByTestId('result').count()).toBe(0);
      await page.screenshot({ path: path.join(OUT, 'run-not-saved.png'), fullPage: true });
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      execFileSync('umount', [dir]);
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
  });
});
