import { densityFigure } from '../../../shared/adaptive/density-rule';
import { decideFootprintRounds, footprintFigure, noiseRmsBytes } from '../../../shared/adaptive/footprint-rule';
import { medianInterval } from '../../../shared/adaptive/median-ci';
import { unitCostMs } from '../../../shared/adaptive/planner';
import { runSchedule, type FigureHandle, type ScheduleResult } from '../../../shared/adaptive/scheduler';
import type { AdaptiveFigure, BudgetPreset, ComparisonAdaptive } from '../../../shared/adaptive/schema';
import { decideMedian, lookSchedule } from '../../../shared/adaptive/startup-rule';
import { figurePriors, recordStartup, startupRuleFor, type FixedCounts } from '../../../shared/adaptive/wiring';
import type { LabEvent } from '../../../shared/api';
import type { JobKind } from '../../../shared/jobs';
import { COMPARISON_SCHEMA, footprintFromVmRun, hostBytesBelowNoise, type Comparison, type ModelResult } from '../../../shared/compare';
import { resolveWorkload, type Plan } from '../../../shared/plan';
import { startCallLag } from '../../../shared/readiness';
import { ratioOfMedians, summarize } from '../../../shared/stats';
import { hostFacts, ISOLAB_VERSION } from '../host';
import type { HostFacts } from '../../../shared/run';
import type { HostFs } from '../footprint/host-fs';
import { summarizeSamples } from '../runner';
import { newRunId, StoreError, type RunStore } from '../store';
import { thisOwner } from '../owner';
import { WorkloadTarget } from '../workloads/target';
import { densityCurves, DensitySession, VmDensitySession } from './density-figure';
import { FootprintSession, NoiseProbe } from './footprint-figure';
import { idleWorkload, type ModelSpec } from './models';
import { StartupSession } from './startup-figure';
import type { ComparisonStore } from './store';
import { note, type Note } from '../../../shared/notes';

type FigureOutcome = ScheduleResult['outcomes'][number];

export interface CompareOptions {
  id: string;
  plan: Plan;
  /** The models to run, each with the factories that build its target or instance driver. */
  models: ModelSpec[];
  runs: RunStore;
  comparisons: ComparisonStore;
  signal: AbortSignal;
  /** The job the comparison runs as (its startup runs' progress events name it). */
  job?: { id: string; kind: JobKind };
  onEvent?: (e: LabEvent) => void;
  /** Where the comparison is (model, stage, message): the CLI prints it, faces poll getComparison. */
  onProgress?: (p: { comparisonId: string; model: string; stage: string; message: string }) => void;
  /** The time budget (undefined: every figure runs to its own stop). */
  budget?: { ms: number; preset?: BudgetPreset };
  /** performance.now() when the comparison was asked for: the budget counts from there (finding the models is in it). */
  askedAt?: number;
  /** Counts the user fixed: kept, not adapted. */
  fixed?: FixedCounts;
  /** Other names of a model's runtime (measured once for all of them), and the groups that decided it. */
  aliases?: Record<string, string[]>;
  runtimeGroups?: ComparisonAdaptive['runtimeGroups'];
  /** The last comparison on this host: the unit costs it recorded are the planner's first guesses. */
  last?: Comparison;
  /**
   * Where the models run: this machine when left out. A remote host brings its own facts and its `remote`
   * record (target, resolved, reached), and is measured for startup only (its footprint would need its /proc).
   */
  place?: ComparePlace;
}

export interface ComparePlace {
  host: HostFacts;
  remote?: Record<string, unknown>;
  /** The place's /proc and cgroups (a remote host's over SSH): footprint and density read there. */
  fs?: HostFs;
  /** No footprint or density (a remote host whose /proc cannot be read): each model with a driver says so. */
  startupOnly?: boolean;
}

const FLOOR = 'process';
const ORDER = 'pilot-first' as const;
const FOOTPRINT_RULE = { minRounds: 2, maxRounds: 6 };
const NOISE_WINDOWS = 2;

/** One model's figures while the schedule runs. */
interface ModelRun {
  spec: ModelSpec;
  result: ModelResult;
  startup: StartupSession;
  footprint?: FootprintSession;
  density?: DensitySession | VmDensitySession;
}

/**
 * Runs every model with the same plan and writes one Comparison. Startup, footprint and density are sampled
 * adaptively (shared/adaptive, docs/adaptive-compare.md): each figure until its precision target or its
 * maximum, the whole within the budget, models taking turns pilot-first (each model's pilot in order, then
 * one more block each). A model that cannot run here or fails gets its own status and one-line error; the
 * comparison goes on with the next. The document is saved as figures come in, so a crash keeps what was
 * measured, and each batch is announced (compare-figure) so faces fill in as models finish.
 */
export async function runCompare(o: CompareOptions): Promise<Comparison> {
  const host = o.place?.host ?? (await hostFacts());
  const fixed = o.fixed ?? { startup: false, footprint: false };
  const c: Comparison = {
    schema: COMPARISON_SCHEMA,
    id: o.id,
    status: 'partial',
    startedAt: new Date().toISOString(),
    environment: { host, ...(o.place?.remote ? { remote: o.place.remote } : {}), isolabVersion: ISOLAB_VERSION, node: process.versions.node },
    plan: o.plan as unknown as Record<string, unknown>,
    floor: FLOOR,
    models: [],
    notes: [],
    owner: thisOwner(),
  };
  const plan = o.plan;
  const rule = startupRuleFor(plan, fixed);
  const densityRule = plan.density ? { maxSteps: densitySteps(plan.density.maxInstances) } : undefined;
  const noise = plan.footprint && !fixed.footprint ? new NoiseProbe({ settleMs: plan.footprint.settleMs, windows: NOISE_WINDOWS, fs: o.place?.fs }) : undefined;
  c.adaptive = {
    version: 1,
    order: ORDER,
    startupRule: { minCount: rule.minCount, maxCount: rule.maxCount, target: rule.target, level: rule.level, lookGrowth: rule.lookGrowth, warmup: rule.warmup },
    footprintRule: plan.footprint ? (fixed.footprint ? { minRounds: plan.footprint.rounds, maxRounds: plan.footprint.rounds } : FOOTPRINT_RULE) : undefined,
    densityRule: plan.density ? { minPoints: 3, target: rule.target, level: rule.level } : undefined,
  };

  const wanted = plan.models ? new Set(plan.models) : undefined;
  const specs = wanted ? o.models.filter((m) => wanted.has(m.model)) : o.models;
  const unlisted: ModelResult[] = [];
  if (wanted) {
    for (const m of wanted) if (!o.models.some((s) => s.model === m)) unlisted.push({ model: m, status: 'unavailable', error: `${m} is not a model of this host; it has: ${o.models.map((s) => s.model).join(', ')}`, reason: { code: 'not-on-host', params: { model: m } }, notes: [] });
  }
  // The groups of the runtimes this comparison measures (--models may leave some out).
  if (o.runtimeGroups) {
    const measured = new Set(specs.map((m) => m.model));
    c.adaptive.runtimeGroups = { ...o.runtimeGroups, groups: o.runtimeGroups.groups.filter((g) => measured.has(`container:${g.canonical}`)) };
  }
  const progress = (model: string, stage: string, message: string) => o.onProgress?.({ comparisonId: c.id, model, stage, message });
  const workload = resolveWorkload(plan.workload);
  const idle = idleWorkload(plan.workload);
  const runs: ModelRun[] = [];
  const unavailable: ModelResult[] = [];
  for (const spec of specs) {
    const result: ModelResult = { model: spec.model, status: 'ok', notes: [], ...(o.aliases?.[spec.model]?.length ? { aliases: o.aliases[spec.model] } : {}) };
    if (spec.unavailable) {
      const { code, params, text } = spec.unavailable;
      unavailable.push({ ...result, status: 'unavailable', error: text, reason: { code, params } });
      continue;
    }
    const runId = newRunId(`${spec.model}-cmp`);
    const startup = new StartupSession(
      () => {
        // A model that gives a target times its own starts with it (the floor, by the timing shell); its driver, if
        // any, is for footprint and density.
        if (spec.target) return spec.target(runId, workload, plan.startup.concurrency);
        return new WorkloadTarget(spec.driver!(workload, runId), plan.startup.concurrency);
      },
      { runId, model: spec.model, plan: { comparison: c.id, workload: plan.workload, ...plan.startup, model: spec.model }, host, warmup: plan.startup.warmup, maxCount: rule.maxCount, store: o.runs, job: o.job, onEvent: o.onEvent },
    );
    const m: ModelRun = { spec, result, startup };
    if (o.place?.startupOnly) {
      if (spec.driver && (plan.footprint || plan.density)) result.notes.push(note('remote-startup-only', { model: spec.model }));
      runs.push(m);
      continue;
    }
    if (spec.driver && plan.footprint) {
      const fp = plan.footprint;
      m.footprint = new FootprintSession(() => spec.driver!(idle, runId), { instances: fp.instances, settleMs: fp.settleMs, noise, fs: o.place?.fs, onProgress: (msg) => progress(spec.model, 'footprint', msg) });
    }
    if (spec.driver && plan.density) {
      const d = plan.density;
      m.density = new DensitySession(() => spec.driver!(idle, runId), { ...d, rule: { ...densityRule!, target: rule.target, level: rule.level }, fs: o.place?.fs, onProgress: (msg) => progress(spec.model, 'density', msg) });
    }
    // The VM brings its own curve (VMs booted side by side), so the density chart has every model.
    if (!spec.driver && spec.density && plan.density) {
      m.density = new VmDensitySession((x) => spec.density!({ runId, count: x.count, signal: x.signal, log: (msg) => progress(spec.model, 'density', msg) }), { model: spec.model, maxInstances: plan.density.maxInstances });
    }
    runs.push(m);
  }

  // Saved as it goes; a save that fails does not stop the measuring, the last one keeps it elsewhere if need be.
  let lastSave = 0;
  const save = async (force: boolean) => {
    if (!force && performance.now() - lastSave < 500) return;
    lastSave = performance.now();
    c.models = [...runs.filter((m) => m.startup.timed().length || !m.startup.live).map((m) => m.result), ...unavailable, ...unlisted];
    addRatios(c);
    await o.comparisons.save(c).catch((err) => {
      if (!(err instanceof StoreError)) throw err;
    });
  };
  await save(true);

  const t0 = o.askedAt ?? performance.now();
  const deadline = o.budget ? t0 + o.budget.ms : Infinity;
  const handles = figureHandles(runs, { plan, rule, fixed, noise, last: o.last, deadline });
  const byId = new Map(handles.map((h) => [h.handle.id, h]));
  const announced = new Set<string>();
  let schedule: ScheduleResult | undefined;
  try {
    schedule = await runSchedule({
      figures: handles.map((h) => h.handle),
      budgetMs: o.budget ? Math.max(0, deadline - performance.now()) : undefined,
      now: () => performance.now(),
      order: ORDER,
      signal: o.signal,
      // Say which model and figure is being measured when it starts, not only after its first batch: the Compare
      // page and the audience show it from this event while the pilot (a VM's prepare and boots) runs.
      onStart: (id) => {
        const h = byId.get(id)!;
        progress(h.model.spec.model, h.kind, 'starting');
      },
      onBatch: async (id) => {
        const h = byId.get(id)!;
        const { done, count } = h.handle.state();
        refresh(h.model);
        if (done && h.kind === 'startup') await closeStartup(h.model);
        // Saved before it is announced: a face re-reads the document on the event. A figure's first batch is always
        // saved, so the first figure of each model shows at once, not after the next save's 500 ms.
        await save(done || !announced.has(id));
        announced.add(id);
        await announce(h, done, count);
      },
    });
  } catch (err) {
    c.status = o.signal.aborted ? 'cancelled' : 'failed';
    if (c.status === 'failed') c.notes.push(note('comparison-stopped', { error: oneLine(err) }));
  }
  for (const m of runs) {
    if (!m.startup.timed().length && o.signal.aborted) m.startup.skipped('cancelled');
    await closeStartup(m);
    await m.footprint?.close();
    await m.density?.close();
    refresh(m);
    const outcomes = new Map((schedule?.outcomes ?? []).map((x) => [x.id, x]));
    m.result.adaptive = { figures: recordFigures(m, handles, outcomes, { rule, fixed, noise, densityRule, signal: o.signal }) };
    if (m.result.status === 'ok' && m.result.startup) {
      // Figures the budget never reached say so: an empty column must not read as "nothing to measure".
      if (!o.signal.aborted && m.footprint && !m.result.footprint && !m.footprint.error) m.result.notes.push(note('budget-not-reached', { model: m.spec.model, figure: 'footprint' }));
      if (!o.signal.aborted && m.density && !m.density.result && !m.density.error) m.result.notes.push(note('budget-not-reached', { model: m.spec.model, figure: 'density' }));
    }
    if (m.result.status === 'ok' && !m.result.startup) {
      m.result.status = o.signal.aborted ? 'cancelled' : 'skipped';
      m.result.error ??= o.signal.aborted ? undefined : 'the time budget ran out before its first start';
    }
  }
  if (o.budget) {
    c.adaptive.budget = {
      ms: o.budget.ms,
      ...(o.budget.preset ? { preset: o.budget.preset } : {}),
      marginMs: schedule?.marginMs ?? 0,
      spentMs: performance.now() - t0,
      exhausted: runs.some((m) => m.result.adaptive?.figures.some((f) => f.cutByBudget)) || (schedule?.exhausted ?? false),
    };
  }
  if (noise?.noise) c.adaptive.noise = { ...noise.noise, rmsBytes: noiseRmsBytes(noise.noise) ?? 0 };
  c.models = [...runs.map((m) => m.result), ...unavailable, ...unlisted];
  addRatios(c);
  if (c.status === 'partial') c.status = o.signal.aborted || c.models.some((m) => m.status === 'cancelled') ? 'cancelled' : 'complete';
  c.notes.push(...comparisonNotes(c));
  c.finishedAt = new Date().toISOString();
  await o.comparisons.saveOrKeep(c);
  return c;

  async function closeStartup(m: ModelRun) {
    const run = await m.startup.close(o.signal);
    if (!run) return;
    const clock = m.spec.clock?.(workload);
    if (clock) m.result.clock = clock;
    m.result.notes.push(...run.notes.filter((n) => !hasNote(m.result.notes, n)));
    if (!c.environment.engine && m.spec.model.startsWith('container:') && run.environment.engine) c.environment.engine = { ...run.environment.engine, runtime: undefined };
    // Models without an instance driver (the VM) bring the footprint their own benchmark measured.
    if (!m.spec.driver && m.result.startup && !o.place?.startupOnly) {
      m.result.footprint = footprintFromVmRun(run, m.result.startup.readyMs);
      const n = note(m.result.footprint ? 'vm-footprint-from-run' : 'startup-only', { model: m.spec.model });
      if (!hasNote(m.result.notes, n)) m.result.notes.push(n);
    }
  }

  async function announce(h: Handle, done: boolean, count: number) {
    o.onEvent?.({ type: 'compare-figure', comparisonId: c.id, model: h.model.spec.model, figure: h.kind, count, done });
    const r = h.model.result;
    if (r.status !== 'ok') {
      if (h.kind === 'startup') progress(h.model.spec.model, 'startup', `${r.status}${r.error ? `: ${r.error}` : ''}`);
    } else if (h.kind === 'startup' && r.startup) {
      const p = medianInterval(r.startup.readyMs, rule.level);
      progress(h.model.spec.model, 'startup', `${count} starts, median ${p.median.toFixed(p.median < 10 ? 2 : 1)} ms${p.relativeHalfWidth !== undefined ? ` ±${(100 * p.relativeHalfWidth).toFixed(1)}%` : ''}${done ? ' (done)' : ''}`);
    } else if (h.kind === 'footprint' && r.footprint?.memory.hostBytes !== undefined) {
      progress(h.model.spec.model, 'footprint', `${count} round(s), ${(r.footprint.memory.hostBytes / 2 ** 20).toFixed(2)} MiB per instance on the host${done ? ' (done)' : ''}`);
    } else progress(h.model.spec.model, h.kind, `${count} done${done ? ' (done)' : ''}`);
  }
}

/** Steps of a 1, 2, 4 … curve up to maxInstances. */
function densitySteps(maxInstances: number): number {
  let steps = 1;
  for (let n = 1; n < maxInstances; n *= 2) steps++;
  return steps;
}

/** The model's result from what its sessions hold so far. */
function refresh(m: ModelRun): void {
  const r = m.result;
  const outcome = m.startup.outcome;
  if (outcome.status !== 'ok') {
    r.status = outcome.status;
    if (outcome.error) r.error = outcome.error;
    if (outcome.reason) r.reason = outcome.reason;
  }
  r.runId = m.startup.timed().length || m.startup.run.samples.length ? m.startup.run.id : r.runId;
  const timed = m.startup.timed();
  if (timed.length) {
    const readyMs = m.startup.readyMs();
    r.startup = {
      phaseOrder: m.startup.run.phaseOrder,
      summary: summarizeSamples(m.startup.run.samples, m.startup.run.phaseOrder),
      readyMs,
      ready: summarize(readyMs, timed.map((s) => s.iteration)),
      totalMs: timed.map((s) => s.totalMs),
      startCallLag: startCallLag(m.startup.run),
    };
  }
  if (m.footprint) {
    r.footprint = m.footprint.result();
    if (r.footprint && hostBytesBelowNoise(r.footprint.memory)) {
      const n = note('host-memory-noise', { model: m.spec.model, instances: r.footprint.instances });
      if (!hasNote(r.notes, n)) r.notes.push(n);
    }
    if (m.footprint.error && !r.notes.some((n) => n.code === 'footprint-failed')) r.notes.push(note('footprint-failed', { model: m.spec.model, error: firstLine(m.footprint.error) }));
  }
  if (m.density) {
    r.density = m.density.result;
    if (r.density?.leftBehind && !r.notes.some((n) => n.code === 'density-left-behind')) r.notes.push(note('density-left-behind', { model: m.spec.model, count: r.density.leftBehind }));
    if (m.density.error && !r.notes.some((n) => n.code === 'density-failed')) r.notes.push(note('density-failed', { model: m.spec.model, error: firstLine(m.density.error) }));
    if (m.density?.note && !hasNote(r.notes, m.density.note)) r.notes.push(m.density.note);
  }
}

interface Handle {
  kind: 'startup' | 'footprint' | 'density';
  model: ModelRun;
  handle: FigureHandle;
}

/**
 * The scheduler's view of every figure: all startups first (the floor first, so ratios have a denominator
 * and the first figure is on screen within seconds), then the footprints, then the densities. A model's
 * footprint and density wait for its startup: a model that cannot start has nothing more to measure.
 */
function figureHandles(
  runs: ModelRun[],
  x: { plan: Plan; rule: ReturnType<typeof startupRuleFor>; fixed: FixedCounts; noise?: NoiseProbe; last?: Comparison; deadline: number },
): Handle[] {
  const out: Handle[] = [];
  const looks = x.fixed.startup ? undefined : lookSchedule(x.rule);
  for (const m of runs) {
    const priors = figurePriors(m.spec.model, x.plan, x.last);
    out.push({
      kind: 'startup',
      model: m,
      handle: {
        id: `${m.spec.model}/startup`,
        minCount: x.rule.minCount,
        maxCount: x.rule.maxCount,
        target: x.rule.target,
        looks,
        priorUnitMs: priors.startupUnitMs,
        priorSetupMs: priors.startupSetupMs,
        run: (k, signal) => m.startup.more(k, signal!, x.deadline),
        state: () => {
          const n = m.startup.timed().length;
          if (!m.startup.live) return { count: n, done: true };
          if (x.fixed.startup) return { count: n, done: n >= x.rule.maxCount, nextDecisionAt: x.rule.maxCount };
          const v = decideMedian(m.startup.readyMs(), x.rule);
          return { count: n, uncertainty: v.interval.relativeHalfWidth, done: v.stop, nextDecisionAt: v.stop ? undefined : v.nextLookAt };
        },
      },
    });
  }
  const startupDead = (m: ModelRun) => !m.startup.live;
  for (const m of runs) {
    const fp = m.footprint;
    const cfg = x.plan.footprint;
    if (!fp || !cfg) continue;
    const priors = figurePriors(m.spec.model, x.plan, x.last);
    const rules = x.fixed.footprint ? { minRounds: cfg.rounds, maxRounds: cfg.rounds, fixedRounds: cfg.rounds } : { ...FOOTPRINT_RULE, fixedRounds: cfg.rounds };
    out.push({
      kind: 'footprint',
      model: m,
      handle: {
        id: `${m.spec.model}/footprint`,
        minCount: rules.minRounds,
        maxCount: rules.maxRounds,
        // The uncertainty is the most one more round could move the median, in units of the measured noise.
        target: 1,
        priorUnitMs: priors.footprintUnitMs,
        priorSetupMs: x.noise && !x.noise.noise ? NOISE_WINDOWS * (3 * cfg.settleMs + 3 * 15 * 200) : 0,
        run: (k, signal) => fp.more(k, signal!, x.deadline),
        state: () => {
          const n = fp.rounds;
          if (startupDead(m) || fp.error) return { count: n, done: true };
          const v = decideFootprintRounds(fp.hostRounds(), cfg.instances, x.fixed.footprint ? undefined : x.noise?.noise, rules);
          const p = v.precision;
          const u = p.maxMoveBytes !== undefined && p.noiseBytes ? p.maxMoveBytes / p.noiseBytes : undefined;
          return { count: n, uncertainty: x.fixed.footprint ? undefined : u, done: v.stop || n >= rules.maxRounds };
        },
      },
    });
  }
  for (const m of runs) {
    const d = m.density;
    if (!d) continue;
    const priors = figurePriors(m.spec.model, x.plan, x.last);
    out.push({
      kind: 'density',
      model: m,
      handle: {
        // The whole curve is one unit: it grows until its slopes are known, its limits, or the budget's end.
        id: `${m.spec.model}/density`,
        minCount: 1,
        maxCount: 1,
        target: x.rule.target,
        priorUnitMs: Math.min((x.plan.density || { timeLimitS: 60 }).timeLimitS * 1000, 30_000),
        run: async (_k, signal) => [
          d instanceof VmDensitySession ? await d.run(signal!, x.deadline, unitCostMs(m.startup.readyMs()) ?? priors.startupUnitMs) : await d.run(signal!, x.deadline),
        ],
        state: () => ({ count: d.result ? 1 : 0, done: !!d.result || startupDead(m) || !!d.error }),
      },
    });
  }
  return out;
}

function recordFigures(
  m: ModelRun,
  handles: Handle[],
  outcomes: Map<string, FigureOutcome>,
  x: { rule: ReturnType<typeof startupRuleFor>; fixed: FixedCounts; noise?: NoiseProbe; densityRule?: { maxSteps: number }; signal: AbortSignal },
): AdaptiveFigure[] {
  const figures: AdaptiveFigure[] = [];
  const ctx = (kind: Handle['kind']) => {
    const h = handles.find((y) => y.model === m && y.kind === kind);
    const out = h && outcomes.get(h.handle.id);
    return { endedBy: out?.endedBy ?? (x.signal.aborted ? 'cancelled' : undefined), plannedCount: out?.plannedCount, unitCostMs: out?.unitCostMs, spentMs: out?.spentMs };
  };
  const st = m.startup.outcome;
  const startupCtx = { ...ctx('startup'), warmup: x.rule.warmup, ...(st.status === 'failed' || st.status === 'unavailable' ? { endedBy: 'failed' as const } : st.status === 'cancelled' ? { endedBy: 'cancelled' as const } : {}) };
  // A figure with no sample has nothing to record (its model's status and error say why).
  if (m.startup.timed().length) figures.push(recordStartup(m.startup.readyMs(), x.rule, x.fixed.startup, startupCtx));
  if (m.footprint && m.footprint.hostRounds().some((x) => Number.isFinite(x))) {
    const cfg = m.result.footprint?.instances ?? 1;
    const rules = x.fixed.footprint ? { fixedRounds: m.footprint.rounds, minRounds: 1, maxRounds: Math.max(1, m.footprint.rounds) } : FOOTPRINT_RULE;
    const c = ctx('footprint');
    figures.push(footprintFigure(m.footprint.hostRounds(), cfg, x.fixed.footprint ? undefined : x.noise?.noise, rules, { ...c, endedBy: m.footprint.error ? 'failed' : c.endedBy }));
  }
  if (m.density?.result) {
    const r = m.density.result;
    const c = ctx('density');
    figures.push(densityFigure(densityCurves(r), r.steps.length, { maxSteps: x.densityRule?.maxSteps ?? r.steps.length }, { ...c, endedBy: r.stoppedBy === 'time' ? 'budget' : r.stoppedBy.startsWith('error') ? 'failed' : c.endedBy }));
  }
  return figures;
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
  const out: Note[] = [note(c.adaptive?.order === 'pilot-first' ? 'pilot-first' : 'back-to-back')];
  const bad = c.models.filter((m) => m.status !== 'ok');
  if (bad.length) out.push(note('not-measured', { models: bad.map((m) => `${m.model} (${m.status})`).join(', ') }));
  return out;
}

/** The same note (code and words) is there already. */
function hasNote(notes: readonly Note[], n: Note): boolean {
  return notes.some((x) => x.code === n.code && x.text === n.text);
}

function firstLine(s: string | undefined): string {
  return (s ?? 'unknown error').split('\n')[0].slice(0, 500);
}

function oneLine(err: unknown): string {
  return firstLine((err as Error)?.message ?? String(err));
}
