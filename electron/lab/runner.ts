import type { LabEvent } from '../../shared/api';
import { RUN_SCHEMA, type Baseline, type PhaseSummary, type Run, type Sample } from '../../shared/run';
import { spreadWarnings, summarize } from '../../shared/stats';
import { hostFacts, ISOLAB_VERSION } from './host';
import { StoreError, type RunStore } from './store';
import { CancelledError, type Marks, type Target } from './targets/target';

export interface BenchOptions {
  runId: string;
  kind: string;
  plan: Record<string, unknown>;
  target: Target;
  /** The floor, run interleaved with the target so both see the same machine state. */
  baseline?: Target;
  iterations: number;
  warmup: number;
  store: RunStore;
  signal: AbortSignal;
  onEvent?: (event: LabEvent) => void;
}

/** The run was measured but could not be saved; it travels with the error so nothing is lost. */
export class RunNotSavedError extends StoreError {
  constructor(readonly run: Run, cause: StoreError) {
    super(`${cause.message}. The run was not lost: it is printed with --json, or run again with ISOLAB_DATA_DIR set.`, cause);
    this.name = 'RunNotSavedError';
  }
}

const SAVE_EVERY_MS = 1000;

/**
 * Warmup, then N timed iterations, each a cold start from request to cleanup. The run is on disk with status
 * "partial" from the first moment, so a crash keeps what was measured; the end sets its final status.
 */
export async function runBench(o: BenchOptions): Promise<Run> {
  const total = o.warmup + o.iterations;
  const run: Run = {
    schema: RUN_SCHEMA,
    id: o.runId,
    kind: o.kind,
    model: o.target.model,
    status: 'partial',
    startedAt: new Date().toISOString(),
    environment: { host: await hostFacts(), isolabVersion: ISOLAB_VERSION, node: process.versions.node, ...(await o.target.initialEnvironment?.()) },
    plan: o.plan,
    phaseOrder: [...o.target.phases],
    samples: [],
    summary: {},
    notes: [],
  };
  const baselineSamples: Sample[] = [];
  const emit = (e: LabEvent) => o.onEvent?.(e);
  emit({ type: 'run-started', runId: run.id, model: run.model, total });

  let lastSave = 0;
  let saveError: StoreError | undefined;
  const save = async (force: boolean) => {
    if (!force && performance.now() - lastSave < SAVE_EVERY_MS) return;
    lastSave = performance.now();
    finish(run, o, baselineSamples);
    try {
      await o.store.save(run);
      saveError = undefined;
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      saveError = err; // keep measuring; the final save tries again
    }
  };

  try {
    await o.target.prepare(o.signal);
    if (o.baseline) await o.baseline.prepare(o.signal);
    run.model = o.target.model;
    Object.assign(run.environment, await o.target.environment());
    await save(true);
    for (let i = 1; i <= total; i++) {
      const warmup = i <= o.warmup;
      for (const [target, into] of [[o.baseline, baselineSamples], [o.target, run.samples]] as const) {
        if (!target) continue;
        const marks = await target.iterate({
          iteration: i,
          warmup,
          signal: o.signal,
          onPhase: (phase) => emit({ type: 'progress', runId: run.id, model: target.model, iteration: i, total, warmup, phase }),
        });
        into.push(toSample(i, warmup, marks, target.phases));
      }
      await save(false);
    }
    if (o.target.footprint) run.footprint = await o.target.footprint(o.signal);
    run.status = 'complete';
  } catch (err) {
    if (err instanceof CancelledError || o.signal.aborted) {
      run.status = 'cancelled';
    } else {
      run.status = 'failed';
      run.error = (err as Error).message ?? String(err);
    }
  } finally {
    await Promise.allSettled([o.target.dispose(), o.baseline?.dispose()]);
  }
  run.finishedAt = new Date().toISOString();
  await save(true);
  emit({ type: 'run-finished', runId: run.id, status: run.status, error: run.error ?? saveError?.message });
  if (saveError) throw new RunNotSavedError(run, saveError);
  return run;
}

export function toSample(iteration: number, warmup: boolean, marks: Marks, order: readonly string[]): Sample {
  const phases: Record<string, number> = {};
  let prev = 0;
  for (const p of order) {
    if (marks[p] === undefined) throw new Error(`phase ${p} was not measured`);
    phases[p] = marks[p] - prev;
    prev = marks[p];
  }
  return { iteration, warmup, phases, marks: { ...marks }, totalMs: prev };
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
function finish(run: Run, o: BenchOptions, baselineSamples: Sample[]): void {
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
    if (baselineSamples.some((s) => !s.warmup)) notes.push(...spreadWarnings(`${baseline.model} (baseline)`, baseline.summary.total, first(baselineSamples)));
  }
  run.notes = notes;
}
