import figures from '../reference/published-figures.json';
import type { Run, RunListItem } from '../run';
import { DEFAULT_CATALOGUE, type Catalogue } from './catalogue';
import { planConsolidation, type ConsolidationPlan } from './consolidate';
import type { DurationDist } from './distributions';
import { overheadsFromMachine, type MachineFigures } from './machine';
import { overheadFromRun, referenceOverheads, withGiven, type InstanceOverhead, type Overheads, type Provenance } from './overheads';
import type { BurstScenario, ConsolidationScenario, StartupSource } from './scenario';

/** Raised when a scenario names a run or a reference that is not there; says which field and what exists. */
export class ResolveError extends Error {
  override name = 'ResolveError';
}

/** Runs a scenario names, so the caller (CLI: the RunStore; renderer: the Lab client) can fetch them first. */
export function runRefs(s: ConsolidationScenario | BurstScenario): string[] {
  if (s.kind === 'consolidation') return Object.values(s.overheads?.measured ?? {}).filter((x): x is string => !!x);
  return s.models.flatMap((m) => ('measured' in m.startup ? [m.startup.measured] : []));
}

/** The run a reference means: an exact id, else the newest complete run whose model is, or starts with, it. */
export function pickRun(ref: string, runs: RunListItem[]): RunListItem | undefined {
  return (
    runs.find((r) => r.id === ref) ??
    [...runs]
      .filter((r) => r.status === 'complete' && (r.model === ref || r.model.startsWith(ref)))
      .sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1))[0]
  );
}

/** The phase marks that mean "the workload is ready", best first: container first output, VM ready or SSH. */
const READY_MARKS = ['firstOutput', 'ready', 'ssh', 'init'] as const;

/** A measured run as a startup distribution: its timed samples, resampled, with their real spread. */
export function startupFromRun(run: Run): { dist: DurationDist; provenance: Provenance } {
  const timed = run.samples.filter((s) => !s.warmup);
  if (timed.length === 0) throw new ResolveError(`run ${run.id} has no timed samples to take a startup time from; run the benchmark again with --iterations 10`);
  const mark = READY_MARKS.find((m) => timed.every((s) => typeof s.marks[m] === 'number'));
  const values = timed.map((s) => (mark ? s.marks[mark] : s.totalMs));
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return {
    dist: { dist: 'empirical', samplesMs: values },
    provenance: {
      kind: 'measured',
      runId: run.id,
      model: run.model,
      detail: `${values.length} timed starts to ${mark ?? 'the end of the run (total)'}, median ${median.toFixed(0)} ms`,
    },
  };
}

interface Figure {
  model: string;
  metric: string;
  value: number;
  unit: string;
  kind: string;
  setting: string;
  source: string;
  verified: boolean;
}

const FIGURES = figures.figures as Figure[];

/** The startup figures a burst model can cite, by model name. */
export function startupReferences(): Figure[] {
  return FIGURES.filter((f) => /boot|start|ssh/i.test(f.metric) && (f.unit === 'ms' || f.unit === 's'));
}

/** A published startup figure as a deterministic delay: one number, so no invented spread. */
function startupFromReference(model: string): { dist: DurationDist; provenance: Provenance } {
  const candidates = startupReferences().filter((f) => f.model === model);
  const f = candidates.find((c) => /median/i.test(c.metric + c.kind)) ?? candidates[0];
  if (!f) {
    const known = [...new Set(startupReferences().map((x) => JSON.stringify(x.model)))].join(', ');
    throw new ResolveError(`no published startup figure for ${JSON.stringify(model)}; known: ${known}`);
  }
  const ms = f.unit === 's' ? f.value * 1000 : f.value;
  return {
    dist: { dist: 'deterministic', valueMs: ms },
    provenance: { kind: 'reference', source: f.source, detail: `${f.metric}: ${f.value} ${f.unit} (${f.kind}; ${f.setting})${f.verified ? '' : ' [secondary quote]'}` },
  };
}

/** A model's startup delay and where it comes from. */
export function resolveStartup(src: StartupSource, runs: Map<string, Run>, field: string): { dist: DurationDist; provenance: Provenance } {
  if ('measured' in src) {
    const run = runs.get(src.measured);
    if (!run) throw new ResolveError(`${field}.measured: no complete run matches ${JSON.stringify(src.measured)}; run \`isolab bench\` first or see \`isolab runs list\``);
    return startupFromRun(run);
  }
  if ('reference' in src) {
    try {
      return startupFromReference(src.reference);
    } catch (err) {
      throw new ResolveError(`${field}.reference: ${(err as Error).message}`);
    }
  }
  return { dist: src, provenance: { kind: 'input', detail: `${src.dist} distribution given in the scenario` } };
}

export interface ConsolidationOutcome {
  plan: ConsolidationPlan;
  overheads: Overheads;
  scenario: ConsolidationScenario;
  prices: PriceSource;
}

/** Whose prices a plan used: the scenario's own catalogue, or Azure's (the indicative snapshot, or refreshed). */
export interface PriceSource {
  origin: 'scenario' | 'azure';
  indicative: boolean;
  region?: string;
  refreshedAt?: string;
  hoursPerMonth: number;
  currency: string;
  /** The catalogue's own description (for a scenario's catalogue: whatever it says of its prices). */
  about?: string;
  diskType?: string;
}

/** Overheads: scenario figures first, then measured runs, then the chosen machine's comparison, then cited references. */
function resolveOverheads(s: ConsolidationScenario, runs: Map<string, Run>, machine?: MachineFigures): Overheads {
  const ref = machine ? overheadsFromMachine(referenceOverheads(), machine) : referenceOverheads();
  const pick = (key: 'vm' | 'container'): InstanceOverhead => {
    const runRef = s.overheads?.measured?.[key];
    let o = ref[key];
    if (runRef) {
      const run = runs.get(runRef);
      if (!run) throw new ResolveError(`overheads.measured.${key}: no complete run matches ${JSON.stringify(runRef)}; see \`isolab runs list\``);
      o = overheadFromRun(run, o);
    }
    return withGiven(o, s.overheads?.[key]);
  };
  return { vm: pick('vm'), container: pick('container') };
}

/**
 * `catalogue`: prices the user refreshed; the scenario's own catalogue wins, the indicative default is last.
 * `machine`: a machine's measured figures (machineFigures), in place of the references where it measured them.
 */
export function runConsolidation(s: ConsolidationScenario, runs: Map<string, Run> = new Map(), catalogue?: Catalogue, machine?: MachineFigures): ConsolidationOutcome {
  const overheads = resolveOverheads(s, runs, machine);
  const cat = s.catalogue ?? catalogue ?? DEFAULT_CATALOGUE;
  const prices: PriceSource = {
    origin: s.catalogue ? 'scenario' : 'azure',
    indicative: cat.indicative,
    region: cat.region,
    refreshedAt: cat.refreshedAt,
    hoursPerMonth: cat.hoursPerMonth,
    currency: cat.currency,
    about: cat.about,
    diskType: cat.disks?.type,
  };
  const plan = planConsolidation(s.services, cat, overheads, {
    headroom: s.headroom,
    maxReplicasPerVm: s.spread.maxReplicasPerVm,
    vmSize: s.vmSize,
    hostSize: s.hostSize,
    allowBurstable: s.allowBurstable,
  });
  return { plan, overheads, scenario: s, prices };
}
