import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Run } from '../../shared/run';

/**
 * A data directory on a 16 KiB tmpfs: a 100-iteration run's document (~40 KiB) cannot fit. The run must fail
 * loudly, never leave a truncated document in place of the last good one, and keep what it measured.
 */
const root = process.getuid?.() === 0;
let disk: string;
let tmp: string;
const cli = path.resolve('bin/isolab.mjs');
let noTmp: string;

function isolab(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every document in the data directory parses: none was cut short. */
function documents(): Run[] {
  const dir = path.join(disk, 'runs');
  const names = existsSync(dir) ? readdirSync(dir) : [];
  expect(names.filter((n) => !n.endsWith('.json')), 'temp files left behind').toEqual([]);
  return names.map((n) => Run.parse(JSON.parse(readFileSync(path.join(dir, n), 'utf8'))));
}

beforeAll(() => {
  if (!root) return;
  expect(existsSync('dist/cli.mjs'), 'run `npm run build` before the integration tests').toBe(true);
  disk = mkdtempSync(path.join(os.tmpdir(), 'isolab-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', disk]);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-fallback-'));
  noTmp = path.join(tmp, 'a-file');
  writeFileSync(noTmp, '');
});
afterAll(() => {
  if (!root) return;
  execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!root)('a full disk (a 16 KiB tmpfs as the data directory; mounting needs root)', () => {
  it('fails the run loudly, keeps the last good document whole, and keeps the measured run elsewhere', async () => {
    const r = await isolab(['bench', 'process', '--iterations', '100', '--warmup', '0'], { ISOLAB_DATA_DIR: disk, TMPDIR: tmp });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(/Saved as/);
    expect(r.stderr).toMatch(/the disk is full/);
    const fallback = /kept in (\S+\.json);/.exec(r.stderr)?.[1];
    expect(fallback, r.stderr).toBeDefined();
    expect(fallback!.startsWith(tmp)).toBe(true);
    const kept = Run.parse(JSON.parse(readFileSync(fallback!, 'utf8')));
    expect(kept.status).toBe('complete');
    expect(kept.samples).toHaveLength(100);

    // What is in the data directory is whole: the record saved while it still fitted.
    const docs = documents();
    expect(docs.map((d) => d.id)).toEqual([kept.id]);
    expect(docs[0].samples.length).toBeLessThan(100);
    // `runs list` shows it (its owner has ended without finishing it there) and skips nothing.
    const list = await isolab(['runs', 'list'], { ISOLAB_DATA_DIR: disk, TMPDIR: tmp });
    expect(list.code).toBe(0);
    expect(list.stdout, list.stdout).toMatch(new RegExp(`${kept.id}\\s+process\\s+interrupted`));
    expect(list.stderr).toBe('');
  }, 180_000);

  it('with --json, prints the measured run on stdout even when it cannot be saved anywhere', async () => {
    rmSync(path.join(disk, 'runs'), { recursive: true, force: true });
    // The fallback folder cannot be made either (the temp directory is a file): stdout is the last place left.
    const r = await isolab(['bench', 'process', '--iterations', '100', '--warmup', '0', '--json'], { ISOLAB_DATA_DIR: disk, TMPDIR: noTmp });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the disk is full.*could not be written anywhere else/);
    expect(Run.parse(JSON.parse(r.stdout)).samples).toHaveLength(100);
    documents();

    const t = await isolab(['bench', 'process', '--iterations', '100', '--warmup', '0'], { ISOLAB_DATA_DIR: disk, TMPDIR: noTmp });
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/printed above as JSON/);
    expect(Run.parse(JSON.parse(t.stdout.slice(t.stdout.indexOf('\n{\n')))).samples).toHaveLength(100);
    documents();
  }, 180_000);
});
