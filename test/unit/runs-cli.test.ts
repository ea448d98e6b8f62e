import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { isolab } from '../helpers/cli';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

const doc = (id: string, extra: Partial<Run> = {}): Run => ({
  schema: RUN_SCHEMA,
  id,
  kind: 'bench:process',
  model: 'process',
  status: 'complete',
  startedAt: '2026-01-01T00:00:00.000Z',
  environment: { host: { os: 'x', kernel: 'k', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' },
  plan: {},
  phaseOrder: ['spawn'],
  samples: [],
  summary: {},
  notes: [],
  ...extra,
});

describe('isolab runs list', () => {
  it('shows runs a crashed isolab left as interrupted, and says which files it skipped and why', async () => {
    const dir = path.join(data.dir, 'runs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify(doc('good')));
    writeFileSync(path.join(dir, 'crashed.json'), JSON.stringify(doc('crashed', { status: 'partial', owner: { pid: spawnSync('true').pid!, host: os.hostname() } })));
    // A document cut short, as a full disk left them before the fix.
    writeFileSync(path.join(dir, 'cut.json'), JSON.stringify(doc('cut')).slice(0, 100));

    const r = await isolab('runs', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/crashed\s+process\s+interrupted/);
    expect(r.stdout).toMatch(/good\s+process\s+complete/);
    expect(r.stderr).toContain(`1 file in ${dir} was skipped:`);
    expect(r.stderr).toMatch(/cut\.json: not valid JSON/);

    // --json stays the array scripts read; the note stays on stderr.
    const j = await isolab('runs', 'list', '--json');
    expect(JSON.parse(j.stdout).map((x: { id: string; status: string }) => `${x.id}:${x.status}`).sort()).toEqual(['crashed:interrupted', 'good:complete']);
    expect(j.stderr).toMatch(/cut\.json/);

    // The interrupted status is written back, and `runs show` reads it.
    const s = await isolab('runs', 'show', 'crashed', '--json');
    expect(JSON.parse(s.stdout).status).toBe('interrupted');
  });
});
