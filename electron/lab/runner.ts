import type { LabEvent } from '../../shared/api';
import type { JobKind } from '../../shared/jobs';
import { RUN_SCHEMA, type Baseline, type PhaseSummary, type Run, type Sample } from '../../shared/run';
import { spreadWarnings, summarize } from '../../shared/stats';
import { hostFacts, ISOLAB_VERSION } from './host';
import { NotSavedError, StoreError, type RunStore } from './store';
import { thisOwner } from './owner';
import { CancelledError, type Marks, type Target } from './targets/target';

/** The model under test and the floor beside it. */
export interface BenchTargets {
  target: Target;
  /** The floor, run interleaved with the target so both see the same machine state. */
  baseline?: Target;
}

/**
 * Targets made once the run is on disk: connecting to an engine or building a kit may hang or crash, and the
 * run's record must exist by then. `model` names the run until the target says what it really is.
 */
interface DeferredTargets {
  model: string;
  make(): Promise<BenchTargets>;
}

export interface BenchOptions {
  runId: string;
  kind: string;
  /** The job this run belongs to, named in its progress events; the run itself, a bench, when left out. */
  job?: { id: string; kind: JobKind };
  plan: Record<string, unknown>;
  target: Target | DeferredTargets;
  /** The floor, run interleaved with the target so both see the same machine state. */
  baseline?: Target;
  iterations: number;
  warmup: number;
  store: RunStore;
  signal: AbortSignal;
  onEvent?: (event: LabEvent) => void;
}

/**
 * The run was measured but could not be saved in the data directory. It travels with the error, and
 * `fallback` says where it was written instead (when that worked), so nothing is lost.
 */
export class RunNotSavedError extends NotSavedError<Run> {
  readonly run: Run;
  constructor(failure: NotSavedError<Run>) {
    super(failure.doc, failure.cause, failure.fallback);
    this.run = failure.doc;
    this.name = 'RunNotSavedError';
  }
}

const SAVE_EVERY_MS = 1000;

function isDeferred(t: Target | DeferredTargets): t is DeferredTargets {
  return typeof (t as DeferredTargets).make === 'function';
}

/**
 * Warmup, then N timed iterations, each a cold start from request to cleanup. The run is on disk with status
 * "partial" before anything is prepared, so a crash keeps a record and what was measured; the end sets its
 * final status. A final save that fails throws RunNotSavedError, after writing the run to the fallback folder.
 */
export async function runBench(o: BenchOptions): Promise<Run> {
  const total = o.warmup + o.iterations;
  let targets: BenchTargets | undefined = isDeferred(o.target) ? undefined : { target: o.target, baseline: o.baseline };
  const run: Run = {
    schema: RUN_SCHEMA,
    id: o.runId,
    kind: o.kind,
    model: o.target.model,
    status: 'partial',
    startedAt: new Date().toISOString(),
    environment: { host: await hostFacts(), isolabVersion: ISOLAB_VERSION, node: process.versions.node, ...(isDeferred(o.target) ? {} : await o.target.initialEnvironment?.()) },
    plan: o.plan,
    phaseOrder: targets ? [...targets.target.phases] : [],
    samples: [],
    summary: {},
    notes: [],
    owner: thisOwner(),
  };
  const baselineSamples: Sample[] = [];
  const emit = (e: LabEvent) => o.onEvent?.(e);
  const job = o.job ?? { id: o.runId, kind: 'bench' as const };
  emit({ type: 'run-started', runId: run.id, model: run.model, total, jobId: job.id, kind: job.kind });

  let lastSave = 0;
  const save = async (force: boolean) => {
    if (!force && performance.now() - lastSave < SAVE_EVERY_MS) return;
    lastSave = performance.now();
    if (targets) finish(run, targets, baselineSamples);
    try {
      await o.store.save(run);
    } catch (err) {
      // Keep measuring: the final save tries again, and keeps the run elsewhere if it fails too.
      if (!(err instanceof StoreError)) throw err;
    }
  };

  try {
    await save(true);
    if (isDeferred(o.target)) targets = await o.target.make();
    const { target, baseline } = targets!;
    await target.prepare(o.signal);
    if (baseline) await baseline.prepare(o.signal);
    run.model = target.model;
    run.phaseOrder = [...target.phases];
    Object.assign(run.environment, await target.environment());
    await save(true);
    for (let i = 1; i <= total; i++) {
      const warmup = i <= o.warmup;
      for (const [t, into, role] of [[baseline, baselineSamples, 'baseline'], [target, run.samples, 'subject']] as const) {
        if (!t) continue;
        const at = { type: 'progress', runId: run.id, jobId: job.id, kind: job.kind, model: t.model, role, iteration: i, total, warmup } as const;
        const marks = await t.iterate({ iteration: i, warmup, signal: o.signal, onPhase: (phase) => emit({ ...at, phase, iterationDone: false }) });
        const sample = toSample(i, warmup, marks, t.phases);
        into.push(sample);
        // The iteration is over when iterate() returns, whatever its last phase is called: say so once.
        emit({ ...at, phase: Object.keys(sample.marks).at(-1) ?? '', iterationDone: true });
      }
      await save(false);
    }
    if (target.footprint) run.footprint = await target.footprint(o.signal);
    run.status = 'complete';
  } catch (err) {
    if (err instanceof CancelledError || o.signal.aborted) {
      run.status = 'cancelled';
    } else {
      run.status = 'failed';
      run.error = (err as Error).message ?? String(err);
    }
  } finally {
    if (targets) await Promise.allSettled([targets.target.dispose(), targets.baseline?.dispose()]);
  }
  run.finishedAt = new Date().toISOString();
  if (targets) finish(run, targets, baselineSamples);
  let notSaved: RunNotSavedError | undefined;
  try {
    await o.store.saveOrKeep(run);
  } catch (err) {
    if (!(err instanceof NotSavedError)) throw err;
    notSaved = new RunNotSavedError(err as NotSavedError<Run>);
  }
  emit({
    type: 'run-finished',
    runId: run.id,
    status: run.status,
    error: run.error,
    notSaved: notSaved && { file: notSaved.file ?? '', code: notSaved.code, fallback: notSaved.fallback },
  });
  if (notSaved) throw notSaved;
  return run;
}

/**
 * A sample's phases in the order its marks happened: two marks of one start may swap between iterations (a
 * container's first output and the engine's answer to the start call), so each phase runs from the mark before it
 * in this sample, and its marks are stored in the order they happened. Ties keep the target's order.
 */
export function toSample(iteration: number, warmup: boolean, marks: Marks, order: readonly string[]): Sample {
  for (const p of order) if (marks[p] === undefined) throw new Error(`phase ${p} was not measured`);
  const inTime = [...order].sort((a, b) => marks[a] - marks[b]);
  const phases: Record<string, number> = {};
  let prev = 0;
  for (const p of inTime) {
    phases[p] = marks[p] - prev;
    prev = marks[p];
  }
  const stored = Object.keys(marks).sort((a, b) => marks[a] - marks[b]);
  return { iteration, warmup, phases, marks: Object.fromEntries(stored.map((p) => [p, marks[p]])), totalMs: prev };
}

export function summarizeSamples(samples: Sample[], order: readonly string[]): Record<string, PhaseSummary> {
  const timed = samples.filter((s) => !s.warmup);
  // No timed sample, no statistics: NaN would be written as null and the run could not be read back.
  if (timed.length === 0) return {};
  const ids = timed.map((s) => s.iteration);
  const out: Record<string, PhaseSummary> = {};
  for (const p of order) out[p] = summarize(timed.map((s) => s.phases[p]), ids);
  out.total = summarize(timed.map((s) => s.totalMs), ids);
  return out;
}

/** Summaries, the baseline and the warnings, recomputed from the samples so far. */
function finish(run: Run, o: BenchTargets, baselineSamples: Sample[]): void {
  run.summary = summarizeSamples(run.samples, run.phaseOrder);
  const notes = [...(o.target.notes?.() ?? []), ...(o.baseline?.notes?.() ?? [])];
  const first = (xs: Sample[]) => xs.find((s) => !s.warmup)?.totalMs;
  if (run.samples.some((s) => !s.warmup)) notes.push(...spreadWarnings(run.model, run.summary.total, first(run.samples)));
  if (o.baseline && baselineSamples.length > 0) {
    const baseline: Baseline = {
      model: o.baseline.model,
      phaseOrder: [...o.baseline.phases],
      samples: baselineSamples,
      summary: summarizeSamples(baselineSamples, o.baseline.phases),
    };
    run.baseline = baseline;
    if (baselineSamples.some((s) => !s.warmup)) notes.push(...spreadWarnings(baseline.model, baseline.summary.total, first(baselineSamples), true));
  }
  run.notes = notes;
}
