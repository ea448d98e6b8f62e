import type { PhaseClock } from '../../../shared/compare';
import type { Marks } from '../targets/target';

/**
 * One container event of the engine, as its event stream gives it: the action and the engine's own clock, in ns
 * since the epoch (a bigint: as a double it would round to 256 ns).
 */
export interface EngineEvent {
  action: string;
  timeNano: bigint;
}

export type ReadinessKind = 'exit' | 'running' | 'log' | 'tcp';

/*
 * How each phase of a container start is timed on a remote host (`PhaseClock`): `remote-engine`, from the
 * container's `create` event to the engine instant that ends the phase, both on the remote engine's clock, added
 * to the create call as this machine saw it; `local-through-ssh` when no engine instant marks the phase's end (the
 * request's arrival, a TCP accept). `sshRoundTrips` counts what SSH still puts inside (with d the one-way delay):
 * the create call (2d), and between the `create` event and the next call's arrival, the create answer's way back
 * and the next request's way there (2d, the turnaround): no engine instant marks a request's arrival, so the
 * engine clock takes out the round trips of the calls after the last one the phase waits for (the start call's
 * answer, the wait call), not the turnarounds before it.
 */

/**
 * The instant the engine's log received the workload's ready line (`docker logs --timestamps`): not an event of the
 * stream, read from the logs once the workload is ready, on the same engine clock.
 */
export const READY_LINE = 'ready-line';

/**
 * The engine event that ends each phase, by readiness; null: no engine instant marks it, the local mark stays.
 * - create: the request's arrival has no engine instant (`create` is emitted once the container exists): local;
 * - started: the engine's `start`, emitted as the start call completes, before its answer crosses SSH;
 * - ready: `exit` readiness is the workload's exit, the engine's `die` (the wait call's round trip is out);
 *   `running` is the start call's completion, `start`; a log line is the engine log's receive time of that line
 *   (read with `docker logs --timestamps`); a TCP accept is seen by isolab only: local;
 * - remove: `destroy`, emitted as the container is gone.
 */
const PHASE_EVENT: Record<ReadinessKind, Record<string, string | null>> = {
  exit: { create: null, started: 'start', ready: 'die', remove: 'destroy' },
  running: { create: null, started: 'start', ready: 'start', remove: 'destroy' },
  log: { create: null, started: 'start', ready: READY_LINE, remove: 'destroy' },
  tcp: { create: null, started: 'start', ready: null, remove: 'destroy' },
};

/**
 * Round trips SSH still puts inside each engine-clock phase, by readiness: the create call, and one turnaround per
 * call the engine waited for before the phase's instant (the start call; with log readiness the attach call
 * first). Removal: not a fixed count (whether the workload exited before the wait call came, isolab's reads of
 * the instance over SSH before it removes it), left out.
 */
const SSH_ROUND_TRIPS: Record<ReadinessKind, Record<string, number | undefined>> = {
  exit: { create: 1, started: 2, ready: 2 },
  running: { create: 1, started: 2, ready: 2 },
  log: { create: 1, started: 3, ready: 3 },
  tcp: { create: 1, started: 2 },
};

/** Which engine a start was timed on: a remote host's (over SSH) or this machine's (no SSH in any phase). */
export type EngineWhere = 'remote' | 'local';

/** The clock of each phase of a container start on an engine, by readiness (what the document records). */
export function phaseClocks(readiness: ReadinessKind, where: EngineWhere = 'remote'): Record<string, PhaseClock> {
  const out: Record<string, PhaseClock> = {};
  for (const [phase, event] of Object.entries(PHASE_EVENT[readiness])) {
    if (where === 'local') {
      out[phase] = { clock: event ? 'local-engine' : 'local' };
      continue;
    }
    const trips = SSH_ROUND_TRIPS[readiness][phase];
    out[phase] = { clock: event ? 'remote-engine' : 'local-through-ssh', ...(trips !== undefined ? { sshRoundTrips: trips } : {}) };
  }
  return out;
}

/** The engine instants a sample needs for its phases to be put on the engine's clock (the stream's, and the ready line). */
export function neededEvents(readiness: ReadinessKind): string[] {
  const events = Object.values(PHASE_EVENT[readiness]).filter((e): e is string => e !== null);
  return ['create', ...new Set(events)];
}

export interface EngineMarks {
  marks: Marks;
  /** The events that did not arrive in time: the sample kept its local marks (all of them, one clock per sample). */
  missing: string[];
}

/**
 * A sample's marks with every phase an engine event ends put on the engine's clock: the local create mark (the
 * request until the engine's answer, as this machine saw it) plus, for each later phase, the time from the
 * container's `create` event to the phase's event, both read on the remote engine's clock. Only differences of
 * engine instants are used, so how far that clock is from this machine's (skew) does not matter. When an event
 * the phases need is missing (the engine's events are asynchronous, and waited for only so long) the sample
 * keeps its local marks, and `missing` says which.
 */
export function engineMarks(local: Marks, events: readonly EngineEvent[], readiness: ReadinessKind): EngineMarks {
  const first = (action: string) => events.find((e) => e.action === action)?.timeNano;
  const missing = neededEvents(readiness).filter((a) => first(a) === undefined);
  if (missing.length || local.create === undefined) return { marks: { ...local }, missing: local.create === undefined ? ['create', ...missing] : missing };
  const created = first('create')!;
  const marks: Marks = { ...local };
  for (const [phase, event] of Object.entries(PHASE_EVENT[readiness])) {
    if (!event || local[phase] === undefined) continue;
    marks[phase] = local.create + Number(first(event)! - created) / 1e6;
  }
  return { marks, missing: [] };
}

/** The stream's events among them (the ready line comes from the logs). */
export function streamEvents(readiness: ReadinessKind): string[] {
  return neededEvents(readiness).filter((a) => a !== READY_LINE);
}

/**
 * The engine's receive instant (ns since the epoch) of the first line matching `pattern` in logs read with
 * timestamps ("2026-12-01T01:42:08.883591713Z text"); undefined when no line matches.
 */
export function readyLineInstant(logs: string, pattern: string): bigint | undefined {
  const re = new RegExp(pattern);
  for (const line of logs.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) (.*)$/.exec(line.replace(/\r$/, ''));
    if (!m || !re.test(m[4])) continue;
    const seconds = Date.parse(`${m[1]}${m[3]}`);
    if (Number.isNaN(seconds)) continue;
    return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  }
  return undefined;
}
