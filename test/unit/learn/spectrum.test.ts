import { describe, expect, it } from 'vitest';
import figuresFile from '../../../shared/reference/published-figures.json';
import type { Comparison, FootprintResult, ModelResult } from '../../../shared/compare';
import { GiB, type PublishedFigure } from '../../../shared/learn/measured';
import { ISOLATION_SOURCES } from '../../../shared/learn/sources';
import { baseModel, buildSpectrum, figureLayerOf, LAYER_FACTS, SPECTRUM_LAYERS, spectrumLayerOf, type Spectrum } from '../../../shared/learn/spectrum';
import { buildTradeoffTable } from '../../../shared/learn/tradeoffs';
import type { PhaseSummary, Run } from '../../../shared/run';

const figures = figuresFile.figures as PublishedFigure[];
const MiB = 1024 * 1024;
const ENV = { host: { os: 'linux', kernel: '6', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' };

const ready = (median: number, ci95: [number, number], n = 10): PhaseSummary => ({ n, mean: median, median, p95: median, p99: median, min: ci95[0], max: ci95[1], stddev: 1, mad: 1, ci95, outliers: [] });
const fp = (memory: FootprintResult['memory'], instances = 4): FootprintResult => ({ instances, memory, cpu: {}, disk: {}, startupMs: [], notes: [] });

function ok(model: string, median: number, ci95: [number, number], extra: Partial<ModelResult> = {}): ModelResult {
  return { model, status: 'ok', notes: [], startup: { phaseOrder: ['ready'], summary: {}, readyMs: [median], ready: ready(median, ci95), totalMs: [median] }, ...extra };
}
const down = (model: string, error: string, status: 'unavailable' | 'failed' = 'unavailable'): ModelResult => ({ model, status, error, notes: [] });

function comparison(id: string, startedAt: string, models: ModelResult[], status: Comparison['status'] = 'complete'): Comparison {
  return { schema: 'isolab.comparison/1', id, status, startedAt, environment: ENV, plan: {}, floor: 'process', models, notes: [] };
}

function run(id: string, model: string, startedAt: string, marks: number[], phase: string, extra: Partial<Run> = {}): Run {
  return {
    schema: 'isolab.run/1',
    id,
    kind: 'bench',
    model,
    status: 'complete',
    startedAt,
    environment: ENV,
    plan: {},
    phaseOrder: ['spawn', phase],
    samples: marks.map((m, i) => ({ iteration: i + 1, warmup: false, phases: { [phase]: m }, marks: { spawn: 1, [phase]: m }, totalMs: m })),
    summary: {},
    notes: [],
    ...extra,
  };
}

const row = (s: Spectrum, model: string) => s.layers.flatMap((l) => l.rows).find((r) => r.model === model);
const layerOfRow = (s: Spectrum, model: string) => s.layers.find((l) => l.rows.some((r) => r.model === model))?.id;

describe('the spectrum, from fake comparisons holding every kind of model', () => {
  const vmRun = run('vm-cmp-run', 'vm:qemu', '2026-11-10T00:00:05Z', [2400, 2500], 'ready', { kind: 'compare:startup', plan: { comparison: 'cmp-new' }, environment: { ...ENV, accelerator: 'tcg' } });
  const comps = [
    comparison('cmp-old', '2026-11-01T00:00:00Z', [
      ok('container:runsc', 900, [850, 950], { footprint: fp({ hostBytes: 90 * MiB }) }),
      ok('container:kata', 1000, [900, 1100], { footprint: fp({ hostBytes: 150 * MiB }) }),
    ]),
    comparison('cmp-new', '2026-11-10T00:00:00Z', [
      ok('process', 2, [1.8, 2.2], { footprint: fp({ hostBytes: 0.5 * MiB, processPssBytes: 0.3 * MiB }) }),
      ok('container:runc', 300, [280, 320], {
        footprint: fp({ hostBytes: 8 * MiB, cgroupBytes: 1 * MiB, helperPssBytes: 3 * MiB }),
        density: { concurrency: 1, points: [], steps: [{ count: 1, medianLatencyMs: 1, memAvailableDropBytes: 9 * MiB, memPerNewInstanceBytes: 9 * MiB, elapsedMs: 1 }, { count: 16, medianLatencyMs: 1, memAvailableDropBytes: 160 * MiB, memPerNewInstanceBytes: 10 * MiB, elapsedMs: 1 }], stoppedBy: 'count', leftBehind: 0 },
      }),
      // Lost in the host's noise: the host-side figure is not a cost; its parts are.
      ok('container:runsc', 700, [650, 760], { footprint: fp({ hostBytes: 30 * MiB, hostBytesRounds: [-2 * MiB, 60 * MiB], cgroupBytes: 20 * MiB, helperPssBytes: 25 * MiB }) }),
      ok('oci:runsc', 650, [600, 700]),
      ok('vm:microvm', 1800, [1700, 1900], { footprint: fp({ helperPssBytes: 180 * MiB }, 1) }),
      ok('vm:qemu', 2450, [2400, 2500], { runId: 'vm-cmp-run', footprint: fp({ helperPssBytes: 240 * MiB }, 1) }),
      ok('swarm', 1500, [1400, 1600], { footprint: fp({ hostBytes: 12 * MiB }) }),
      down('container:kata', 'kata-runtime is not installed: install Kata Containers (see its installation guide) and register it with the engine'),
      down('vm:firecracker', 'firecracker is not on PATH: install it from its releases and give access to /dev/kvm'),
      { ...down('podman', 'not installed: Podman (apt-get install podman)'), reason: { code: 'not-installed', params: { tool: 'Podman', install: 'apt-get install podman' } } },
      down('container:crun', 'cannot run on this host: crun: cgroup hybrid mode', 'failed'),
    ]),
  ];
  const s = buildSpectrum({ runs: [vmRun], comparisons: comps, figures });

  it('puts the layers in isolation order and each model in its layer', () => {
    expect(s.layers.map((l) => l.id)).toEqual(SPECTRUM_LAYERS);
    expect(SPECTRUM_LAYERS).toEqual(['process', 'container', 'sandbox', 'vmContainer', 'microvm', 'vm', 'orchestrated']);
    expect(layerOfRow(s, 'process')).toBe('process');
    expect(layerOfRow(s, 'container:runc')).toBe('container');
    expect(layerOfRow(s, 'container:runsc')).toBe('sandbox');
    expect(layerOfRow(s, 'oci:runsc')).toBe('sandbox');
    expect(layerOfRow(s, 'container:kata')).toBe('vmContainer');
    expect(layerOfRow(s, 'vm:microvm')).toBe('microvm');
    expect(layerOfRow(s, 'vm:firecracker')).toBe('microvm');
    expect(layerOfRow(s, 'vm:qemu')).toBe('vm');
    expect(layerOfRow(s, 'swarm')).toBe('orchestrated');
    // Measured rows first, fastest first.
    expect(s.layers.find((l) => l.id === 'sandbox')!.rows.map((r) => r.model)).toEqual(['oci:runsc', 'container:runsc']);
    expect(s.layers.find((l) => l.id === 'microvm')!.rows.map((r) => r.model)).toEqual(['vm:microvm', 'vm:firecracker']);
  });

  it('gives each measured model the newest comparison\'s startup median with its interval, and memory per instance', () => {
    expect(row(s, 'container:runsc')).toMatchObject({ state: 'measured', startup: { value: 700, ci95: [650, 760], n: 10, unit: 'ms', source: { kind: 'comparison', id: 'cmp-new', what: 'startup.ready' } } });
    expect(row(s, 'vm:microvm')!.startup).toMatchObject({ value: 1800, ci95: [1700, 1900] });
    expect(row(s, 'swarm')).toMatchObject({ state: 'measured', startup: { value: 1500 }, memory: { value: 12 * MiB, source: { what: 'memory.host' } } });
    expect(row(s, 'container:runc')!.memory).toMatchObject({ value: 8 * MiB, n: 4, source: { what: 'memory.host', id: 'cmp-new' } });
    // Below the noise: cgroup + the sandbox's helpers, not the host-side figure.
    expect(row(s, 'container:runsc')!.memory).toMatchObject({ value: 45 * MiB, source: { what: 'memory.cgroupHelpers' } });
    expect(row(s, 'vm:qemu')!.memory).toMatchObject({ value: 240 * MiB, source: { what: 'memory.vmmPss' } });
  });

  it('derives density in 1 GiB from memory per instance and says so; a density run counts for itself', () => {
    expect(s.densityBudgetBytes).toBe(GiB);
    expect(row(s, 'vm:microvm')!.density).toMatchObject({ value: Math.floor(GiB / (180 * MiB)), unit: 'count', basis: 'memory', source: { what: 'density.memory.vmmPss' } });
    expect(row(s, 'container:runsc')!.density).toMatchObject({ value: Math.floor(GiB / (45 * MiB)), basis: 'memory' });
    // 16 instances took 160 MiB: 102 in 1 GiB, from the run rather than from the 8 MiB footprint (128).
    expect(row(s, 'container:runc')!.density).toMatchObject({ value: Math.floor((GiB * 16) / (160 * MiB)), n: 16, basis: 'densityRun', source: { what: 'density.run' } });
  });

  it('shows no number a document does not hold: startup only stays startup only; a model that cannot run says why', () => {
    const oci = row(s, 'oci:runsc')!;
    expect(oci.startup?.value).toBe(650);
    expect(oci.memory).toBeUndefined();
    expect(oci.density).toBeUndefined();
    const fc = row(s, 'vm:firecracker')!;
    expect(fc).toMatchObject({ state: 'unavailable', problem: { status: 'unavailable', message: expect.stringMatching(/install it/), source: { id: 'cmp-new' } } });
    expect(fc.startup ?? fc.memory ?? fc.density).toBeUndefined();
    // A comparison since the model registry carries the reason as a code too, for the page to word.
    expect(row(s, 'podman')!.problem).toMatchObject({ status: 'unavailable', reason: { code: 'not-installed', params: { tool: 'Podman' } } });
    expect(row(s, 'container:crun')).toMatchObject({ state: 'failed', problem: { status: 'failed' } });
    expect(row(s, 'container:crun')!.startup).toBeUndefined();
  });

  it('keeps an older measurement beside the newest comparison\'s failure, with both documents named', () => {
    const kata = row(s, 'container:kata')!;
    expect(kata.state).toBe('measured');
    expect(kata.startup).toMatchObject({ value: 1000, source: { id: 'cmp-old' } });
    expect(kata.problem).toMatchObject({ status: 'unavailable', source: { id: 'cmp-new' } });
  });

  it('names how the VM ran (TCG) from its startup run, and gives every row the command that measures it', () => {
    expect(row(s, 'vm:qemu')!.accel).toBe('tcg');
    expect(row(s, 'swarm')!.command).toBe('isolab bench swarm');
    expect(row(s, 'vm:firecracker')!.command).toBe('isolab compare --models vm:firecracker');
    expect(row(s, 'vm:microvm')!.command).toBe('isolab compare --models vm:microvm');
    // The comparison's own startup run is not counted a second time.
    expect(row(s, 'vm:qemu')!.startup!.source.kind).toBe('comparison');
  });

  it('draws every column some row has a number for; cited figures stand by their layer', () => {
    expect(s.columns).toEqual(['startup', 'memory', 'density']);
    const refs = (id: string) => s.layers.find((l) => l.id === id)!.references.map((f) => f.model);
    expect(refs('sandbox').every((m) => /gVisor/.test(m))).toBe(true);
    expect(refs('sandbox').length).toBeGreaterThan(0);
    expect(refs('vmContainer').every((m) => /Kata/.test(m))).toBe(true);
    expect(refs('microvm').some((m) => /Firecracker/.test(m))).toBe(true);
    expect(refs('vm').some((m) => /QEMU/.test(m))).toBe(true);
    expect(refs('orchestrated').some((m) => /Kubernetes/.test(m))).toBe(true);
    expect(refs('process')).toEqual([]);
  });
});

describe('the spectrum with nothing measured', () => {
  const s = buildSpectrum({ runs: [], comparisons: [], figures });
  it('draws no column and no number; each layer with a representative says how to measure it', () => {
    expect(s.columns).toEqual([]);
    for (const l of s.layers) {
      for (const r of l.rows) {
        expect(r.state).toBe('notMeasured');
        expect(r.startup ?? r.memory ?? r.density).toBeUndefined();
        expect(r.command).toMatch(/^isolab (compare --models \S+|bench swarm)$/);
      }
    }
    expect(s.layers.map((l) => l.rows.map((r) => r.model))).toEqual([['process'], ['container:runc'], ['container:runsc'], [], ['vm:microvm'], ['vm:qemu'], ['swarm']]);
  });

  it('a failed or cancelled comparison gives no number', () => {
    const c = comparison('cmp-failed', '2026-11-10T00:00:00Z', [ok('container:runsc', 700, [650, 760])], 'failed');
    const t = buildSpectrum({ runs: [], comparisons: [c], figures });
    expect(t.columns).toEqual([]);
    expect(row(t, 'container:runsc')!.startup).toBeUndefined();
  });
});

describe('the spectrum from benchmark runs alone', () => {
  it('reads a microVM bench run: one row for vm:microvm-tcg, its median with a bootstrap interval, QEMU\'s PSS', () => {
    const r = run('mv1', 'vm:microvm-tcg', '2026-11-05T00:00:00Z', [1000, 1100, 1200, 1300, 1400], 'ready', { footprint: { memory: { qemuPssBytes: 150 * MiB } } });
    const s = buildSpectrum({ runs: [r], comparisons: [], figures });
    const m = row(s, 'vm:microvm')!;
    expect(m).toMatchObject({ state: 'measured', accel: 'tcg', startup: { value: 1200, n: 5, source: { kind: 'run', id: 'mv1', model: 'vm:microvm-tcg', what: 'startup.ready' } }, memory: { value: 150 * MiB, source: { what: 'memory.qemuPss' } } });
    expect(m.startup!.ci95![0]).toBeLessThanOrEqual(1200);
    expect(m.startup!.ci95![1]).toBeGreaterThanOrEqual(1200);
    expect(row(s, 'vm:microvm-tcg')).toBeUndefined();
    expect(s.columns).toEqual(['startup', 'memory', 'density']);
  });

  it('names the accelerator of the document behind the numbers, not of an older one', () => {
    const old = run('v-old', 'vm:qemu-tcg', '2026-11-01T00:00:00Z', [5000], 'ready');
    const c = comparison('cmp-kvm', '2026-11-09T00:00:00Z', [ok('vm:qemu', 300, [280, 320])]);
    const s = buildSpectrum({ runs: [old], comparisons: [c], figures });
    expect(row(s, 'vm:qemu')).toMatchObject({ startup: { value: 300, source: { id: 'cmp-kvm' } } });
    expect(row(s, 'vm:qemu')!.accel).toBeUndefined();
    expect(row(buildSpectrum({ runs: [old], comparisons: [], figures }), 'vm:qemu')!.accel).toBe('tcg');
  });

  it('reads a gVisor container bench run from its first output', () => {
    const r = run('g1', 'container:runsc', '2026-11-05T00:00:00Z', [500, 600, 700], 'firstOutput');
    const s = buildSpectrum({ runs: [r], comparisons: [], figures });
    expect(row(s, 'container:runsc')!.startup).toMatchObject({ value: 600, source: { what: 'startup.firstOutput' } });
    expect(s.columns).toEqual(['startup']);
  });
});

describe('the spectrum\'s vocabulary', () => {
  it('classifies the names comparisons and the model registry give', () => {
    const cases: [string, string | undefined][] = [
      ['process', 'process'],
      ['container:runc', 'container'],
      ['container:io.containerd.runc.v2', 'container'],
      ['oci:crun', 'container'],
      ['container:podman', 'container'],
      ['lxc', 'container'],
      ['container:runsc', 'sandbox'],
      ['oci:runsc', 'sandbox'],
      ['container:kata-qemu', 'vmContainer'],
      ['container:hyperv', 'vmContainer'],
      ['container:process', 'container'],
      ['vm:microvm', 'microvm'],
      ['vm:firecracker', 'microvm'],
      ['vm:cloud-hypervisor', 'microvm'],
      ['vm:qemu-tcg', 'vm'],
      ['swarm', 'orchestrated'],
      ['orchestrator:swarm', 'orchestrated'],
      ['host:azure-vm', undefined],
    ];
    for (const [model, layer] of cases) expect(spectrumLayerOf(model), model).toBe(layer);
    expect(baseModel('vm:qemu-kvm')).toBe('vm:qemu');
    expect(baseModel('container:runc')).toBe('container:runc');
  });

  it('says what each layer shares: the kernel up to the sandbox, the hypervisor below each VM, a VMM per VM', () => {
    const k = (id: keyof typeof LAYER_FACTS) => LAYER_FACTS[id].sharing;
    expect(k('process').kernel).toBe('shared');
    expect(k('container').kernel).toBe('shared');
    expect(k('sandbox').kernel).toBe('throughSandbox');
    for (const id of ['vmContainer', 'microvm', 'vm'] as const) expect(k(id)).toMatchObject({ kernel: 'own', vmm: 'perInstance', hypervisor: 'shared' });
    expect(k('microvm').devices).toBe('minimal');
    expect(k('vm').devices).toBe('full');
    expect(LAYER_FACTS.orchestrated.adds).toContain('desiredState');
  });

  it('cites only sources the reference file holds, and places every startup or memory figure in a layer', () => {
    const ids = new Set(ISOLATION_SOURCES.map((s) => s.id));
    for (const l of SPECTRUM_LAYERS) for (const id of LAYER_FACTS[l].sources) expect(ids.has(id), id).toBe(true);
    for (const f of figures.filter((f) => /boot|start|create to SSH|memory/i.test(f.metric))) expect(figureLayerOf(f), f.model).toBeDefined();
  });
});

describe('the classic table beside the new models', () => {
  it('keeps gVisor and the microVM out of its containers and VMs columns', () => {
    const c = comparison('cmp', '2026-11-10T00:00:00Z', [
      ok('container:runsc', 700, [650, 760], { footprint: fp({ hostBytes: 40 * MiB }) }),
      ok('container:runc', 300, [280, 320], { footprint: fp({ hostBytes: 8 * MiB }) }),
      ok('vm:microvm', 1800, [1700, 1900], { footprint: fp({ helperPssBytes: 180 * MiB }, 1) }),
    ]);
    const runs = [run('g1', 'container:runsc', '2026-11-11T00:00:00Z', [500], 'firstOutput'), run('mv1', 'vm:microvm-tcg', '2026-11-11T00:00:00Z', [1000], 'ssh')];
    const t = buildTradeoffTable({ runs, comparisons: [c], figures });
    const r = (id: string) => t.rows.find((x) => x.id === id)!;
    expect(r('memory').container).toMatchObject({ value: 8 * MiB, source: { model: 'container:runc' } });
    expect(r('memory').vm).toBeUndefined();
    expect(r('startup').container).toBeUndefined();
    expect(r('startup').vm).toBeUndefined();
    expect(row(t.spectrum, 'vm:microvm')!.startup!.source.id).toBe('mv1');
  });
});
