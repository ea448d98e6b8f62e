import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { StartupClock } from '../../../shared/compare';
import { resolveWorkload } from '../../../shared/plan';
import type { InstanceDriver } from '../../../electron/lab/workloads/instance';
import { WorkloadTarget } from '../../../electron/lab/workloads/target';
import { EngineClock } from '../../../electron/lab/remote/engine-clock';
import { EngineEventLog } from '../../../electron/lab/remote/engine-events';
import { engineMarks, neededEvents, phaseClocks, readyLineInstant, streamEvents, type EngineEvent } from '../../../electron/lab/remote/engine-phases';

const ms = 1_000_000n;
/** Engine instants (ns) of one `true` container on the remote clock: created at T, started 40 ms later, exited 70, gone 95. */
const T = 1_764_550_000_000_000_123n;
const events = (t0 = T): EngineEvent[] => [
  { action: 'create', timeNano: t0 },
  { action: 'start', timeNano: t0 + 40n * ms },
  { action: 'die', timeNano: t0 + 70n * ms },
  { action: 'destroy', timeNano: t0 + 95n * ms },
];
/** The same start as this machine saw it through SSH (13 ms round trips): create 20, started 66, ready 109, removed 150. */
const local = { create: 20, started: 66, ready: 109, remove: 150 };

describe('container phases on the remote engine clock', () => {
  it('puts each phase an engine event ends on the engine clock, from the create event, after the local create call', () => {
    const r = engineMarks(local, events(), 'exit');
    expect(r.missing).toEqual([]);
    expect(r.marks.create).toBe(20);
    expect(r.marks.started).toBeCloseTo(60, 6);
    expect(r.marks.ready).toBeCloseTo(90, 6);
    expect(r.marks.remove).toBeCloseTo(115, 6);
  });

  it('does not depend on how far the remote clock is from this one (only differences of engine instants are used)', () => {
    const skewed = events(T - 3_600_000n * ms + 123_457n);
    expect(engineMarks(local, skewed, 'exit').marks).toEqual(engineMarks(local, events(), 'exit').marks);
    const ahead = events(T + 86_400_000n * ms);
    const a = engineMarks(local, ahead, 'exit').marks;
    for (const p of ['started', 'ready', 'remove']) expect(a[p]).toBeCloseTo(engineMarks(local, events(), 'exit').marks[p], 3);
  });

  it('by readiness: running is ready at the engine start, a log line when the engine logged it; a TCP accept stays local', () => {
    const running = engineMarks({ create: 20, started: 66, ready: 66, remove: 150 }, events().filter((e) => e.action !== 'die'), 'running');
    expect(running.missing).toEqual([]);
    expect(running.marks.ready).toBeCloseTo(60, 6);
    const line = { action: 'ready-line', timeNano: T + 38n * ms };
    const log = engineMarks({ create: 20, ready: 55, started: 66, remove: 150 }, [...events(), line], 'log');
    // The line came before the engine's start event: the marks keep the order things happened in.
    expect(log.marks.ready).toBeCloseTo(58, 6);
    expect(log.marks.started).toBeCloseTo(60, 6);
    expect(engineMarks({ create: 20, ready: 55, started: 66, remove: 150 }, events(), 'log')).toMatchObject({ missing: ['ready-line'], marks: { ready: 55 } });
    const tcp = engineMarks({ create: 20, started: 66, ready: 70, remove: 150 }, events(), 'tcp');
    expect(tcp.marks.ready).toBe(70);
    expect(tcp.marks.started).toBeCloseTo(60, 6);
    expect(neededEvents('exit')).toEqual(['create', 'start', 'die', 'destroy']);
    expect(neededEvents('log')).toEqual(['create', 'start', 'ready-line', 'destroy']);
    expect(streamEvents('log')).toEqual(['create', 'start', 'destroy']);
    expect(neededEvents('tcp')).toEqual(['create', 'start', 'destroy']);
  });

  it("reads the engine's receive time of the ready line from timestamped logs, to the nanosecond", () => {
    const logs = '2026-12-01T01:42:08.883591713Z booting\n2026-12-01T01:42:08.9Z isolab-ready\n2026-12-01T01:42:09.000000001Z isolab-ready\n';
    expect(readyLineInstant(logs, '^isolab-ready$')).toBe(BigInt(Date.parse('2026-12-01T01:42:08Z')) * 1_000_000n + 900_000_000n);
    expect(readyLineInstant('2026-12-01T02:42:08.000000005+01:00 up\r\n', '^up$')).toBe(BigInt(Date.parse('2026-12-01T01:42:08Z')) * 1_000_000n + 5n);
    expect(readyLineInstant(logs, '^never$')).toBeUndefined();
    expect(readyLineInstant('isolab-ready\n', '^isolab-ready$')).toBeUndefined();
  });

  it('a sample whose event is missing keeps all its local marks (one clock per sample) and says which', () => {
    const late = engineMarks(local, events().filter((e) => e.action !== 'die'), 'exit');
    expect(late.marks).toEqual(local);
    expect(late.missing).toEqual(['die']);
    expect(engineMarks(local, [], 'exit').missing).toEqual(['create', 'start', 'die', 'destroy']);
    // A duplicated event (the stream replays nothing, but be safe): the first instant counts.
    expect(engineMarks(local, [...events(), { action: 'die', timeNano: T + 900n * ms }], 'exit').marks.ready).toBeCloseTo(90, 6);
  });

  it('says per phase which clock timed it and the SSH round trips left in it', () => {
    // Exit readiness: the create call and the turnaround to the start call stay in; the wait call's round trip is out.
    expect(phaseClocks('exit')).toEqual({
      create: { clock: 'local-through-ssh', sshRoundTrips: 1 },
      started: { clock: 'remote-engine', sshRoundTrips: 2 },
      ready: { clock: 'remote-engine', sshRoundTrips: 2 },
      remove: { clock: 'remote-engine' },
    });
    expect(phaseClocks('log').ready).toEqual({ clock: 'remote-engine', sshRoundTrips: 3 });
    expect(phaseClocks('tcp').ready).toEqual({ clock: 'local-through-ssh' });
    expect(phaseClocks('running').remove).toEqual({ clock: 'remote-engine' });
  });
});

/** A fake engine whose event stream the test writes to, as the engine would (one JSON object per line). */
function fakeEvents() {
  const stream = new PassThrough();
  const docker = { getEvents: async () => stream } as unknown as Docker;
  // As the engine writes it: timeNano a JSON integer past 2^53.
  const emit = (id: string, e: EngineEvent) => stream.write(`{"Type":"container","Action":"${e.action}","Actor":{"ID":"${id}"},"time":1,"timeNano":${e.timeNano}}\n`);
  return { stream, docker, emit };
}

describe('the engine event log and clock', () => {
  it('waits for a sample’s events within its bound, and a late one makes the sample fall back, counted and said', async () => {
    const f = fakeEvents();
    const log = await EngineEventLog.open(f.docker);
    const clock = new EngineClock(log, 50);
    for (const e of events()) f.emit('a', e);
    // Split across chunks, as a channel may deliver it.
    const line = `{"Type":"container","Action":"create","Actor":{"ID":"b"},"timeNano":${T}}\n`;
    f.stream.write(line.slice(0, 17));
    f.stream.write(line.slice(17));
    const got = await clock.settle('a', local, 'exit', false);
    expect(got.ready).toBeCloseTo(90, 6);
    // 'b' never gets its start, die or destroy: it waits out the bound, then keeps its local marks.
    const t0 = performance.now();
    const b = await clock.settle('b', local, 'exit', false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(b).toEqual(local);
    const c = clock.startupClock('exit', 13, 3);
    expect(StartupClock.parse(c)).toEqual(c);
    expect(c).toMatchObject({ clock: 'remote-engine', roundTripsToReady: 2, sshAllowanceMs: 26, engineEvents: { samples: 2, localFallback: 1, waitBoundMs: 50, missing: { start: 1, die: 1, destroy: 1 }, throughSshReadyMedianMs: 109 } });
    expect(clock.notes()[0]).toMatchObject({ code: 'remote-engine-clock', params: { samples: 2, localFallback: 1 } });
    log.close();
  });

  it('an event that comes while a sample waits ends the wait at once', async () => {
    const f = fakeEvents();
    const clock = new EngineClock(await EngineEventLog.open(f.docker), 5_000);
    const [first, ...rest] = events();
    f.emit('a', first);
    setTimeout(() => rest.forEach((e) => f.emit('a', e)), 20);
    const t0 = performance.now();
    expect((await clock.settle('a', local, 'exit', true)).ready).toBeCloseTo(90, 6);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(clock.notes()).toEqual([]);
  });

  it('log readiness: waits only for the stream\'s events and takes the ready line the driver read from the logs', async () => {
    const f = fakeEvents();
    const clock = new EngineClock(await EngineEventLog.open(f.docker), 5_000);
    for (const e of events().filter((x) => x.action !== 'die')) f.emit('a', e);
    const t0 = performance.now();
    const marks = await clock.settle('a', { create: 20, ready: 55, started: 66, remove: 150 }, 'log', false, T + 38n * ms);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(marks.ready).toBeCloseTo(58, 6);
    expect(clock.startupClock('log', 13, 3)).toMatchObject({ clock: 'remote-engine', roundTripsToReady: 3, sshAllowanceMs: 39, phases: { ready: { clock: 'remote-engine' } } });
  });

  it('when the stream ends no sample waits, and with every sample on the local clock the document says so', async () => {
    const f = fakeEvents();
    const log = await EngineEventLog.open(f.docker);
    const clock = new EngineClock(log, 5_000);
    f.stream.end();
    await new Promise((r) => setImmediate(r));
    expect(log.error).toBeDefined();
    const t0 = performance.now();
    expect(await clock.settle('a', local, 'exit', false)).toEqual(local);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(clock.startupClock('exit', 13, 3)).toMatchObject({ clock: 'local-through-ssh', roundTripsToReady: 3, sshAllowanceMs: 39, engineEvents: { samples: 1, localFallback: 1 } });
  });

  it("on this machine's engine: the same marks, clock local-engine with no SSH in any phase, and its own note", async () => {
    const f = fakeEvents();
    let opened = 0;
    // Opened lazily, once, by the first prepare (the comparison's LocalPlace gives the getter).
    const clock = new EngineClock(async () => (opened++, EngineEventLog.open(f.docker)), 50, 'local');
    expect(opened).toBe(0);
    await Promise.all([clock.open(), clock.open()]);
    expect(opened).toBe(1);
    for (const e of events()) f.emit('a', e);
    // Locally the marks are isolab's at the engine's answers (a unix socket: no SSH).
    const here = { create: 5, started: 46, ready: 92, remove: 121 };
    expect((await clock.settle('a', here, 'exit', false)).ready).toBeCloseTo(75, 6);
    expect(await clock.settle('b', here, 'exit', false)).toEqual(here);
    const k = clock.localClock('exit')!;
    expect(StartupClock.parse(k)).toEqual(k);
    expect(k).toEqual({
      clock: 'local-engine',
      sshAllowanceMs: 0,
      phases: { create: { clock: 'local' }, started: { clock: 'local-engine' }, ready: { clock: 'local-engine' }, remove: { clock: 'local-engine' } },
      engineEvents: { samples: 2, localFallback: 1, waitBoundMs: 50, missing: { create: 1, start: 1, die: 1, destroy: 1 }, throughSshReadyMedianMs: 92 },
    });
    expect(phaseClocks('tcp', 'local').ready).toEqual({ clock: 'local' });
    expect(clock.notes()).toEqual([expect.objectContaining({ code: 'local-engine-clock', params: { samples: 2, localFallback: 1 } })]);
  });

  it("a local stream that cannot be opened: every sample keeps this machine's marks at once, no clock, a note that says why", async () => {
    const logged: string[] = [];
    const clock = new EngineClock(() => Promise.reject(new Error('connect ENOENT /var/run/docker.sock')), 5_000, 'local', (l) => logged.push(l));
    await clock.open();
    const here = { create: 5, started: 46, ready: 92, remove: 121 };
    const t0 = performance.now();
    expect(await clock.settle('a', here, 'exit', false)).toEqual(here);
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(clock.localClock('exit')).toBeUndefined();
    expect(clock.notes()).toEqual([expect.objectContaining({ code: 'local-engine-no-events', params: { error: 'connect ENOENT /var/run/docker.sock' } })]);
    expect(logged[0]).toMatch(/could not be opened \(connect ENOENT/);
    // Every sample lost its events (the stream ended): no local-engine clock either.
    const f = fakeEvents();
    const lost = new EngineClock(await EngineEventLog.open(f.docker), 5_000, 'local');
    f.stream.end();
    await new Promise((r) => setImmediate(r));
    await lost.settle('a', here, 'exit', false);
    expect(lost.localClock('exit')).toBeUndefined();
    expect(lost.notes()[0]).toMatchObject({ code: 'local-engine-clock', params: { samples: 1, localFallback: 1 } });
    // A remote model whose stream never opened: this machine's clock through SSH, as before (no event counts).
    const remote = new EngineClock(() => Promise.reject(new Error('channel refused')), 5_000);
    await remote.open();
    expect(remote.startupClock('exit', 13, 3)).toEqual({ clock: 'local-through-ssh', roundTripMs: 13, roundTripsToReady: 3, sshAllowanceMs: 39 });
    expect(remote.notes()).toEqual([]);
  });

  it('older documents (no phases, no engine events) still read', () => {
    expect(StartupClock.parse({ clock: 'local-through-ssh', roundTripMs: 13.1, roundTripsToReady: 3, sshAllowanceMs: 39.3 }).clock).toBe('local-through-ssh');
  });
});

describe('WorkloadTarget with a driver on another clock', () => {
  it('asks for the settled marks once the instance is stopped, with its local marks, and records those', async () => {
    const order: string[] = [];
    const driver: InstanceDriver = {
      model: 'container:runc',
      phases: ['create', 'started', 'ready'],
      stopPhase: 'remove',
      workload: resolveWorkload({ kind: 'true', timeoutMs: 10_000 }),
      prepare: async () => {},
      environment: async () => ({}),
      start: async () => (order.push('start'), { id: 'c1', marks: { create: 20, started: 66, ready: 109 } }),
      stop: async () => void order.push('stop'),
      settleMarks: async (_i, local, warmup) => {
        order.push(`settle ${warmup}`);
        expect(Object.keys(local)).toEqual(['create', 'started', 'ready', 'remove']);
        expect(local.remove).toBeGreaterThanOrEqual(0);
        return { create: 20, started: 60, ready: 90, remove: 115 };
      },
      liveCount: () => 0,
      dispose: async () => {},
    };
    const t = new WorkloadTarget(driver);
    const marks = await t.iterate({ iteration: 1, warmup: false, signal: new AbortController().signal, onPhase: () => {} });
    expect(order).toEqual(['start', 'stop', 'settle false']);
    expect(marks.ready).toBeCloseTo(90, 0);
    expect(marks.remove).toBeCloseTo(115, 0);
  });
});
