import { z } from 'zod';
import type { Comparison, ModelResult } from '../compare';
import { hostBytesBelowNoise } from '../host-memory';
import { containerReadyMs } from '../readiness';
import type { Run } from '../run';
import { summarize } from '../stats';
import { fitsIn, GiB, Measured, newest, PublishedFigure, SourceRef } from './measured';

/**
 * The isolation spectrum, from a process on the host to a full VM, and what an orchestrator adds on top: for each
 * layer, what its instances share (kernel, VMM, hypervisor), the models measured on this machine with their
 * numbers (startup, memory per instance, density in a budget), each from the newest document that measured it,
 * and cited figures beside them. Data-driven: a model appears as soon as a comparison or a run names it. Pure:
 * it never shows a number no document holds; a model without one says how to measure it, or why it cannot run.
 */
export const SpectrumLayerId = z.enum(['process', 'container', 'sandbox', 'vmContainer', 'microvm', 'vm', 'orchestrated']);
export type SpectrumLayerId = z.infer<typeof SpectrumLayerId>;
/** In isolation order, lightest first; the orchestrator last, as a layer over the others. */
export const SPECTRUM_LAYERS = SpectrumLayerId.options;

/** What the instances of a layer have in common, from the kernel down. */
const Sharing = z.object({
  /** shared: the host's one kernel answers every instance; throughSandbox: the same, reached only through a kernel in user space per instance; own: a kernel per instance. */
  kernel: z.enum(['shared', 'throughSandbox', 'own']),
  /** A virtual machine monitor process per instance (QEMU, Firecracker …), or none. */
  vmm: z.enum(['none', 'perInstance']),
  /** The hypervisor (KVM, Hyper-V) under every instance, or none. */
  hypervisor: z.enum(['none', 'shared']),
  /** The virtual hardware each instance is given: none, a few virtio devices, or a whole PC (PCI, ACPI, firmware). */
  devices: z.enum(['none', 'minimal', 'full']),
});
type Sharing = z.infer<typeof Sharing>;

interface LayerFacts {
  sharing: Sharing;
  /** What the layer adds over the ones below it, as keys the UI translates. */
  adds: string[];
  /** The model shown, with the command to measure it, when no document names one of the layer's. */
  representative?: string;
  /** Ids in isolation-sources.json behind the layer's words. */
  sources: string[];
}

export const LAYER_FACTS: Record<SpectrumLayerId, LayerFacts> = {
  process: { sharing: { kernel: 'shared', vmm: 'none', hypervisor: 'none', devices: 'none' }, adds: [], representative: 'process', sources: [] },
  container: { sharing: { kernel: 'shared', vmm: 'none', hypervisor: 'none', devices: 'none' }, adds: ['namespaces', 'cgroups', 'seccomp'], representative: 'container:runc', sources: ['docker-seccomp'] },
  sandbox: { sharing: { kernel: 'throughSandbox', vmm: 'none', hypervisor: 'none', devices: 'none' }, adds: ['userKernel'], representative: 'container:runsc', sources: ['gvisor-readme', 'gvisor-syslog'] },
  // Kata and Hyper-V isolation only run where they are installed: never a placeholder, only what a document names.
  vmContainer: { sharing: { kernel: 'own', vmm: 'perInstance', hypervisor: 'shared', devices: 'minimal' }, adds: ['guestKernel', 'containerApi'], sources: ['kata-architecture', 'ms-hyperv-isolation'] },
  microvm: { sharing: { kernel: 'own', vmm: 'perInstance', hypervisor: 'shared', devices: 'minimal' }, adds: ['guestKernel'], representative: 'vm:microvm', sources: ['qemu-microvm', 'firecracker-design'] },
  vm: { sharing: { kernel: 'own', vmm: 'perInstance', hypervisor: 'shared', devices: 'full' }, adds: ['guestKernel', 'pcDevices'], representative: 'vm:qemu', sources: ['qemu-venom'] },
  // Its tasks here are runc containers: it shares what they share and adds the cluster's machinery.
  orchestrated: { sharing: { kernel: 'shared', vmm: 'none', hypervisor: 'none', devices: 'none' }, adds: ['desiredState', 'scheduling', 'serviceNetwork', 'controlPlane'], representative: 'swarm', sources: ['docker-swarm-concepts'] },
};

/** Which layer a model belongs to, by the name comparisons and runs give it; undefined for other machines' (host:…). */
export function spectrumLayerOf(model: string): SpectrumLayerId | undefined {
  const m = model.toLowerCase();
  if (m === 'process') return 'process';
  if (/^(orchestrator:|swarm\b|kubernetes\b|k8s\b)/.test(m)) return 'orchestrated';
  if (/runsc|gvisor/.test(m)) return 'sandbox';
  // Kata and krun boot a VM per container; so does a Windows container under Hyper-V isolation.
  if (/kata|\bkrun\b|^container:hyperv$/.test(m)) return 'vmContainer';
  if (/firecracker|cloud-hypervisor|microvm/.test(m)) return 'microvm';
  if (m.startsWith('vm:')) return 'vm';
  if (/^(container|oci):|^(podman|lxc|lxd)\b/.test(m)) return 'container';
  return undefined;
}

const ACCEL_SUFFIX = /-(tcg|kvm|hvf|whpx)$/;

/** One row per model: a VM's accelerator suffix (vm:qemu-tcg) names how it ran, not another model. */
export function baseModel(model: string): string {
  return model.startsWith('vm:') ? model.replace(ACCEL_SUFFIX, '') : model;
}

/** Which layer a cited figure speaks of, by the model it names. */
export function figureLayerOf(f: Pick<PublishedFigure, 'model'>): SpectrumLayerId | undefined {
  const m = f.model;
  if (/gVisor/i.test(m)) return 'sandbox';
  if (/Kata|VM-isolated/i.test(m)) return 'vmContainer';
  if (/Firecracker|microVM|unikernel/i.test(m)) return 'microvm';
  if (/Kubernetes|\bpod\b|orchestrat/i.test(m)) return 'orchestrated';
  if (/\bVM\b|QEMU/i.test(m)) return 'vm';
  if (/container|runc|Docker/i.test(m)) return 'container';
  return undefined;
}

/** The cited figures the spectrum's columns can stand beside: startup and memory. */
const COLUMN_METRIC = /boot|start|create to SSH|memory/i;

const SpectrumStartup = Measured.extend({ ci95: z.tuple([z.number(), z.number()]).optional() });
type SpectrumStartup = z.infer<typeof SpectrumStartup>;
const SpectrumDensity = Measured.extend({
  /** memory: the budget divided by the memory per instance (derived); densityRun: instances a density run held, over what they took. */
  basis: z.enum(['memory', 'densityRun']),
});
type SpectrumDensity = z.infer<typeof SpectrumDensity>;

const SpectrumProblem = z.object({
  status: z.enum(['unavailable', 'failed']),
  /** The engine's own line, as the document recorded it: why it cannot run, and how to install it when it knows. */
  message: z.string(),
  /** The same reason as a code and its parameters (comparisons since the model registry), for faces to word. */
  reason: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
  source: SourceRef,
});
type SpectrumProblem = z.infer<typeof SpectrumProblem>;

export const SpectrumRow = z.object({
  model: z.string(),
  layer: SpectrumLayerId,
  /** measured: at least one number; unavailable/failed: the newest document could not run it; notMeasured: no document has it. */
  state: z.enum(['measured', 'unavailable', 'failed', 'notMeasured']),
  startup: SpectrumStartup.optional(),
  memory: Measured.optional(),
  density: SpectrumDensity.optional(),
  /** How a VM ran when the documents say (tcg: emulated, no hardware acceleration). */
  accel: z.string().optional(),
  /** The newest document's failure, also beside older numbers (they stay, with their date). */
  problem: SpectrumProblem.optional(),
  /** The CLI command that measures it. */
  command: z.string(),
});
export type SpectrumRow = z.infer<typeof SpectrumRow>;

export const SpectrumLayer = z.object({
  id: SpectrumLayerId,
  sharing: Sharing,
  adds: z.array(z.string()),
  rows: z.array(SpectrumRow),
  references: z.array(PublishedFigure),
  sources: z.array(z.string()),
});
export type SpectrumLayer = z.infer<typeof SpectrumLayer>;

export const SpectrumColumn = z.enum(['startup', 'memory', 'density']);
export type SpectrumColumn = z.infer<typeof SpectrumColumn>;
export const SPECTRUM_COLUMNS = SpectrumColumn.options;

export const Spectrum = z.object({
  layers: z.array(SpectrumLayer),
  /** Only the columns at least one row has this machine's number for. */
  columns: z.array(SpectrumColumn),
  densityBudgetBytes: z.number(),
});
export type Spectrum = z.infer<typeof Spectrum>;

/**
 * The command that measures a model: a comparison beside the others (the microVM is one of them), or Swarm's own
 * benchmark, which a comparison never runs since it may change the engine's state (electron/lab/models/swarm).
 */
function measureCommand(model: string): string {
  if (spectrumLayerOf(model) === 'orchestrated') return 'isolab bench swarm';
  return `isolab compare --models ${model}`;
}

const usable = (s: string) => s === 'complete' || s === 'partial' || s === 'interrupted';
const byNewest = <T extends { startedAt: string }>(xs: T[]) => [...xs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));

interface Gathered {
  layer: SpectrumLayerId;
  startup: SpectrumStartup[];
  memory: Measured[];
  densityRuns: SpectrumDensity[];
  /** How a VM ran in each document that measured it, by `kind:id`: the row names the one behind its numbers. */
  accel: Map<string, string>;
  /** The newest mention in a comparison, whatever its status. */
  latest?: { at: string; status: ModelResult['status']; error?: string; reason?: ModelResult['reason']; source: SourceRef };
}

const docKey = (s: Pick<SourceRef, 'kind' | 'id'>) => `${s.kind}:${s.id}`;

function accelOf(model: string): string | undefined {
  return ACCEL_SUFFIX.exec(model)?.[1];
}

/** Memory one instance costs: the host-side drop when it stands above the noise, else what its parts add up to. */
function comparisonMemory(m: ModelResult, ref: Omit<SourceRef, 'what'>): Measured | undefined {
  const fp = m.footprint;
  if (!fp) return undefined;
  const mem = fp.memory;
  const n = fp.instances;
  if (mem.hostBytes !== undefined && mem.hostBytes > 0 && !hostBytesBelowNoise(mem)) return { value: mem.hostBytes, unit: 'bytes', n, source: { ...ref, what: 'memory.host' } };
  if (mem.cgroupBytes) return { value: mem.cgroupBytes + (mem.helperPssBytes ?? 0), unit: 'bytes', n, source: { ...ref, what: 'memory.cgroupHelpers' } };
  // A VM's footprint in a comparison is its VMM's PSS (the guest's memory lives inside it).
  if (mem.helperPssBytes) return { value: mem.helperPssBytes, unit: 'bytes', n, source: { ...ref, what: 'memory.vmmPss' } };
  if (mem.processPssBytes) return { value: mem.processPssBytes, unit: 'bytes', n, source: { ...ref, what: 'memory.processPss' } };
  return undefined;
}

/** Instances per budget from a density run: the most instances it held, over the memory they took together. */
function densityRunFit(m: ModelResult, ref: Omit<SourceRef, 'what'>, budget: number): SpectrumDensity | undefined {
  const steps = (m.density?.steps ?? []).filter((s) => s.count >= 2 && s.memAvailableDropBytes > 0);
  const last = steps.at(-1);
  if (!last) return undefined;
  return { value: Math.floor((budget * last.count) / last.memAvailableDropBytes), unit: 'count', n: last.count, basis: 'densityRun', source: { ...ref, what: 'density.run' } };
}

/**
 * Each frozen run's startup, computed once: its bootstrap interval costs ~200 ms for 10,000 starts, on the Learn
 * table's every read. The engine's stores hand out one frozen document per unchanged file (validated-cache.ts), so a
 * changed file is another key; a document that is not frozen could still change and is computed each time.
 */
const startupOf = new WeakMap<Run, SpectrumStartup | null>();

function runStartup(run: Run): SpectrumStartup | undefined {
  const known = startupOf.get(run);
  if (known !== undefined) return known ?? undefined;
  const s = computeRunStartup(run);
  if (Object.isFrozen(run)) startupOf.set(run, s ?? null);
  return s;
}

/** A run's startup: the same mark Compare reads (ready, else a container's first output, else a VM's first SSH command). */
function computeRunStartup(run: Run): SpectrumStartup | undefined {
  let mark: string | undefined;
  let values: number[] = [];
  if (run.model.startsWith('vm:')) {
    mark = run.phaseOrder.includes('ready') ? 'ready' : run.phaseOrder.includes('ssh') ? 'ssh' : undefined;
    if (mark) values = run.samples.filter((s) => !s.warmup && typeof s.marks[mark!] === 'number').map((s) => s.marks[mark!]);
  } else {
    const r = containerReadyMs(run);
    mark = r?.mark;
    values = r?.values ?? [];
  }
  if (!mark || values.length === 0) return undefined;
  const s = summarize(values);
  const what = mark === 'ssh' ? 'startup.vm' : mark === 'ready' ? 'startup.ready' : 'startup.firstOutput';
  return { value: s.median, unit: 'ms', n: s.n, ci95: s.ci95, source: { kind: 'run', id: run.id, model: run.model, at: run.startedAt, what } };
}

function runMemory(run: Run): Measured | undefined {
  const m = run.footprint?.memory;
  const v = m?.qemuPssBytes ?? m?.qemuRssBytes;
  if (!v) return undefined;
  return { value: v, unit: 'bytes', source: { kind: 'run', id: run.id, model: run.model, at: run.startedAt, what: m?.qemuPssBytes ? 'memory.qemuPss' : 'memory.qemuRss' } };
}

/** The newest density: a density run's when it is at least as new as the memory figure, else derived from memory. */
function densityOf(g: Gathered, memory: Measured | undefined, budget: number): SpectrumDensity | undefined {
  const run = g.densityRuns[0]; // gathered newest first
  const derived = fitsIn(budget, memory);
  if (run && (!derived || run.source.at >= derived.source.at)) return run;
  return derived ? { ...derived, n: undefined, basis: 'memory' } : undefined;
}

export function buildSpectrum(input: { runs: Run[]; comparisons: Comparison[]; figures: PublishedFigure[]; budgetBytes?: number }): Spectrum {
  const budget = input.budgetBytes ?? GiB;
  const comps = byNewest(input.comparisons.filter((c) => usable(c.status)));
  const compIds = new Set(comps.map((c) => c.id));
  const runById = new Map(input.runs.map((r) => [r.id, r]));
  const models = new Map<string, Gathered>();
  const entry = (model: string): Gathered | undefined => {
    const key = baseModel(model);
    const layer = spectrumLayerOf(key);
    if (!layer) return undefined;
    let g = models.get(key);
    if (!g) models.set(key, (g = { layer, startup: [], memory: [], densityRuns: [], accel: new Map() }));
    return g;
  };

  for (const c of comps) {
    for (const m of c.models) {
      const g = entry(m.model);
      if (!g) continue;
      const ref = { kind: 'comparison' as const, id: c.id, model: m.model, at: c.startedAt };
      g.latest ??= { at: c.startedAt, status: m.status, error: m.error, reason: m.reason, source: { ...ref, what: `status.${m.status}` } };
      if (m.status !== 'ok') continue;
      const ready = m.startup?.ready;
      if (ready && ready.n > 0 && Number.isFinite(ready.median)) {
        g.startup.push({ value: ready.median, unit: 'ms', n: ready.n, ci95: ready.ci95.every(Number.isFinite) ? ready.ci95 : undefined, source: { ...ref, what: 'startup.ready' } });
      }
      const mem = comparisonMemory(m, ref);
      if (mem) g.memory.push(mem);
      const dr = densityRunFit(m, ref, budget);
      if (dr) g.densityRuns.push(dr);
      const run = m.runId ? runById.get(m.runId) : undefined;
      const accel = accelOf(m.model) ?? (m.model.startsWith('vm:') ? run?.environment.accelerator ?? accelOf(run?.model ?? '') : undefined);
      if (accel) g.accel.set(docKey(ref), accel);
    }
  }

  for (const r of byNewest(input.runs.filter((r) => usable(r.status)))) {
    // A comparison's own startup runs are shown through it.
    if (r.kind === 'compare:startup' && typeof r.plan.comparison === 'string' && compIds.has(r.plan.comparison)) continue;
    const g = entry(r.model);
    if (!g) continue;
    const s = runStartup(r);
    if (s) g.startup.push(s);
    const mem = runMemory(r);
    if (mem) g.memory.push(mem);
    const accel = accelOf(r.model) ?? (r.model.startsWith('vm:') ? r.environment.accelerator : undefined);
    if (accel) g.accel.set(docKey({ kind: 'run', id: r.id }), accel);
  }

  const layers: SpectrumLayer[] = SPECTRUM_LAYERS.map((id) => {
    const facts = LAYER_FACTS[id];
    const rows: SpectrumRow[] = [];
    for (const [model, g] of models) {
      if (g.layer !== id) continue;
      const startup = newest(...g.startup) as SpectrumStartup | undefined;
      const memory = newest(...g.memory);
      const density = densityOf(g, memory, budget);
      const measured = !!(startup || memory || density);
      const problem = g.latest && (g.latest.status === 'unavailable' || g.latest.status === 'failed') ? { status: g.latest.status, message: g.latest.error ?? '', reason: g.latest.reason, source: g.latest.source } : undefined;
      rows.push({
        model,
        layer: id,
        state: measured ? 'measured' : problem ? problem.status : 'notMeasured',
        startup,
        memory,
        density,
        accel: id === 'vm' || id === 'microvm' ? [startup, memory].map((m) => m && g.accel.get(docKey(m.source))).find(Boolean) : undefined,
        problem,
        command: measureCommand(model),
      });
    }
    if (rows.length === 0 && facts.representative) {
      rows.push({ model: facts.representative, layer: id, state: 'notMeasured', command: measureCommand(facts.representative) });
    }
    rows.sort(rowOrder);
    const references = input.figures.filter((f) => figureLayerOf(f) === id && COLUMN_METRIC.test(f.metric));
    return { id, sharing: facts.sharing, adds: facts.adds, rows, references, sources: facts.sources };
  });

  const columns = SPECTRUM_COLUMNS.filter((c) => layers.some((l) => l.rows.some((r) => r[c] !== undefined)));
  return { layers, columns, densityBudgetBytes: budget };
}

/** Measured rows first (fastest first), then the ones that say why or how; by name within each. */
const STATE_ORDER: Record<SpectrumRow['state'], number> = { measured: 0, failed: 1, notMeasured: 2, unavailable: 3 };
function rowOrder(a: SpectrumRow, b: SpectrumRow): number {
  return STATE_ORDER[a.state] - STATE_ORDER[b.state] || (a.startup?.value ?? Infinity) - (b.startup?.value ?? Infinity) || a.model.localeCompare(b.model);
}
