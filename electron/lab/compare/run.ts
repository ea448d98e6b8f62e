import type { LabEvent } from '../../../shared/api';
import { COMPARISON_SCHEMA, footprintFromVmRun, hostBytesBelowNoise, type Comparison, type ModelResult } from '../../../shared/compare';
import { resolveWorkload, type Plan } from '../../../shared/plan';
import { startCallLag } from '../../../shared/readiness';
import type { Run } from '../../../shared/run';
import { ratioOfMedians, summarize } from '../../../shared/stats';
import { runDensity } from '../density/run';
import { measureFootprint } from '../footprint/measure';
import { hostFacts, ISOLAB_VERSION } from '../host';
import { runBench, type BenchOptions } from '../runner';
import { newRunId, StoreError, type RunStore } from '../store';
import { thisOwner } from '../owner';
import { CancelledError } from '../targets/target';
import { WorkloadTarget } from '../workloads/target';
import { idleWorkload, type ModelSpec } from './models';
import type { ComparisonStore } from './store';
import { note, type Note } from '../../../shared/notes';

export interface CompareOptions {
  id: string;
  plan: Plan;
  models: ModelSpec[];
  runs: RunStore;
  comparisons: ComparisonStore;
  signal: AbortSignal;
  /** The job the comparison runs as (its startup runs' progress events name it). */
  job?: BenchOptions['job'];
  onEvent?: (e: LabEvent) => void;
  /** Where the comparison is (model, stage, message): the CLI prints it, faces poll getComparison. */
  onProgress?: (p: { comparisonId: string; model: string; stage: string; message: string }) => void;
}

const FLOOR = 'process';

/**
 * Runs every model with the same plan, back to back, and writes one Comparison. A model that cannot run here
 * or fails gets its own status and one-line error; the comparison goes on with the next. The document is saved
 * after each model, so a crash keeps what was measured.
 */
export async function runCompare(o: CompareOptions): Promise<Comparison> {
  const c: Comparison = {
    schema: COMPARISON_SCHEMA,
    id: o.id,
    status: 'partial',
    startedAt: new Date().toISOString(),
    environment: { host: await hostFacts(), isolabVersion: ISOLAB_VERSION, node: process.versions.node },
    plan: o.plan as unknown as Record<string, unknown>,
    floor: FLOOR,
    models: [],
    notes: [],
    owner: thisOwner(),
  };
  const wanted = o.plan.models ? new Set(o.plan.models) : undefined;
  const specs = wanted ? o.models.filter((m) => wanted.has(m.model)) : o.models;
  if (wanted) {
    for (const m of wanted) if (!o.models.some((s) => s.model === m)) c.models.push({ model: m, status: 'unavailable', error: `${m} is not a model of this host; it has: ${o.models.map((s) => s.model).join(', ')}`, reason: { code: 'not-on-host', params: { model: m } }, notes: [] });
  }
  const progress = (model: string, stage: string, message: string) => o.onProgress?.({ comparisonId: c.id, model, stage, message });
  // Saved as it goes; a save that fails does not stop the measuring, the last one keeps it elsewhere if need be.
  const save = () => o.comparisons.save(c).catch((err) => {
    if (!(err instanceof StoreError)) throw err;
  });
  await save();
  try {
    for (const spec of specs) {
      if (o.signal.aborted) throw new CancelledError();
      const result = await runModel(spec, o, c.id, progress);
      c.models.push(result);
      if (result.startup?.phaseOrder.length && !c.environment.engine && result.model.startsWith('container:')) {
        const run = await o.runs.get(result.runId!).catch(() => undefined);
        if (run?.environment.engine) c.environment.engine = { ...run.environment.engine, runtime: undefined };
      }
      addRatios(c);
      await save();
    }
    c.status = c.models.some((m) => m.status === 'cancelled') ? 'cancelled' : 'complete';
  } catch (err) {
    c.status = err instanceof CancelledError || o.signal.aborted ? 'cancelled' : 'failed';
    if (c.status === 'failed') c.notes.push(note('comparison-stopped', { error: (err as Error).message }));
  }
  c.notes.push(...comparisonNotes(c));
  c.finishedAt = new Date().toISOString();
  await o.comparisons.saveOrKeep(c);
  return c;
}

async function runModel(spec: ModelSpec, o: CompareOptions, comparisonId: string, progress: (model: string, stage: string, message: string) => void): Promise<ModelResult> {
  const result: ModelResult = { model: spec.model, status: 'ok', notes: [] };
  if (spec.unavailable) {
    const { code, params, text } = spec.unavailable;
    return { ...result, status: 'unavailable', error: text, reason: { code, params } };
  }
  const plan = o.plan;
  const workload = resolveWorkload(plan.workload);
  const runId = newRunId(`${spec.model}-cmp`);

  // 1. Startup: the lifecycle benchmark, saved as an ordinary Run.
  progress(spec.model, 'startup', `timing ${plan.startup.iterations} starts`);
  const driver = spec.driver?.(workload, runId);
  const target = driver ? new WorkloadTarget(driver, plan.startup.concurrency) : spec.target!(runId);
  try {
    await target.prepare(o.signal);
  } catch (err) {
    await target.dispose().catch(() => {});
    if (err instanceof CancelledError) return { ...result, status: 'cancelled' };
    return { ...result, status: 'unavailable', error: oneLine(err), reason: { code: 'prepare-failed', params: { error: oneLine(err) } } };
  }
  let run: Run;
  try {
    run = await runBench({
      runId,
      kind: 'compare:startup',
      plan: { comparison: comparisonId, workload: plan.workload, ...plan.startup, model: spec.model },
      target,
      iterations: plan.startup.iterations,
      warmup: plan.startup.warmup,
      store: o.runs,
      signal: o.signal,
      job: o.job,
      onEvent: o.onEvent,
    });
  } catch (err) {
    // The run was measured but not saved (RunNotSavedError carries it).
    run = (err as { run?: Run }).run ?? (() => { throw err; })();
  }
  result.runId = run.id;
  result.notes.push(...run.notes);
  if (run.status === 'cancelled') return { ...result, status: 'cancelled' };
  const timed = run.samples.filter((s) => !s.warmup);
  if (run.status === 'failed') {
    // Failing at the very first start means this host cannot run the model; failing later is a failure.
    const status = run.samples.length === 0 ? 'unavailable' : 'failed';
    if (status === 'failed') return { ...result, status, error: firstLine(run.error) };
    return { ...result, status, error: `cannot run on this host: ${firstLine(run.error)}`, reason: { code: 'first-start-failed', params: { error: firstLine(run.error) } } };
  }
  const readyPhase = run.phaseOrder.includes('ready') ? 'ready' : run.phaseOrder.at(-1)!;
  const readyMs = timed.map((s) => s.marks[readyPhase] ?? s.totalMs);
  result.startup = {
    phaseOrder: run.phaseOrder,
    summary: run.summary,
    readyMs,
    ready: summarize(readyMs, timed.map((s) => s.iteration)),
    totalMs: timed.map((s) => s.totalMs),
    startCallLag: startCallLag(run),
  };

  // 2. Footprint and 3. density need instances held running: only for models with a driver.
  if (!spec.driver) {
    // Models without an instance driver (the VM) bring the footprint their own benchmark measured.
    result.footprint = footprintFromVmRun(run, readyMs);
    result.notes.push(note(result.footprint ? 'vm-footprint-from-run' : 'startup-only', { model: spec.model }));
    return result;
  }
  const idle = idleWorkload(plan.workload);
  if (plan.footprint) {
    progress(spec.model, 'footprint', `${plan.footprint.instances} idle instances`);
    const fd = spec.driver(idle, runId);
    try {
      await fd.prepare(o.signal);
      result.footprint = await measureFootprint(fd, { ...plan.footprint, signal: o.signal, onProgress: (m) => progress(spec.model, 'footprint', m) });
      if (hostBytesBelowNoise(result.footprint.memory)) {
        result.notes.push(note('host-memory-noise', { model: spec.model, instances: plan.footprint.instances }));
      }
    } catch (err) {
      if (err instanceof CancelledError) return { ...result, status: 'cancelled' };
      result.notes.push(note('footprint-failed', { model: spec.model, error: oneLine(err) }));
    } finally {
      await fd.dispose().catch(() => {});
    }
  }
  if (plan.density) {
    progress(spec.model, 'density', `up to ${plan.density.maxInstances} instances`);
    const dd = spec.driver(idle, runId);
    try {
      await dd.prepare(o.signal);
      result.density = await runDensity(dd, { ...plan.density, signal: o.signal, onProgress: (m) => progress(spec.model, 'density', m) });
      if (result.density.leftBehind) result.notes.push(note('density-left-behind', { model: spec.model, count: result.density.leftBehind }));
    } catch (err) {
      if (err instanceof CancelledError) return { ...result, status: 'cancelled' };
      result.notes.push(note('density-failed', { model: spec.model, error: oneLine(err) }));
    } finally {
      await dd.dispose().catch(() => {});
    }
  }
  return result;
}

/** Ratios of every model against the floor: time to ready, the whole lifecycle, host-side memory. */
function addRatios(c: Comparison): void {
  const floor = c.models.find((m) => m.model === c.floor && m.status === 'ok');
  if (!floor?.startup) return;
  for (const m of c.models) {
    if (!m.startup) continue;
    const ready = m.startup.readyMs.length && floor.startup.readyMs.length ? ratioOfMedians(m.startup.readyMs, floor.startup.readyMs) : undefined;
    const total = m.startup.totalMs.length && floor.startup.totalMs.length ? ratioOfMedians(m.startup.totalMs, floor.startup.totalMs) : undefined;
    const fm = floor.footprint?.memory.hostBytes;
    const mm = m.footprint?.memory.hostBytes;
    m.ratios = { ready, total, hostMemory: fm && mm && fm > 0 ? mm / fm : undefined };
  }
}

function comparisonNotes(c: Comparison): Note[] {
  const out: Note[] = [note('back-to-back')];
  const bad = c.models.filter((m) => m.status !== 'ok');
  if (bad.length) out.push(note('not-measured', { models: bad.map((m) => m.model).join(', ') }));
  return out;
}

function firstLine(s: string | undefined): string {
  return (s ?? 'unknown error').split('\n')[0].slice(0, 500);
}

function oneLine(err: unknown): string {
  return firstLine((err as Error)?.message ?? String(err));
}
