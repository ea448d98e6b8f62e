import type { Comparison, ModelResult } from '../../../shared/compare';
import { hostBytesBelowNoise } from '../../../shared/host-memory';
import { medianOf } from '../../../shared/stats';

/** Chart rows from a Comparison: pure, so the page stays small and this can be unit-tested. */

export const MiB = 2 ** 20;

const measured = (c: Comparison): ModelResult[] => c.models.filter((m) => m.status === 'ok' && m.startup);

/** Median time to ready with its 95% interval, as [value, [lo, hi]] offsets for an error bar. */
export function startupRows(c: Comparison) {
  return measured(c).map((m) => {
    const s = m.startup!.ready;
    return { model: m.model, median: s.median, lo: s.ci95[0], hi: s.ci95[1], err: [s.median - s.ci95[0], s.ci95[1] - s.median] as [number, number], ratio: m.ratios?.ready };
  });
}

const PHASE_ORDER = ['spawn', 'create', 'start', 'started', 'firstOutput', 'ready', 'exit', 'reap', 'delete', 'remove'];

/** One row per model with each phase's median duration: stacked, they add up to roughly the lifecycle. */
export function phaseRows(c: Comparison): { rows: Record<string, number | string>[]; phases: string[] } {
  // Stack in the order things happen, whatever model listed a phase first.
  const seen = new Set(measured(c).flatMap((m) => m.startup!.phaseOrder));
  const phases = [...PHASE_ORDER.filter((p) => seen.has(p)), ...[...seen].filter((p) => !PHASE_ORDER.includes(p))];
  const rows = measured(c).map((m) => {
    const row: Record<string, number | string> = { model: m.model };
    for (const p of m.startup!.phaseOrder) row[p] = m.startup!.summary[p]?.median ?? 0;
    return row;
  });
  return { rows, phases };
}

/**
 * Memory per idle instance in MiB, each method its own series, for a log scale: a VM's hundreds of MiB and a
 * container's few must both be readable. Zero (no helper process) has no place on it and a host-side figure below
 * the noise is no cost, so both are left out; the table shows them.
 */
export function memoryRows(c: Comparison) {
  const mib = (v: number | undefined) => (v !== undefined && v > 0 ? v / MiB : undefined);
  return c.models
    .filter((m) => m.footprint)
    .map((m) => {
      const f = m.footprint!.memory;
      return {
        model: m.model,
        cgroup: mib(f.cgroupBytes),
        host: hostBytesBelowNoise(f) ? undefined : mib(f.hostBytes),
        helpers: mib(f.helperPssBytes),
        process: mib(f.processPssBytes),
      };
    });
}

/** Start latency against the number already running, one series per model (recharts wants one row per x). */
export function densityRows(c: Comparison): { rows: Record<string, number>[]; models: string[] } {
  const models = c.models.filter((m) => m.density?.points.length).map((m) => m.model);
  const byRunning = new Map<number, Record<string, number>>();
  for (const m of c.models) {
    for (const p of m.density?.points ?? []) {
      const row = byRunning.get(p.running) ?? { running: p.running };
      // Several starts at the same count (concurrency k): keep their median.
      const key = `${m.model}`;
      const list = ((row as Record<string, unknown>)[`__${key}`] as number[] | undefined) ?? [];
      list.push(p.latencyMs);
      (row as Record<string, unknown>)[`__${key}`] = list;
      row[key] = medianOf(list) ?? NaN;
      byRunning.set(p.running, row);
    }
  }
  const rows = [...byRunning.values()].sort((a, b) => a.running - b.running).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('__'))));
  return { rows, models };
}
