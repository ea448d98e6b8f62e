import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { runBench } from '../../electron/lab/runner';
import { newRunId, RunStore, StoreError } from '../../electron/lab/store';
import type { Target } from '../../electron/lab/targets/target';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

const run = (id: string, startedAt: string, extra: Partial<Run> = {}): Run => ({
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
  ...extra,
});

/** A pid that was just used and has ended. */
const deadPid = () => spawnSync('true').pid!;

describe('RunStore', () => {
  const store = new RunStore(path.join(data.dir, 'runs'));

  it('saves, reads back and lists newest first, skipping damaged files', async () => {
    await store.save(run('a', '2026-01-01T00:00:00.000Z'));
    await store.save(run('b', '2026-02-01T00:00:00.000Z'));
    writeFileSync(path.join(store.dir, 'broken.json'), '{"schema": "isolab.run/1", "id": ');
    writeFileSync(path.join(store.dir, 'foreign.json'), '{"hello": 1}');
    writeFileSync(path.join(store.dir, 'my run.json'), '{}');
    writeFileSync(path.join(store.dir, 'notes.txt'), 'not a document');
    expect((await store.get('a')).id).toBe('a');
    expect((await store.list()).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('says which files it skipped and why, so a damaged run is never silently hidden', async () => {
    const { items, skipped } = await store.scan();
    expect(items.map((r) => r.id)).toEqual(['b', 'a']);
    expect(skipped.map((s) => [s.file, s.reason])).toEqual([
      ['broken.json', 'invalid-json'],
      ['foreign.json', 'invalid-document'],
      ['my run.json', 'bad-name'],
    ]);
    expect(skipped[1].detail).toMatch(/schema/);
  });

  it('says which run is missing, and refuses ids that are paths', async () => {
    await expect(store.get('nope')).rejects.toThrow(/no run with id nope/);
    await expect(store.get('../x')).rejects.toBeInstanceOf(StoreError);
    await expect(store.get('foreign')).rejects.toThrow(/not a valid isolab.run\/1/);
    await expect(store.get('broken')).rejects.toThrow(/not valid JSON/);
  });

  it('explains a write it cannot make', async () => {
    writeFileSync(path.join(data.dir, 'afile'), '');
    const blocked = new RunStore(path.join(data.dir, 'afile', 'runs'));
    await expect(blocked.save(run('c', '2026-03-01T00:00:00.000Z'))).rejects.toThrow(/could not save run c to .*afile/);
  });

  it('keeps a run it cannot save in the fallback folder and says where', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = data.dir; // the fallback folder is in the system's temp directory
    onTestFinished(() => void (saved === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = saved)));
    writeFileSync(path.join(data.dir, 'afile'), '');
    const blocked = new RunStore(path.join(data.dir, 'afile', 'runs'));
    const err = await blocked.saveOrKeep(run('kept-1', '2026-03-01T00:00:00.000Z')).catch((e) => e);
    expect(err.name).toBe('NotSavedError');
    expect(err.fallback).toBe(path.join(os.tmpdir(), 'isolab-unsaved', 'runs', 'kept-1.json'));
    expect(err.message).toContain(err.fallback);
    expect(existsSync(err.fallback)).toBe(true);
  });

  it('validates a file once and serves it again while it is unchanged, frozen so no reader can change it for the others', async () => {
    await store.save(run('kept', '2026-01-03T00:00:00.000Z'));
    const first = await store.get('kept');
    expect(await store.get('kept')).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.environment.host)).toBe(true);
    expect(() => {
      (first as { status: string }).status = 'failed';
    }).toThrow(TypeError);
    // Saved again: a new file, read anew.
    await store.save({ ...first, notes: [] });
    expect(await store.get('kept')).not.toBe(first);
  });

  it('still refuses a file edited by hand after it was read, even one of the same size and mtime', async () => {
    await store.save(run('edited', '2026-01-04T00:00:00.000Z'));
    expect((await store.get('edited')).status).toBe('complete');
    const file = path.join(store.dir, 'edited.json');
    const before = statSync(file);
    // Same length, same mtime put back (touch -r): only the inode's ctime says it changed.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"status": "complete"', '"status": "finished"'));
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    await expect(store.get('edited')).rejects.toThrow(/edited\.json is not a valid isolab.run\/1 document/);
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

describe('runs a crashed isolab left behind', () => {
  const store = new RunStore(path.join(data.dir, 'recover'));
  const host = os.hostname();

  it('become interrupted when their owner has ended, and only then', async () => {
    const alive = spawn('sleep', ['30']);
    try {
      const dead = deadPid();
      await store.save(run('dead-owner', '2026-01-01T00:00:00.000Z', { status: 'partial', owner: { pid: dead, host } }));
      await store.save(run('live-owner', '2026-01-02T00:00:00.000Z', { status: 'partial', owner: { pid: alive.pid!, host } }));
      await store.save(run('other-host', '2026-01-03T00:00:00.000Z', { status: 'partial', owner: { pid: dead, host: `${host}-elsewhere` } }));
      // Saved before isolab recorded owners: nobody can tell, so it is left as it is.
      await store.save(run('no-owner', '2026-01-04T00:00:00.000Z', { status: 'partial' }));
      await store.save(run('finished', '2026-01-05T00:00:00.000Z', { status: 'complete', owner: { pid: dead, host } }));
      // A writer that died mid-write left its temp file; a live writer's is left alone.
      writeFileSync(path.join(store.dir, `.x.json.${dead}.0123abcd.tmp`), '{"half');
      writeFileSync(path.join(store.dir, `.y.json.${alive.pid}.0123abcd.tmp`), '{"half');

      // Read as interrupted at once, before anything is rewritten (a full disk may not let it be).
      expect((await store.list()).find((r) => r.id === 'dead-owner')?.status).toBe('interrupted');
      expect(await store.recover()).toEqual(['dead-owner']);
      const status = async (id: string) => (await store.get(id)).status;
      expect(await status('dead-owner')).toBe('interrupted');
      expect(await status('live-owner')).toBe('partial');
      expect(await status('other-host')).toBe('partial');
      expect(await status('no-owner')).toBe('partial');
      expect(await status('finished')).toBe('complete');
      expect((await store.get('dead-owner')).samples).toEqual([]);
      expect(readdirSync(store.dir).filter((n) => n.endsWith('.tmp'))).toEqual([`.y.json.${alive.pid}.0123abcd.tmp`]);
      expect((await store.list()).find((r) => r.id === 'dead-owner')?.status).toBe('interrupted');
      // Idempotent.
      expect(await store.recover()).toEqual([]);
    } finally {
      alive.kill();
    }
  });
});

describe('the runner', () => {
  it('has the run on disk as partial, with its owner, before anything is prepared', async () => {
    const store = new RunStore(path.join(data.dir, 'runner'));
    let release!: () => void;
    const preparing = new Promise<void>((r) => (release = r));
    let onDisk: Run | undefined;
    const target: Target = {
      model: 'fake',
      phases: ['x'],
      async prepare() {
        // A kit build or a connection that hangs or crashes the process: the record must exist by now.
        onDisk = await store.get('prep-1');
        await preparing;
      },
      async environment() {
        return {};
      },
      async iterate() {
        return { x: 1 };
      },
      async dispose() {},
    };
    const done = runBench({ runId: 'prep-1', kind: 'bench:fake', plan: {}, target, iterations: 2, warmup: 0, store, signal: new AbortController().signal });
    await new Promise((r) => setTimeout(r, 50));
    release();
    const finished = await done;
    expect(onDisk?.status).toBe('partial');
    expect(onDisk?.owner).toEqual({ pid: process.pid, host: os.hostname() });
    expect(finished.status).toBe('complete');
  });

  it('saves a record when making the targets fails (no engine), before trying', async () => {
    const store = new RunStore(path.join(data.dir, 'runner'));
    let seen: Run | undefined;
    const run = await runBench({
      runId: 'make-1',
      kind: 'bench:containers',
      plan: {},
      target: {
        model: 'container:engine',
        async make() {
          seen = await store.get('make-1');
          throw new Error('no Docker engine answered');
        },
      },
      iterations: 1,
      warmup: 0,
      store,
      signal: new AbortController().signal,
    });
    expect(seen?.status).toBe('partial');
    expect(run.status).toBe('failed');
    expect((await store.get('make-1')).error).toBe('no Docker engine answered');
  });
});
