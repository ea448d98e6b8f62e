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
 * container's `create` event to the engine event that ends the phase, both on the remote engine's clock, added to
 * the create call as this machine saw it (`sshRoundTrips`: the create call's, and for the removal the turnaround
 * from the exit to the remove request); `local-through-ssh` when no engine event marks the phase's end (the
 * request's arrival, a log line, a TCP accept).
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
 * - ready: `exit` readiness is the workload's exit, the engine's `die`; `running` is the start call's completion,
 *   `start`; a log line is the engine log's receive time of that line; a TCP accept is seen by isolab only: local;
 * - remove: `destroy`, emitted as the container is gone. With `exit` readiness nothing else crosses SSH between
 *   the exit and the remove request (one turnaround); with the others isolab inspects the instance and reads its
 *   cgroup (and its logs) over SSH first, so the count is not fixed and is left out.
 */
const PHASE_EVENT: Record<ReadinessKind, Record<string, string | null>> = {
  exit: { create: null, started: 'start', ready: 'die', remove: 'destroy' },
  running: { create: null, started: 'start', ready: 'start', remove: 'destroy' },
  log: { create: null, started: 'start', ready: READY_LINE, remove: 'destroy' },
  tcp: { create: null, started: 'start', ready: null, remove: 'destroy' },
};

/** The clock of each phase of a container start on a remote engine, by readiness (what the document records). */
export function phaseClocks(readiness: ReadinessKind): Record<string, PhaseClock> {
  const out: Record<string, PhaseClock> = {};
  for (const [phase, event] of Object.entries(PHASE_EVENT[readiness])) {
    if (!event) out[phase] = { clock: 'local-through-ssh' };
    else if (phase === 'remove') out[phase] = readiness === 'exit' ? { clock: 'remote-engine', sshRoundTrips: 2 } : { clock: 'remote-engine' };
    else out[phase] = { clock: 'remote-engine', sshRoundTrips: 1 };
  }
  // The create call crosses SSH once, there and back.
  out.create.sshRoundTrips = 1;
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
