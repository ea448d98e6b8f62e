import { describe, expect, it } from 'vitest';
import type { Comparison, ModelResult } from '../../../shared/compare';
import type { Note } from '../../../shared/notes';
import { summarize } from '../../../shared/stats';
import { densityRows, memoryRows, MiB, phaseRows, startupRows } from './data';

function model(name: string, phases: Record<string, number>, extra: Partial<ModelResult> = {}): ModelResult {
  const summary = Object.fromEntries(Object.entries(phases).map(([p, v]) => [p, summarize([v, v])]));
  return { model: name, status: 'ok', notes: [], startup: { phaseOrder: Object.keys(phases), summary, readyMs: [1, 2, 3], ready: summarize([1, 2, 3]), totalMs: [2, 3, 4] }, ...extra };
}

const base = { schema: 'isolab.comparison/1' as const, id: 'c', status: 'complete' as const, startedAt: '', environment: { host: { os: '', kernel: '', arch: '', cpus: 1, memoryBytes: 1 }, isolabVersion: '' }, plan: {}, floor: 'process', notes: [] as Note[] };

describe('compare chart data', () => {
  it('stacks phases in the order they happen, whichever model comes first', () => {
    const c = { ...base, models: [model('process', { spawn: 1, ready: 2, reap: 1 }), model('container:runc', { create: 30, start: 200, ready: 5, remove: 20 })] } as Comparison;
    expect(phaseRows(c).phases).toEqual(['spawn', 'create', 'start', 'ready', 'reap', 'remove']);
    expect(phaseRows(c).rows[1]).toEqual({ model: 'container:runc', create: 30, start: 200, ready: 5, remove: 20 });
  });

  it('leaves models that did not run out of the charts', () => {
    const c = { ...base, models: [model('process', { spawn: 1, ready: 1 }), { model: 'oci:crun', status: 'unavailable', error: 'x', notes: [] }] } as Comparison;
    expect(startupRows(c).map((r) => r.model)).toEqual(['process']);
    expect(startupRows(c)[0].err).toEqual([1, 1]);
  });

  it('keeps memory rows for a log scale: no zero, no host-side figure below the noise', () => {
    const fp = (memory: Record<string, number | number[]>) => ({ instances: 10, memory, cpu: {}, disk: {}, startupMs: [], notes: [] });
    const c = {
      ...base,
      models: [
        model('oci:runc', { ready: 1 }, { footprint: fp({ cgroupBytes: 0.3 * MiB, hostBytes: -0.2 * MiB, helperPssBytes: 0 }) }),
        model('container:runc', { ready: 1 }, { footprint: fp({ cgroupBytes: 0.5 * MiB, hostBytes: 4.8 * MiB, hostBytesRounds: [4.7 * MiB, 4.8 * MiB], helperPssBytes: 3.4 * MiB }) }),
      ],
    } as Comparison;
    expect(memoryRows(c)).toEqual([
      { model: 'oci:runc', cgroup: 0.3, host: undefined, helpers: undefined, process: undefined },
      { model: 'container:runc', cgroup: 0.5, host: 4.8, helpers: 3.4, process: undefined },
    ]);
  });

  it('puts density points of every model on one x axis, the median of starts at the same count', () => {
    const density = (pts: [number, number][]) => ({ concurrency: 2, points: pts.map(([running, latencyMs]) => ({ running, latencyMs })), steps: [], stoppedBy: 'count', leftBehind: 0 });
    const c = { ...base, models: [model('a', { ready: 1 }, { density: density([[0, 10], [1, 20], [2, 30], [2, 50]]) }), model('b', { ready: 1 }, { density: density([[0, 5]]) })] } as Comparison;
    const { rows, models } = densityRows(c);
    expect(models).toEqual(['a', 'b']);
    expect(rows).toEqual([{ running: 0, a: 10, b: 5 }, { running: 1, a: 20 }, { running: 2, a: 40 }]);
  });
});
