import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Comparison } from '../../../shared/compare';
import type { EngineConnection } from '../../../electron/lab/docker/engine';
import type { ModelContext } from '../../../electron/lab/models/types';
import { tempDataDir } from '../../helpers/datadir';

// Lab.compare's place on this machine: the engine's event stream a container model opens through the context is
// closed when the comparison ends, fails or is cancelled. The registry and the comparison itself are stand-ins
// (what they do is tested elsewhere); the Lab's lifecycle around them is the real one.
const seen: { ctx?: ModelContext } = {};
const behaviour: { mode: 'complete' | 'fail' | 'cancel' } = { mode: 'complete' };
vi.mock('../../../electron/lab/models/registry', async (orig) => ({
  ...(await orig<typeof import('../../../electron/lab/models/registry')>()),
  discoverModels: async (ctx: ModelContext) => {
    seen.ctx = ctx;
    // What a container model's prepare does: open the stream, before its first container.
    await ctx.engineEvents?.();
    return [];
  },
}));
vi.mock('../../../electron/lab/compare/prepare', async (orig) => ({
  ...(await orig<typeof import('../../../electron/lab/compare/prepare')>()),
  groupContainerModels: async () => ({ specs: [], aliases: {}, runtimeGroups: [] }),
}));
vi.mock('../../../electron/lab/compare/run', async (orig) => ({
  ...(await orig<typeof import('../../../electron/lab/compare/run')>()),
  runCompare: async (o: { id: string; signal: AbortSignal }) => {
    if (behaviour.mode === 'fail') throw new Error('the engine went away');
    if (behaviour.mode === 'cancel') await new Promise((r) => o.signal.addEventListener('abort', r));
    return { id: o.id, status: o.signal.aborted ? 'cancelled' : 'complete' } as unknown as Comparison;
  },
}));
const { Lab } = await import('../../../electron/lab/lab');
const { LocalPlace } = await import('../../../electron/lab/compare/local');

const data = tempDataDir('isolab-localplace-');
afterAll(() => data.cleanup());

/** A local engine whose only call here is its event stream; `opened` counts the subscriptions. */
function fakeEngine() {
  const streams: PassThrough[] = [];
  const docker = {
    getEvents: async () => {
      const s = new PassThrough();
      streams.push(s);
      return s;
    },
  } as unknown as Docker;
  const conn: EngineConnection = { docker, endpoint: 'unix:///fake.sock' } as EngineConnection;
  return { streams, conn };
}

describe('the local place of a comparison (engine events for the engine clock)', () => {
  beforeEach(() => {
    seen.ctx = undefined;
  });

  for (const mode of ['complete', 'fail', 'cancel'] as const) {
    it(`closes the local engine's event stream when the comparison ends (${mode})`, async () => {
      behaviour.mode = mode;
      const lab = new Lab('cli', data.dir);
      const engine = fakeEngine();
      vi.spyOn(lab, 'docker').mockResolvedValue(engine.conn);
      const ac = new AbortController();
      const done = lab.compare({ plan: { models: ['container:runc'] } }, ac.signal);
      if (mode === 'cancel') {
        await vi.waitFor(() => expect(engine.streams).toHaveLength(1));
        expect(engine.streams[0].destroyed).toBe(false);
        ac.abort();
      }
      if (mode === 'fail') await expect(done).rejects.toThrow(/went away/);
      else expect((await done).status).toBe(mode === 'cancel' ? 'cancelled' : 'complete');
      // One stream for the comparison, opened through its context, destroyed by its end.
      expect(seen.ctx?.engineEvents).toBeTypeOf('function');
      expect(seen.ctx?.remote).toBeUndefined();
      expect(engine.streams).toHaveLength(1);
      expect(engine.streams[0].destroyed).toBe(true);
      // Nothing opens it again once the comparison is over (a stream left open would keep the process alive).
      await expect(seen.ctx!.engineEvents!()).rejects.toThrow(/over/);
      expect(engine.streams).toHaveLength(1);
    });
  }

  it('opens the stream once, on first use, and a close while it opens still closes it', async () => {
    const engine = fakeEngine();
    const place = new LocalPlace(async () => engine.conn);
    expect(engine.streams).toHaveLength(0);
    const a = place.engineEvents();
    const closing = place.close();
    await a;
    await closing;
    expect(engine.streams).toHaveLength(1);
    expect(engine.streams[0].destroyed).toBe(true);
    // A place never used opens nothing and closes quietly.
    await new LocalPlace(async () => engine.conn).close();
    expect(engine.streams).toHaveLength(1);
  });

  it('a machine without an engine: the stream fails with the engine\'s error, and close does not throw', async () => {
    const place = new LocalPlace(async () => {
      throw new Error('connect ENOENT /var/run/docker.sock');
    });
    await expect(place.engineEvents()).rejects.toThrow(/ENOENT/);
    await expect(place.close()).resolves.toBeUndefined();
  });
});
