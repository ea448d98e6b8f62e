import { z } from 'zod';
import { median } from 'simple-statistics';
import type { Comparison } from '../compare';
import { containerReadyMark } from '../readiness';
import type { Run } from '../run';
import { fitsIn, GiB, Measured, newest, PublishedFigure } from './measured';
import { buildSpectrum, Spectrum, spectrumLayerOf } from './spectrum';

export { GiB, Measured, PublishedFigure };

/**
 * The tradeoff table: the classic VM-against-container rows, each with this user's own measured values (from
 * their latest runs and comparisons, with the document behind each value) beside cited public figures. Pure:
 * the engine hands it documents and the reference file; it reads nothing itself.
 */
export const TradeoffRowId = z.enum(['security', 'startup', 'disk', 'memory', 'density', 'portability']);
export type TradeoffRowId = z.infer<typeof TradeoffRowId>;
export const TRADEOFF_ROWS = TradeoffRowId.options;

export const TradeoffRow = z.object({
  id: TradeoffRowId,
  /** Measured on this machine; absent when no run measured it yet. */
  container: Measured.optional(),
  vm: Measured.optional(),
  references: z.array(PublishedFigure),
});
export type TradeoffRow = z.infer<typeof TradeoffRow>;

export const TradeoffTable = z.object({
  rows: z.array(TradeoffRow),
  /** The budget the density row counts instances in. */
  densityBudgetBytes: z.number(),
  /** Caveat keys a reader needs (tcg: the VM was emulated; fewSamples). */
  caveats: z.array(z.string()),
  /** The same documents read model by model, from a process to a full VM (./spectrum.ts). */
  spectrum: Spectrum,
});
export type TradeoffTable = z.infer<typeof TradeoffTable>;

const usable = (s: string) => s === 'complete' || s === 'partial' || s === 'interrupted';
const byNewest = <T extends { startedAt: string }>(xs: T[]) => [...xs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));

/**
 * The startup figure of a run: time to the workload's first sign of life under each model (a container's first
 * output or readiness line, as it happened, not the engine's answer to the start call: shared/readiness.ts).
 */
function startupOf(run: Run): Measured | undefined {
  const container = run.model.startsWith('container:');
  const vm = run.model.startsWith('vm:');
  if (!container && !vm) return undefined;
  const phase = vm ? 'ssh' : containerReadyMark(run.phaseOrder) ?? 'firstOutput';
  // From the request to that moment: the phase's mark, not its own duration (summary[phase] is the latter).
  const timed = run.samples.filter((s) => !s.warmup && typeof s.marks[phase] === 'number').map((s) => s.marks[phase]);
  if (timed.length === 0) return undefined;
  const what = vm ? 'startup.vm' : phase === 'ready' ? 'startup.ready' : 'startup.firstOutput';
  return { value: median(timed), unit: 'ms', n: timed.length, source: { kind: 'run', id: run.id, model: run.model, at: run.startedAt, what } };
}

/** Memory one instance costs the host. VM runs: QEMU's PSS; comparisons: the host-side drop, else cgroup + helpers. */
function vmMemoryOf(run: Run): Measured | undefined {
  const m = run.footprint?.memory;
  const v = m?.qemuPssBytes ?? m?.qemuRssBytes;
  if (!v) return undefined;
  return { value: v, unit: 'bytes', source: { kind: 'run', id: run.id, model: run.model, at: run.startedAt, what: m?.qemuPssBytes ? 'memory.qemuPss' : 'memory.qemuRss' } };
}

/**
 * The table's two sides: an engine's runc-like containers, and the full VM. gVisor, Kata, the microVM and an
 * orchestrator have their own rows in the spectrum; here they would pass for the plain container or VM.
 */
type Side = (model: string) => boolean;
const CONTAINER: Side = (m) => m.startsWith('container:') && spectrumLayerOf(m) === 'container';
const VM: Side = (m) => spectrumLayerOf(m) === 'vm';

function comparisonMemory(c: Comparison, side: Side): Measured | undefined {
  for (const m of c.models) {
    if (!side(m.model) || m.status !== 'ok' || !m.footprint) continue;
    const mem = m.footprint.memory;
    if (mem.hostBytes && mem.hostBytes > 0) return { value: mem.hostBytes, unit: 'bytes', n: m.footprint.instances, source: { kind: 'comparison', id: c.id, model: m.model, at: c.startedAt, what: 'memory.host' } };
    if (mem.cgroupBytes) {
      return { value: mem.cgroupBytes + (mem.helperPssBytes ?? 0), unit: 'bytes', n: m.footprint.instances, source: { kind: 'comparison', id: c.id, model: m.model, at: c.startedAt, what: 'memory.cgroupHelpers' } };
    }
  }
  return undefined;
}

function comparisonDisk(c: Comparison, side: Side): Measured | undefined {
  for (const m of c.models) {
    if (!side(m.model) || m.status !== 'ok' || !m.footprint) continue;
    const d = m.footprint.disk;
    const v = d.imageBytes ?? d.totalBytes ?? d.rootFsBytes;
    if (v !== undefined) return { value: v, unit: 'bytes', source: { kind: 'comparison', id: c.id, model: m.model, at: c.startedAt, what: d.imageBytes !== undefined ? 'disk.image' : 'disk.total' } };
  }
  return undefined;
}

function runDisk(run: Run): Measured | undefined {
  const d = run.footprint?.disk;
  const v = d?.totalBytes ?? d?.imageBytes;
  if (!v) return undefined;
  return { value: v, unit: 'bytes', source: { kind: 'run', id: run.id, model: run.model, at: run.startedAt, what: d?.totalBytes ? (run.model.startsWith('vm:') ? 'disk.kernelInitramfs' : 'disk.total') : 'disk.image' } };
}

function first<T>(xs: T[], f: (x: T) => Measured | undefined): Measured | undefined {
  for (const x of xs) {
    const m = f(x);
    if (m) return m;
  }
  return undefined;
}

/** Which public figures belong to a row, by the figure's metric. */
export function referencesFor(row: TradeoffRowId, figures: PublishedFigure[]): PublishedFigure[] {
  const test: Record<TradeoffRowId, (f: PublishedFigure) => boolean> = {
    startup: (f) => /boot|start|create to SSH/i.test(f.metric),
    memory: (f) => /memory/i.test(f.metric),
    density: (f) => /memory/i.test(f.metric),
    disk: (f) => /disk|image size/i.test(f.metric),
    security: () => false,
    portability: () => false,
  };
  return figures.filter(test[row]);
}

export function buildTradeoffTable(input: { runs: Run[]; comparisons: Comparison[]; figures: PublishedFigure[]; budgetBytes?: number }): TradeoffTable {
  const budget = input.budgetBytes ?? GiB;
  const runs = byNewest(input.runs.filter((r) => usable(r.status)));
  const comps = byNewest(input.comparisons.filter((c) => usable(c.status)));
  const cRuns = runs.filter((r) => CONTAINER(r.model));
  const vRuns = runs.filter((r) => VM(r.model));

  const startupC = first(cRuns, startupOf);
  const startupV = first(vRuns, startupOf);
  const memC = first(comps, (c) => comparisonMemory(c, CONTAINER));
  const memV = newest(first(vRuns, vmMemoryOf), first(comps, (c) => comparisonMemory(c, VM)));
  const diskC = newest(first(comps, (c) => comparisonDisk(c, CONTAINER)), first(cRuns, runDisk));
  const diskV = newest(first(vRuns, runDisk), first(comps, (c) => comparisonDisk(c, VM)));

  const caveats: string[] = [];
  if (startupV && /tcg/.test(startupV.source.model)) caveats.push('tcg');
  if ((startupC?.n ?? 99) < 5 || (startupV?.n ?? 99) < 5) caveats.push('fewSamples');

  const rows: TradeoffRow[] = TRADEOFF_ROWS.map((id): TradeoffRow => {
    const references = referencesFor(id, input.figures);
    switch (id) {
      case 'startup':
        return { id, container: startupC, vm: startupV, references };
      case 'memory':
        return { id, container: memC, vm: memV, references };
      case 'density':
        return { id, container: fitsIn(budget, memC), vm: fitsIn(budget, memV), references };
      case 'disk':
        return { id, container: diskC, vm: diskV, references };
      default:
        return { id, references };
    }
  });
  return { rows, densityBudgetBytes: budget, caveats, spectrum: buildSpectrum(input) };
}
