import { describe, expect, it } from 'vitest';
import { containerReadyMs, readyByLogLine, readyClampedToStartCall, startCallLag } from '../../shared/readiness';
import { resolveWorkload, Workload } from '../../shared/plan';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { startupFromRun } from '../../shared/sim/resolve';
import { buildTradeoffTable } from '../../shared/learn/tradeoffs';
import { readyView } from '../../renderer/src/result/ready';
import { BOOTSTRAP_RESAMPLES, ratioOfMedians, summarize } from '../../shared/stats';

/** A run from marks per sample (each in the order it happened), with phases as the runner computes them. */
function run(model: string, phaseOrder: string[], marks: Record<string, number>[], plan: Record<string, unknown> = {}, baseline?: Run['baseline']): Run {
  const samples = marks.map((m, i) => {
    const inTime = Object.keys(m).sort((a, b) => m[a] - m[b]);
    const phases = Object.fromEntries(inTime.map((p, j) => [p, m[p] - (j ? m[inTime[j - 1]] : 0)]));
    return { iteration: i + 1, warmup: false, phases, marks: m, totalMs: Math.max(...Object.values(m)) };
  });
  return {
    schema: RUN_SCHEMA, id: `r-${model}`, kind: 'bench:containers', model, status: 'complete', startedAt: '2026-11-30T00:00:00Z',
    environment: { host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0.1.0' },
    plan, phaseOrder, samples, summary: {}, notes: [], baseline,
  };
}

const NEW = ['create', 'firstOutput', 'started', 'exit', 'remove'];
const OLD = ['create', 'start', 'firstOutput', 'exit', 'remove'];
// The output came 40 ms before the engine's answer in two iterations, 5 ms after it in the third.
const now = run('container:runc', NEW, [
  { create: 10, firstOutput: 100, started: 140, exit: 160, remove: 170 },
  { create: 12, firstOutput: 110, started: 150, exit: 165, remove: 180 },
  { create: 11, started: 120, firstOutput: 125, exit: 150, remove: 160 },
]);
// Before: the first output pinned to the start call's return.
const before = run('container:runc', OLD, [
  { create: 10, start: 140, firstOutput: 140, exit: 160, remove: 170 },
  { create: 12, start: 150, firstOutput: 150, exit: 165, remove: 180 },
]);

describe('ready is the workload running, the engine answer its own mark', () => {
  it("reads ready from a container bench's first output, and the engine's lag after it", () => {
    expect(containerReadyMs(now)).toEqual({ mark: 'firstOutput', values: [100, 110, 125], iterations: [1, 2, 3] });
    const lag = startCallLag(now)!;
    expect(lag.medianMs).toBe(40);
    expect(lag.readyFirst).toBe(2);
    expect(lag.n).toBe(3);
    expect(readyClampedToStartCall(now)).toBe(false);
  });

  it('still reads old runs: ready is their (pinned) first output, no lag, and they say so', () => {
    expect(containerReadyMs(before)!.values).toEqual([140, 150]);
    expect(startCallLag(before)).toBeUndefined();
    expect(readyClampedToStartCall(before)).toBe(true);
    expect(readyView(before)).toMatchObject({ mark: 'firstOutput', median: 145, clamped: true, lag: undefined });
  });

  it('has a lag for a workload ready by its log line, not for one ready when it exits', () => {
    const order = ['create', 'started', 'ready', 'remove'];
    const marks = [{ create: 10, ready: 90, started: 100, remove: 130 }, { create: 10, ready: 95, started: 101, remove: 140 }];
    expect(startCallLag(run('container:runc', order, marks, { workload: { kind: 'ready-line' } }))).toMatchObject({ medianMs: 8, readyFirst: 2 });
    const exit = run('container:runc', order, [{ create: 10, started: 90, ready: 100, remove: 130 }], { workload: { kind: 'true' } });
    expect(startCallLag(exit)).toBeUndefined();
    expect(readyClampedToStartCall(run('container:runc', ['create', 'start', 'ready', 'remove'], marks, { workload: { kind: 'ready-line' } }))).toBe(true);
  });

  it('gives the Bench page ready against the floor measured in the same run', () => {
    const floor = run('process', ['spawn', 'firstOutput', 'exit'], [{ spawn: 1, firstOutput: 2, exit: 3 }, { spawn: 1, firstOutput: 2.5, exit: 3 }, { spawn: 1, firstOutput: 3, exit: 4 }]);
    const v = readyView({ ...now, baseline: { model: 'process', phaseOrder: floor.phaseOrder, samples: floor.samples, summary: {} } })!;
    expect(v).toMatchObject({ mark: 'firstOutput', median: 110, n: 3, clamped: false });
    expect(v.floor).toMatchObject({ model: 'process', median: 2.5 });
    expect(v.floor!.ratio).toBeCloseTo(44, 6);
    expect(readyView({ ...floor, model: 'process' })).toBeUndefined();
  });

  it('gives the page its medians at once and its intervals in steps, the figures the CLI prints', () => {
    const floor = run('process', ['spawn', 'firstOutput', 'exit'], [{ spawn: 1, firstOutput: 2, exit: 3 }, { spawn: 1, firstOutput: 2.5, exit: 3 }, { spawn: 1, firstOutput: 3, exit: 4 }]);
    const r = { ...now, baseline: { model: 'process', phaseOrder: floor.phaseOrder, samples: floor.samples, summary: {} } };
    const v = readyView(r)!;
    expect(v.lag).toEqual({ medianMs: 40, n: 3, readyFirst: 2 });
    const steps = v.intervals();
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    expect(pauses).toBe(3 * BOOTSTRAP_RESAMPLES);
    expect(step.value).toEqual({ ci95: summarize([100, 110, 125]).ci95, floor: ratioOfMedians([100, 110, 125], [2, 2.5, 3]).ci95, lag: startCallLag(now)!.ci95 });
  });

  it('feeds the simulator and Learn the first output, not the engine answer', () => {
    expect(startupFromRun(now).dist).toEqual({ dist: 'empirical', samplesMs: [100, 110, 125] });
    const row = buildTradeoffTable({ runs: [now], comparisons: [], figures: [] }).rows.find((r) => r.id === 'startup')!;
    expect(row.container).toMatchObject({ value: 110, source: { what: 'startup.firstOutput' } });
  });

  it("tells a log-line workload from the plan without its schema, as the schema's resolved workload does", () => {
    const viaSchema = (w: unknown) => {
      const parsed = Workload.safeParse(w ?? {});
      return parsed.success && resolveWorkload(parsed.data).readiness.kind === 'log';
    };
    const workloads: unknown[] = [
      undefined,
      {},
      { kind: 'true' },
      { kind: 'sleep' },
      { kind: 'server' },
      { kind: 'ready-line' },
      { kind: 'ready-line', timeoutMs: 5000 },
      { kind: 'ready-line', readiness: { kind: 'exit' } },
      { kind: 'true', readiness: { kind: 'log', pattern: '^up$' } },
      { kind: 'custom', command: ['sh', '-c', 'echo up; sleep 9'], readiness: { kind: 'log', pattern: 'up' } },
      { kind: 'custom', command: ['httpd'], readiness: { kind: 'tcp', port: 80 }, network: 'host' },
      { kind: 'custom', command: ['sleep', '9'], readiness: { kind: 'running' } },
      'ready-line',
      null,
    ];
    for (const w of workloads) expect([w, readyByLogLine(w)]).toEqual([w, viaSchema(w)]);
  });
});
