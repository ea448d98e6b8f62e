import { linearRegression } from 'simple-statistics';
import type { Comparison, ModelResult, Ratio, StartupClock } from './compare';
import { hostBytesBelowNoise } from './host-memory';
import type { HostFacts } from './run';

/**
 * Machines as a dimension (issue 15 §3): comparisons grouped by the machine they ran on, each machine's chosen
 * comparison, and its models lined up against the other machines'. Pure and worded by no one: every finding is
 * data (codes and parameters) that the faces put in words.
 */

/** Where a machine's comparison came from: measured here, on a remote host over SSH, or imported from a file. */
type MachineOrigin = 'local' | 'remote' | 'imported';

/** What the document says of the machine, for a label: Azure's size and region when known, else its facts. */
interface MachineFacts {
  hostname?: string;
  cpus: number;
  memoryBytes: number;
  kernel: string;
  arch: string;
  azureSize?: string;
  azureRegion?: string;
  /** The saved host's name or user@host a remote comparison was run on. */
  remoteTarget?: string;
}

export interface Machine {
  /** machineId, or `guess:` and the host facts when the documents carry none. */
  key: string;
  machineId?: string;
  /** No machineId: the documents were grouped by their host facts, which two machines can share. */
  guessed: boolean;
  facts: MachineFacts;
  origin: MachineOrigin;
  /** This engine's own machine (its machineId equals the one info() reports). */
  current: boolean;
  /** Its comparisons, newest first. */
  comparisons: Comparison[];
}

/*
 * A document's environment is open (catchall) and its plan a plain record: the few fields read from them here are
 * read loosely, never trusting their shape (a part of another shape reads as absent, as zod's `.catch(undefined)`
 * did), by hand so that the Compare page draws without the contract's schemas.
 */
type Loose = Record<string, unknown>;
const isLoose = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
/** Absent, or of the type `is` checks. */
const opt = (v: unknown, is: (x: unknown) => boolean) => v === undefined || is(v);

interface Azure {
  vmSize?: string;
  location?: string;
}
/** The Virtualization facts a remote probe records (shared/api-hosts.ts), the Azure part only. */
interface Virtualization {
  azure?: Azure;
}
const isAzure = (v: unknown): v is Azure => isLoose(v) && opt(v.vmSize, isString) && opt(v.location, isString);
const isVirtualization = (v: unknown): v is Virtualization => isLoose(v) && opt(v.azure, isAzure);
const isRemote = (v: unknown): v is { target?: string; virtualization?: Virtualization } =>
  isLoose(v) && opt(v.target, isString) && opt(v.virtualization, isVirtualization);

function remoteOf(c: Comparison) {
  const r = c.environment.remote;
  return isRemote(r) ? r : undefined;
}

/** A local document with the same Virtualization facts a remote probe records, if one ever has them. */
function localVirtualizationOf(c: Comparison): Virtualization | undefined {
  const v = c.environment.virtualization;
  return isVirtualization(v) ? v : undefined;
}

function originOf(c: Comparison): MachineOrigin {
  if (c.imported) return 'imported';
  return remoteOf(c)?.target ? 'remote' : 'local';
}

function factsOf(c: Comparison): MachineFacts {
  const h = c.environment.host;
  const remote = remoteOf(c);
  const azure = remote?.virtualization?.azure ?? localVirtualizationOf(c)?.azure;
  return {
    hostname: h.hostname,
    cpus: h.cpus,
    memoryBytes: h.memoryBytes,
    kernel: h.kernel,
    arch: h.arch,
    azureSize: azure?.vmSize,
    azureRegion: azure?.location,
    remoteTarget: remote?.target,
  };
}

/** The machine a document was measured on: its machineId, else a key from facts that stay put across runs. */
export function machineKeyOf(host: HostFacts): { key: string; guessed: boolean } {
  if (host.machineId) return { key: host.machineId, guessed: false };
  // Memory in whole MiB: the kernel's total moves by a few pages across kernels on one machine.
  const mib = Math.round(host.memoryBytes / 2 ** 20);
  return { key: `guess:${host.hostname ?? '?'}|${host.arch}|${host.cpus}|${mib}|${host.cpuModel ?? ''}`, guessed: true };
}

const newestFirst = (a: Comparison, b: Comparison) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0);

/**
 * Comparisons grouped by machine, each machine's newest first; machines in order: this one first, then by
 * their newest comparison. Only comparisons with at least one measured model count.
 */
export function groupByMachine(comparisons: readonly Comparison[], currentMachineId?: string): Machine[] {
  const byKey = new Map<string, Machine>();
  for (const c of [...comparisons].sort(newestFirst)) {
    if (!c.models.some((m) => m.status === 'ok')) continue;
    const { key, guessed } = machineKeyOf(c.environment.host);
    let m = byKey.get(key);
    if (!m) {
      m = {
        key,
        machineId: c.environment.host.machineId,
        guessed,
        facts: factsOf(c),
        origin: originOf(c),
        current: !!currentMachineId && c.environment.host.machineId === currentMachineId,
        comparisons: [],
      };
      byKey.set(key, m);
    }
    m.comparisons.push(c);
  }
  return [...byKey.values()].sort((a, b) => Number(b.current) - Number(a.current) || newestFirst(a.comparisons[0], b.comparisons[0]));
}

/** Each machine's comparison: the one the user picked (by id) when it is that machine's, else its newest. */
function pickComparisons(machines: readonly Machine[], picked: Readonly<Record<string, string>> = {}): { machine: Machine; comparison: Comparison }[] {
  return machines.map((machine) => ({ machine, comparison: machine.comparisons.find((c) => c.id === picked[machine.key]) ?? machine.comparisons[0] }));
}

/** A slope with its interval when the adaptive density figure measured one (per added instance). */
export interface Slope {
  slope: number;
  lo?: number;
  hi?: number;
}

/** How the memory figure was measured, best first: the host-side drop, the VMM's PSS, the cgroup, the process's PSS. */
type MemoryMethod = 'host' | 'helpers' | 'cgroup' | 'process';

export interface MachineCell {
  status: ModelResult['status'];
  medianReadyMs?: number;
  /** Against THIS machine's own floor, with its 95% interval. */
  ratio?: Ratio;
  memory?: { bytes: number; method: MemoryMethod };
  /** Start latency added per running instance (ms), and memory (bytes). */
  latencySlope?: Slope;
  memorySlope?: Slope;
}

export interface LineupRow {
  model: string;
  /** One per machine, in the machines' order; undefined when that machine's comparison did not list the model. */
  cells: (MachineCell | undefined)[];
}

/** Memory one idle instance costs, by the best method the document has (a figure below the noise is no cost). */
export function memoryPerInstance(m: ModelResult): MachineCell['memory'] {
  const f = m.footprint?.memory;
  if (!f) return undefined;
  if (f.hostBytes !== undefined && !hostBytesBelowNoise(f)) return { bytes: f.hostBytes, method: 'host' };
  if (f.helperPssBytes) return { bytes: f.helperPssBytes + (f.cgroupBytes ?? 0), method: 'helpers' };
  if (f.cgroupBytes) return { bytes: f.cgroupBytes, method: 'cgroup' };
  if (f.processPssBytes) return { bytes: f.processPssBytes, method: 'process' };
  return undefined;
}

/** The density slopes: the adaptive figure's (with intervals), else a least-squares line through the points. */
export function densitySlopes(m: ModelResult): { latency?: Slope; memory?: Slope } {
  const fig = m.adaptive?.figures.find((f) => f.figure === 'density');
  if (fig?.precision.method === 'ols-slope') {
    const of = (k: 'latency' | 'memory') => {
      const s = fig.precision.method === 'ols-slope' ? fig.precision.slopes.find((x) => x.of === k) : undefined;
      return s && { slope: s.slope, lo: s.lo, hi: s.hi };
    };
    return { latency: of('latency'), memory: of('memory') };
  }
  const d = m.density;
  if (!d) return {};
  const fit = (pts: [number, number][]) => (new Set(pts.map((p) => p[0])).size >= 2 ? { slope: linearRegression(pts).m } : undefined);
  return {
    latency: fit(d.points.map((p) => [p.running, p.latencyMs])),
    memory: fit(d.steps.map((s) => [s.count, s.memAvailableDropBytes])),
  };
}

function cellOf(m: ModelResult): MachineCell {
  const slopes = densitySlopes(m);
  return {
    status: m.status,
    medianReadyMs: m.startup?.ready.median,
    ratio: m.ratios?.ready,
    memory: memoryPerInstance(m),
    latencySlope: slopes.latency,
    memorySlope: slopes.memory,
  };
}

/** Every model any of the comparisons lists, the floor first, in the order they first appear; one cell per machine. */
export function lineUp(comparisons: readonly Comparison[]): LineupRow[] {
  const models: string[] = [];
  for (const c of comparisons) for (const m of [c.floor, ...c.models.map((x) => x.model)]) if (!models.includes(m)) models.push(m);
  return models
    .map((model) => ({ model, cells: comparisons.map((c) => c.models.find((m) => m.model === model)) }))
    .filter((r) => r.cells.some(Boolean))
    .map((r) => ({ model: r.model, cells: r.cells.map((m) => m && cellOf(m)) }));
}

/** What the plans say, in the terms two machines can disagree on. */
export interface PlanFacts {
  workload?: string;
  concurrency?: number;
  /** Idle instances held for the footprint, or 0 without one. */
  footprintInstances?: number;
  /** The time budget in ms, or null for none. */
  budgetMs: number | null;
  /** The startup count the plan fixed, or null when it adapted. */
  fixedIterations: number | null;
  isolabVersion: string;
  floor: string;
  /**
   * The instrument that timed the floor's starts: `shell` (the timing shell's fork and exec, on this machine, clock
   * `local-shell`, or on a remote host, `remote-shell`) or `spawn` (isolab's own spawn of the program: a local floor
   * without a clock, every one before the timing shell, or a workload ready by a log line or TCP). Two instruments:
   * a shell's fork reads lower than isolab's spawn, so every ratio to the floor moves with it. Where the floor was
   * timed does not matter, only how.
   */
  floorClock: string;
}

/** The plan's parts compared here, each read as absent when it has another shape. */
function planShapeOf(plan: Loose) {
  const { workload, startup, footprint } = plan;
  const isWorkload = (v: unknown): v is { kind?: string; command?: string[]; image?: string } =>
    isLoose(v) && opt(v.kind, isString) && opt(v.command, isStrings) && opt(v.image, isString);
  const isStartup = (v: unknown): v is { concurrency?: number; iterations?: number } => isLoose(v) && opt(v.concurrency, isNumber) && opt(v.iterations, isNumber);
  const isFootprint = (v: unknown): v is false | { instances?: number } => v === false || (isLoose(v) && opt(v.instances, isNumber));
  return {
    workload: isWorkload(workload) ? workload : undefined,
    startup: isStartup(startup) ? startup : undefined,
    footprint: isFootprint(footprint) ? footprint : undefined,
  };
}

export function planFacts(c: Comparison): PlanFacts {
  const p = planShapeOf(c.plan);
  const a = c.adaptive;
  const wl = p.workload;
  const fixed = a ? (a.startupRule.minCount === a.startupRule.maxCount ? a.startupRule.maxCount : null) : (p.startup?.iterations ?? null);
  return {
    workload: wl?.kind && (wl.command?.length ? `${wl.kind}: ${wl.command.join(' ')}` : wl.image ? `${wl.kind}: ${wl.image}` : wl.kind),
    concurrency: p.startup?.concurrency,
    footprintInstances: p.footprint === false ? 0 : p.footprint?.instances,
    budgetMs: a?.budget?.ms ?? null,
    fixedIterations: fixed,
    isolabVersion: c.environment.isolabVersion,
    floor: c.floor,
    floorClock: floorInstrument(c.models.find((m) => m.model === c.floor)?.clock?.clock),
  };
}

/** One name per instrument: the timing shell here and there is one; no clock is isolab's spawn. */
function floorInstrument(clock: StartupClock['clock'] | undefined): string {
  if (clock === undefined) return 'spawn';
  return clock === 'local-shell' || clock === 'remote-shell' ? 'shell' : clock;
}

export const PLAN_DIFFERENCE_CODES = ['workload', 'concurrency', 'footprint-instances', 'budget', 'fixed-count', 'isolab-version', 'floor', 'floor-clock'] as const;
type PlanDifferenceCode = (typeof PLAN_DIFFERENCE_CODES)[number];

const FIELD: Record<PlanDifferenceCode, keyof PlanFacts> = {
  workload: 'workload',
  concurrency: 'concurrency',
  'footprint-instances': 'footprintInstances',
  budget: 'budgetMs',
  'fixed-count': 'fixedIterations',
  'isolab-version': 'isolabVersion',
  floor: 'floor',
  'floor-clock': 'floorClock',
};

/** One way a machine's plan differs from the first machine's: the machine's index, its value and the first's. */
export interface PlanDifference {
  code: PlanDifferenceCode;
  machine: number;
  value: string | number | null;
  reference: string | number | null;
}

/**
 * How each comparison's plan differs from the first one's (the reference). The budget only counts where a
 * count adapted: two fixed counts run the same whatever their budgets.
 */
export function planDifferences(comparisons: readonly Comparison[]): PlanDifference[] {
  if (comparisons.length < 2) return [];
  const facts = comparisons.map(planFacts);
  const ref = facts[0];
  const out: PlanDifference[] = [];
  facts.slice(1).forEach((f, i) => {
    for (const code of PLAN_DIFFERENCE_CODES) {
      const k = FIELD[code];
      const value = f[k] ?? null;
      const reference = ref[k] ?? null;
      if (value === reference) continue;
      if (code === 'budget' && f.fixedIterations !== null && ref.fixedIterations !== null) continue;
      out.push({ code, machine: i + 1, value, reference });
    }
  });
  return out;
}

/** The Machines view's whole model: machines, the comparison of each, the rows, the differences. */
export interface MachinesView {
  machines: Machine[];
  picked: Comparison[];
  rows: LineupRow[];
  differences: PlanDifference[];
}

export function machinesView(comparisons: readonly Comparison[], opts: { currentMachineId?: string; picked?: Record<string, string> } = {}): MachinesView {
  const machines = groupByMachine(comparisons, opts.currentMachineId);
  const picked = pickComparisons(machines, opts.picked).map((p) => p.comparison);
  return { machines, picked, rows: lineUp(picked), differences: planDifferences(picked) };
}
