import type { Run, Sample } from './run';
import { summarize } from './stats';

/**
 * When a container is "ready", the same way in every face (Bench, Compare, Learn, the race, the simulator): the
 * moment the workload itself shows it runs, on isolab's own clock (its first output on the attach stream, or the
 * readiness line it prints), not the moment the engine answers the start call. The engine's answer is kept as
 * its own mark, `started`, in the order it happened: usually a little after the output (its lag), sometimes before.
 *
 * Layouts of a container run's marks:
 * - now: `create, firstOutput, started, exit, remove` (bench) and `create, started, ready, remove` (a workload);
 *   each sample's marks are in the order they happened;
 * - before: `create, start, firstOutput, exit, remove` and `create, start, ready, remove`, with the first output
 *   (or a log readiness line) clamped to the start call's return, so ready there is the engine's answer.
 */
const START_CALL = 'started';
/** The start call's mark in runs recorded before `started` existed. */
const OLD_START_CALL = 'start';

/** The mark of a container run that means ready: `ready` for a workload run, else the program's first output. */
export function containerReadyMark(phaseOrder: readonly string[]): 'ready' | 'firstOutput' | undefined {
  if (phaseOrder.includes('ready')) return 'ready';
  if (phaseOrder.includes('firstOutput')) return 'firstOutput';
  return undefined;
}

/** Whether the run's ready mark is the workload's own output, which can come before the engine's answer. */
function readyIsOutput(run: Pick<Run, 'phaseOrder' | 'plan'>): boolean {
  const mark = containerReadyMark(run.phaseOrder);
  if (mark === 'firstOutput') return true;
  if (mark !== 'ready') return false;
  return readyByLogLine(run.plan.workload);
}

/**
 * Whether a run's workload (as saved in its plan) is ready on a line of its output: its own readiness is a log
 * pattern, or it has none and is the built-in `ready-line` (shared/plan.ts `resolveWorkload`). Read without the
 * plan's schema, so the run page needs no zod: test/unit/readiness.test.ts holds it to the schema's answer.
 */
export function readyByLogLine(workload: unknown): boolean {
  const w = workload ?? {};
  if (!isRecord(w)) return false;
  if (w.readiness === undefined) return w.kind === 'ready-line';
  return isRecord(w.readiness) && w.readiness.kind === 'log' && typeof w.readiness.pattern === 'string';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How long after the workload was ready the engine answered the start call (its schema: shared/compare.ts). */
export interface StartCallLag {
  /** Median of (the engine's answer to the start call − ready), ms: > 0 when the answer came after the output. */
  medianMs: number;
  ci95: [number, number];
  n: number;
  /** Timed iterations whose workload was ready before the engine answered. */
  readyFirst: number;
}

/**
 * How long after the workload was ready the engine answered the start call, over the timed samples. Only for runs
 * whose ready is the workload's output and that kept both marks apart (not for runs recorded before, where the
 * output was clamped to the answer: see `readyClampedToStartCall`).
 */
export function startCallLag(run: Pick<Run, 'phaseOrder' | 'plan' | 'samples'>): StartCallLag | undefined {
  const lags = startCallLags(run);
  if (!lags) return undefined;
  const summary = summarize(lags);
  return { medianMs: summary.median, ci95: summary.ci95, n: lags.length, readyFirst: lags.filter((l) => l > 0).length };
}

/** The timed samples' (start call's answer − ready), ms, of which startCallLag is the summary; undefined when it has none. */
export function startCallLags(run: Pick<Run, 'phaseOrder' | 'plan' | 'samples'>): number[] | undefined {
  const mark = containerReadyMark(run.phaseOrder);
  if (!mark || !run.phaseOrder.includes(START_CALL) || !readyIsOutput(run)) return undefined;
  const timed = run.samples.filter((s) => !s.warmup && has(s, mark) && has(s, START_CALL));
  if (timed.length === 0) return undefined;
  return timed.map((s) => s.marks[START_CALL] - s.marks[mark]);
}

/** A container run recorded before both marks were kept: its ready is the engine's answer to the start call. */
export function readyClampedToStartCall(run: Pick<Run, 'phaseOrder' | 'plan'>): boolean {
  return run.phaseOrder.includes(OLD_START_CALL) && !run.phaseOrder.includes(START_CALL) && readyIsOutput(run);
}

/** Request-to-ready of each timed sample of a container run (ms), with the mark it was read from. */
export function containerReadyMs(run: Pick<Run, 'phaseOrder' | 'samples'>): { mark: string; values: number[]; iterations: number[] } | undefined {
  const mark = containerReadyMark(run.phaseOrder);
  if (!mark) return undefined;
  const timed = run.samples.filter((s) => !s.warmup && has(s, mark));
  return { mark, values: timed.map((s) => s.marks[mark]), iterations: timed.map((s) => s.iteration) };
}

const has = (s: Sample, mark: string) => typeof s.marks[mark] === 'number';

/** The ready line of a container run for the CLI and the Markdown export (English, like the rest of them). */
export function readyLine(run: Pick<Run, 'model' | 'phaseOrder' | 'plan' | 'samples'>, ms: (v: number) => string): string | undefined {
  if (!/(^|\/)container:/.test(run.model)) return undefined;
  const r = containerReadyMs(run);
  if (!r || r.values.length === 0) return undefined;
  const s = summarize(r.values);
  let line = `ready (${r.mark === 'firstOutput' ? 'first output' : 'workload ready'}): median ${ms(s.median)} (95% CI ${ms(s.ci95[0])}–${ms(s.ci95[1])})`;
  const lag = startCallLag(run);
  if (lag) line += `; the engine answered the start call ${ms(Math.abs(lag.medianMs))} ${lag.medianMs >= 0 ? 'later' : 'earlier'} (median; ready first in ${lag.readyFirst} of ${lag.n})`;
  else if (readyClampedToStartCall(run)) line += "; recorded before the first output was kept apart from the start call's answer, so ready is that answer";
  return line;
}
