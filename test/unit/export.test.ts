import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { startupFigure } from '../../shared/adaptive/startup-rule';
import { Comparison, type ModelResult } from '../../shared/compare';
import { csvField } from '../../shared/csv';
import { exportDocument } from '../../shared/export';
import { Run, RUN_SCHEMA } from '../../shared/run';
import { summarize } from '../../shared/stats';

const env = { host: { os: 'Debian 12', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 24 * 1024 ** 3 }, isolabVersion: '0.1.0' };

function run(): Run {
  const samples = [1, 2, 3].map((i) => ({ iteration: i, warmup: i === 1, phases: { create: 10 * i, 'start, "quoted"': 5 }, marks: { create: 10 * i, 'start, "quoted"': 10 * i + 5 }, totalMs: 10 * i + 5 }));
  return Run.parse({
    schema: RUN_SCHEMA, id: 'r1', kind: 'bench:containers', model: 'container:runc', status: 'complete', startedAt: '2026-11-26T16:00:00Z',
    environment: env, plan: {}, phaseOrder: ['create', 'start, "quoted"'], samples,
    summary: { create: summarize([20, 30]), 'start, "quoted"': summarize([5, 5]), total: summarize([25, 35]) }, notes: ['a | pipe'],
  });
}

function model(name: string, ready: number[], extra: Partial<ModelResult> = {}): ModelResult {
  return {
    model: name, status: 'ok', notes: [],
    startup: { phaseOrder: ['ready'], summary: { total: summarize(ready.map((x) => x + 1)) }, readyMs: ready, ready: summarize(ready), totalMs: ready.map((x) => x + 1) },
    ...extra,
  };
}

function comparison(): Comparison {
  return Comparison.parse({
    schema: 'isolab.comparison/1', id: 'c1', status: 'complete', startedAt: '2026-11-26T16:00:00Z', environment: env, plan: { name: 'p' }, floor: 'process',
    models: [
      model('process', [1, 1.2, 0.9]),
      model('container:runc', [100, 110, 90], {
        ratios: { ready: { ratio: 100, ci95: [80, 120] }, total: { ratio: 50, ci95: [40, 60] }, hostMemory: 3 },
        footprint: { instances: 20, memory: { cgroupBytes: 1048576, hostBytes: 3 * 1048576, helperPssBytes: 2e6 }, cpu: { hostStartupMs: 40 }, disk: { imageBytes: 2e6, writableLayerBytes: 0 }, startupMs: [100], notes: [] },
        density: { concurrency: 1, points: [{ running: 0, latencyMs: 100 }, { running: 1, latencyMs: 120 }], steps: [{ count: 1, medianLatencyMs: 100, memAvailableDropBytes: 3e6, memPerNewInstanceBytes: 3e6, elapsedMs: 500 }], stoppedBy: 'count', leftBehind: 0 },
      }),
      { model: 'container:crun', status: 'unavailable', error: 'cannot run on this host: crun: cgroups, "hybrid" | mode', notes: [] },
    ],
    notes: [],
  });
}

describe('export', () => {
  it('quotes CSV fields that need it and leaves numbers raw', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(0.1 + 0.2)).toBe(String(0.1 + 0.2));
    expect(csvField(NaN)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('exports a run as CSV with a row per sample that a CSV parser reads back', () => {
    const rows = parse(exportDocument(run(), 'csv'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0])).toEqual(['run', 'model', 'iteration', 'warmup', 'create_ms', 'start, "quoted"_ms', 'total_ms']);
    expect(rows[2]).toMatchObject({ iteration: '3', warmup: 'false', create_ms: '30', total_ms: '35' });
  });

  it('exports a comparison as CSV: a row per model, then density points and steps', () => {
    const rows = parse(exportDocument(comparison(), 'csv'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.record)).toEqual(['model', 'model', 'model', 'density-point', 'density-point', 'density-step']);
    const runc = rows.find((r) => r.model === 'container:runc' && r.record === 'model')!;
    expect(runc).toMatchObject({ median_ready_ms: '100', ratio_ready: '100', ratio_ready_ci95_low: '80', host_bytes_per_instance: String(3 * 1048576) });
    expect(rows.find((r) => r.model === 'container:crun')!.error).toBe('cannot run on this host: crun: cgroups, "hybrid" | mode');
  });

  it('exports what the adaptive plan decided: rows after the models in the same CSV table, and a Precision section', () => {
    const c = comparison();
    const runc = c.models.find((m) => m.model === 'container:runc')!;
    runc.aliases = ['io.containerd.runc.v2'];
    runc.adaptive = { figures: [startupFigure(runc.startup!.readyMs, { minCount: 3, maxCount: 3 }, { endedBy: 'budget', unitCostMs: 120 })] };
    c.adaptive = { version: 1, order: 'pilot-first', startupRule: { minCount: 5, maxCount: 60, target: 0.05, level: 0.95, lookGrowth: 1.5, warmup: 2 }, budget: { ms: 30_000, preset: 'demo', marginMs: 300, spentMs: 29_000, exhausted: true } };
    const text = exportDocument(Comparison.parse(c), 'csv');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const fig = rows.filter((r) => r.record === 'adaptive-figure');
    expect(fig).toHaveLength(1);
    expect(fig[0]).toMatchObject({ model: 'container:runc', aliases: 'io.containerd.runc.v2', figure: 'startup', count: '3', unit_cost_ms: '120' });
    expect(rows.findIndex((r) => r.record === 'adaptive-figure')).toBeGreaterThan(rows.findIndex((r) => r.record === 'model'));
    const md = exportDocument(Comparison.parse(c), 'md');
    expect(md).toMatch(/## Precision[\s\S]*Models ran pilot-first\. Budget 30 s \(demo\)/);
    expect(md).toContain('container:runc (also io.containerd.runc.v2)');
    // A comparison written before the adaptive fields exports as before: no adaptive columns' values, no section.
    expect(exportDocument(comparison(), 'md')).not.toContain('## Precision');
  });

  it('exports Markdown tables with ratios and their intervals, escaping pipes', () => {
    const md = exportDocument(comparison(), 'md');
    expect(md).toContain('| container:runc | ok | 100 ms |');
    expect(md).toContain('100.0× (80.0–120.0)');
    expect(md).toContain('"hybrid" \\| mode');
    expect(md).toContain('## Density');
    expect(md).toContain('3.0 MiB');
    expect(exportDocument(run(), 'md')).toContain('- a | pipe');
  });

  it('exports JSON that parses back into the same document', () => {
    const c = comparison();
    expect(Comparison.parse(JSON.parse(exportDocument(c, 'json')))).toEqual(c);
    expect(Run.parse(JSON.parse(exportDocument(run(), 'json')))).toEqual(run());
  });
});

describe('footprintFromVmRun', () => {
  it('maps a VM run\'s QEMU PSS, kit disk and CPU into the comparison\'s footprint, or nothing without them', async () => {
    const { footprintFromVmRun } = await import('../../shared/compare');
    const base = { schema: 'isolab.run/1', id: 'v', kind: 'bench:vm', model: 'vm:qemu-tcg', status: 'complete', startedAt: '2026-11-26T00:00:00Z', environment: { host: { os: 'l', kernel: 'k', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' }, plan: {}, phaseOrder: ['ssh'], samples: [], summary: {}, notes: [] } as const;
    const fp = footprintFromVmRun({ ...base, footprint: { memory: { qemuPssBytes: 250 * 2 ** 20, guestMemUsedBytes: 30 * 2 ** 20 }, disk: { kernelBytes: 10, initramfsBytes: 5, imageBytes: 0, totalBytes: 15 }, cpu: { qemuStartupCpuMs: 3100 } } } as never, [4000, 4100]);
    expect(fp).toMatchObject({ instances: 1, memory: { helperPssBytes: 250 * 2 ** 20 }, disk: { totalBytes: 15, rootFsBytes: 15 }, cpu: { startupMs: 3100 }, startupMs: [4000, 4100] });
    expect(fp!.disk.imageBytes).toBeUndefined(); // no disk image: the table shows kernel + initramfs, not 0
    expect(fp!.notes[0].text).toMatch(/30\.0 MiB/);
    expect(footprintFromVmRun(base as never, [])).toBeUndefined();
  });
});
