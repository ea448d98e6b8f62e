import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { newRunId, RunStore, StoreError } from '../../electron/lab/store';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

const run = (id: string, startedAt: string): Run => ({
  schema: RUN_SCHEMA,
  id,
  kind: 'bench:process',
  model: 'process',
  status: 'complete',
  startedAt,
  environment: { host: { os: 'x', kernel: 'k', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' },
  plan: {},
  phaseOrder: ['exit'],
  samples: [],
  summary: {},
  notes: [],
});

describe('RunStore', () => {
  const store = new RunStore(path.join(data.dir, 'runs'));

  it('saves, reads back and lists newest first, skipping damaged files', async () => {
    await store.save(run('a', '2026-01-01T00:00:00.000Z'));
    await store.save(run('b', '2026-02-01T00:00:00.000Z'));
    writeFileSync(path.join(store.dir, 'broken.json'), '{"schema": "isolab.run/1", "id": ');
    writeFileSync(path.join(store.dir, 'foreign.json'), '{"hello": 1}');
    expect((await store.get('a')).id).toBe('a');
    expect((await store.list()).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('says which run is missing, and refuses ids that are paths', async () => {
    await expect(store.get('nope')).rejects.toThrow(/no run with id nope/);
    await expect(store.get('../x')).rejects.toBeInstanceOf(StoreError);
    await expect(store.get('foreign')).rejects.toThrow(/not a valid isolab.run\/1/);
  });

  it('explains a write it cannot make', async () => {
    writeFileSync(path.join(data.dir, 'afile'), '');
    const blocked = new RunStore(path.join(data.dir, 'afile', 'runs'));
    await expect(blocked.save(run('c', '2026-03-01T00:00:00.000Z'))).rejects.toThrow(/could not save run c to .*afile/);
  });

  it('deletes', async () => {
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
  });

  it('makes sortable, unique ids', () => {
    const d = new Date('2026-11-26T16:01:02.123Z');
    const a = newRunId('container:runc', d);
    expect(a).toMatch(/^20261126T160102123Z-container-runc-[0-9a-f]{4}$/);
    expect(new Set(Array.from({ length: 50 }, () => newRunId('x', d))).size).toBeGreaterThan(40);
  });
});
