import { describe, expect, it } from 'vitest';
import figuresFile from '../../../shared/reference/published-figures.json';
import type { Comparison } from '../../../shared/compare';
import { buildTradeoffTable, GiB, referencesFor, TRADEOFF_ROWS, type PublishedFigure } from '../../../shared/learn/tradeoffs';
import type { PhaseSummary, Run } from '../../../shared/run';

const figures = figuresFile.figures as PublishedFigure[];
const MiB = 1024 * 1024;

const summary = (median: number, n = 10): PhaseSummary => ({ n, mean: median, median, p95: median, p99: median, min: median, max: median, stddev: 0, mad: 0, ci95: [median, median], outliers: [] });

/** `marks`: ms from the request at which each phase ended, as a run's samples record them. */
function run(id: string, model: string, startedAt: string, marks: Record<string, number>, extra: Partial<Run> = {}): Run {
  const order = Object.keys(marks);
  const phases = Object.fromEntries(order.map((p, i) => [p, marks[p] - (i ? marks[order[i - 1]] : 0)]));
  const total = marks[order[order.length - 1]];
  const samples = [1, 2, 3].map((iteration) => ({ iteration, warmup: false, phases, marks, totalMs: total }));
  return {
    schema: 'isolab.run/1',
    id,
    kind: 'bench',
    model,
    status: 'complete',
    startedAt,
    environment: { host: { os: 'linux', kernel: '6', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' },
    plan: {},
    phaseOrder: order,
    samples,
    summary: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, summary(v as number)])),
    notes: [],
    ...extra,
  };
}

function comparison(id: string, startedAt: string, models: Comparison['models']): Comparison {
  return { schema: 'isolab.comparison/1', id, status: 'complete', startedAt, environment: { host: { os: 'linux', kernel: '6', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' }, plan: {}, floor: 'process', models, notes: [] };
}

const footprint = (memory: Record<string, number>, disk: Record<string, number> = {}) => ({ instances: 4, memory, cpu: {}, disk, startupMs: [], notes: [] });

describe('buildTradeoffTable', () => {
  const runs = [
    run('c-old', 'container:runc', '2026-11-01T00:00:00Z', { firstOutput: 900 }),
    run('c-new', 'container:runc', '2026-11-02T00:00:00Z', { create: 20, start: 80, firstOutput: 95 }),
    run('c-failed', 'container:runc', '2026-11-03T00:00:00Z', { firstOutput: 1 }, { status: 'failed' }),
    run('v1', 'vm:qemu-tcg', '2026-11-02T00:00:00Z', { spawn: 5, ssh: 2500 }, { footprint: { memory: { qemuPssBytes: 240 * MiB }, disk: { totalBytes: 30 * MiB } } }),
    run('p1', 'process', '2026-11-04T00:00:00Z', { spawn: 1 }),
  ];
  const comps = [
    comparison('cmp-1', '2026-11-03T00:00:00Z', [
      { model: 'process', status: 'ok', notes: [] },
      { model: 'container:runc', status: 'ok', notes: [], footprint: footprint({ hostBytes: 8 * MiB, cgroupBytes: 1 * MiB }, { imageBytes: 2 * MiB }) },
    ]),
  ];
  const t = buildTradeoffTable({ runs, comparisons: comps, figures });
  const row = (id: string) => t.rows.find((r) => r.id === id)!;

  it('has every row, in the table\'s order', () => {
    expect(t.rows.map((r) => r.id)).toEqual(TRADEOFF_ROWS);
  });

  it('startup: the newest usable container run (failed ones skipped) and the VM\'s boot to SSH, each with its run', () => {
    expect(row('startup').container).toMatchObject({ value: 95, unit: 'ms', source: { kind: 'run', id: 'c-new', what: 'startup.firstOutput' } });
    expect(row('startup').vm).toMatchObject({ value: 2500, source: { id: 'v1', what: 'startup.vm', model: 'vm:qemu-tcg' } });
  });

  it('memory and density: the comparison\'s host-side figure for containers, QEMU PSS for the VM; density counts what fits in 1 GiB', () => {
    expect(row('memory').container).toMatchObject({ value: 8 * MiB, source: { kind: 'comparison', id: 'cmp-1', what: 'memory.host' } });
    expect(row('memory').vm).toMatchObject({ value: 240 * MiB, source: { id: 'v1', what: 'memory.qemuPss' } });
    expect(row('density').container).toMatchObject({ value: 128, unit: 'count', source: { id: 'cmp-1' } });
    expect(row('density').vm?.value).toBe(Math.floor(GiB / (240 * MiB)));
  });

  it('disk: the image for containers, kernel + initramfs for the VM', () => {
    expect(row('disk').container).toMatchObject({ value: 2 * MiB, source: { what: 'disk.image' } });
    expect(row('disk').vm).toMatchObject({ value: 30 * MiB, source: { what: 'disk.kernelInitramfs' } });
  });

  it('flags the VM figures as emulated under TCG', () => {
    expect(t.caveats).toContain('tcg');
  });

  it('a ready phase (plan workloads) wins over first output; no runs at all leaves the cells empty', () => {
    const t2 = buildTradeoffTable({ runs: [run('w', 'container:crun', '2026-11-05T00:00:00Z', { create: 10, start: 40, ready: 60 })], comparisons: [], figures });
    expect(t2.rows.find((r) => r.id === 'startup')!.container).toMatchObject({ value: 60, source: { what: 'startup.ready' } });
    const empty = buildTradeoffTable({ runs: [], comparisons: [], figures: [] });
    expect(empty.rows.every((r) => !r.container && !r.vm)).toBe(true);
  });
});

describe('referencesFor', () => {
  it('pairs startup rows with boot and start figures and memory rows with memory figures, never mixing them', () => {
    const startup = referencesFor('startup', figures);
    expect(startup.length).toBeGreaterThan(3);
    expect(startup.every((f) => /boot|start|SSH/i.test(f.metric))).toBe(true);
    const memory = referencesFor('memory', figures);
    expect(memory.some((f) => f.model.startsWith('microVM'))).toBe(true);
    expect(memory.every((f) => /memory/i.test(f.metric))).toBe(true);
    expect(referencesFor('security', figures)).toEqual([]);
  });
});
