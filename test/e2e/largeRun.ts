import { COMPARISON_SCHEMA, type Comparison, type ModelResult } from '../../shared/compare';
import { seededRandom, type RandomSource } from '../../shared/random';
import { max, mean, median, medianAbsoluteDeviation, min, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { RUN_SCHEMA, type PhaseSummary, type Run, type Sample } from '../../shared/run';
import { bootstrapCI, modifiedZScores, OUTLIER_Z, spreadWarnings } from '../../shared/stats';
import { toSample } from '../../electron/lab/runner';

/**
 * Synthetic but schema-valid documents of the size a precision target asks for (10,000 iterations): phase
 * times log-normal around a container's and a process's usual medians, a few slow outliers, a few warmups. The
 * summaries are shared/stats' summarize() with fewer bootstrap resamples (its 2,000 over 10,000 values take
 * seconds a phase: the interval's exact ends are not what these tests look at); the notes are the engine's own.
 */

function summary(values: number[], ids: number[]): PhaseSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const z = modifiedZScores(values);
  return {
    n: values.length,
    mean: mean(values),
    median: median(values),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: min(values),
    max: max(values),
    stddev: sampleStandardDeviation(values),
    mad: medianAbsoluteDeviation(values),
    ci95: bootstrapCI(values, median, { resamples: 50 }),
    outliers: ids.filter((_, i) => Math.abs(z[i]) > OUTLIER_Z),
  };
}

function summarizeSamples(samples: Sample[], order: string[]): Record<string, PhaseSummary> {
  const timed = samples.filter((s) => !s.warmup);
  const ids = timed.map((s) => s.iteration);
  const out: Record<string, PhaseSummary> = {};
  for (const p of order) out[p] = summary(timed.map((s) => s.phases[p]), ids);
  out.total = summary(timed.map((s) => s.totalMs), ids);
  return out;
}

/** A ratio of medians with a rough interval (the quotient of the two medians' intervals): enough for the charts. */
function ratio(a: PhaseSummary, b: PhaseSummary): { ratio: number; ci95: [number, number] } {
  return { ratio: a.median / b.median, ci95: [a.ci95[0] / b.ci95[1], a.ci95[1] / b.ci95[0]] };
}

/** Median ms and log-spread of each phase: a runc container's lifecycle and the process floor's. */
const CONTAINER: [string, number, number][] = [
  ['create', 28, 0.18],
  ['start', 62, 0.15],
  ['firstOutput', 2.4, 0.45],
  ['exit', 11, 0.25],
  ['remove', 19, 0.2],
];
const PROCESS: [string, number, number][] = [
  ['spawn', 0.9, 0.2],
  ['firstOutput', 0.35, 0.35],
  ['exit', 0.6, 0.3],
];

function logNormal(rand: RandomSource, median: number, sigma: number): number {
  // Box-Muller: one standard normal from two uniforms (1 - u keeps log away from 0).
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * z);
}

function samples(phases: [string, number, number][], n: number, warmup: number, seed: number): Sample[] {
  const rand = seededRandom(seed);
  const order = phases.map(([p]) => p);
  return Array.from({ length: warmup + n }, (_, i) => {
    const isWarmup = i < warmup;
    // Every 997th iteration is a slow one (a page-cache miss, a scheduler hiccup): 4 to 9 times the usual.
    const slow = isWarmup || (i + 1) % 997 === 0 ? 4 + 5 * rand() : 1;
    let at = 0;
    const marks: Record<string, number> = {};
    for (const [p, median, sigma] of phases) {
      at += logNormal(rand, median, sigma) * (p === phases[0][0] ? slow : 1);
      marks[p] = Number(at.toFixed(4));
    }
    return toSample(i + 1, isWarmup, marks, order);
  });
}

/** A run of `n` timed iterations of a runc container with the process floor interleaved, as `isolab bench` saves it. */
export function largeRun(id: string, n: number, opts: { warmup?: number; seed?: number } = {}): Run {
  const warmup = opts.warmup ?? 3;
  const seed = opts.seed ?? 1;
  const target = samples(CONTAINER, n, warmup, seed);
  const floor = samples(PROCESS, n, warmup, seed + 1);
  const run: Run = {
    schema: RUN_SCHEMA,
    id,
    kind: 'bench',
    model: 'container:runc',
    status: 'complete',
    startedAt: '2026-03-02T09:00:00.000Z',
    finishedAt: '2026-03-02T10:12:00.000Z',
    environment: { host: { os: 'Debian GNU/Linux 12', kernel: '6.1.0-test', arch: 'x64', cpus: 2, memoryBytes: 24 * 2 ** 30 }, isolabVersion: '0.1.0' },
    plan: { target: 'containers', iterations: n, warmup, image: 'isolab/probe:1' },
    phaseOrder: CONTAINER.map(([p]) => p),
    samples: target,
    summary: summarizeSamples(target, CONTAINER.map(([p]) => p)),
    baseline: { model: 'process', phaseOrder: PROCESS.map(([p]) => p), samples: floor, summary: summarizeSamples(floor, PROCESS.map(([p]) => p)) },
    notes: [],
  };
  const first = (xs: Sample[]) => xs.find((s) => !s.warmup)?.totalMs;
  run.notes = [...spreadWarnings(run.model, run.summary.total, first(target)), ...spreadWarnings('process', run.baseline!.summary.total, first(floor), true)];
  return run;
}

/** A comparison of the process floor and two container runtimes, each measured `n` times, as `isolab compare` saves it. */
export function largeComparison(id: string, n: number): Comparison {
  const models: [string, [string, number, number][]][] = [
    ['process', PROCESS],
    ['container:runc', CONTAINER],
    ['container:runsc', CONTAINER.map(([p, m, s]) => [p, m * 2.2, s] as [string, number, number])],
  ];
  const results: ModelResult[] = models.map(([model, phases], i) => {
    const all = samples(phases, n, 0, 10 + i);
    const readyMs = all.map((s) => s.marks.firstOutput);
    const totalMs = all.map((s) => s.totalMs);
    return {
      model,
      status: 'ok',
      notes: [],
      startup: { phaseOrder: phases.map(([p]) => p), summary: summarizeSamples(all, phases.map(([p]) => p)), readyMs, ready: summary(readyMs, all.map((s) => s.iteration)), totalMs },
    };
  });
  const floor = results[0].startup!;
  for (const r of results.slice(1)) r.ratios = { ready: ratio(r.startup!.ready, floor.ready), total: ratio(r.startup!.summary.total, floor.summary.total) };
  return {
    schema: COMPARISON_SCHEMA,
    id,
    status: 'complete',
    startedAt: '2026-03-02T11:00:00.000Z',
    environment: { host: { os: 'Debian GNU/Linux 12', kernel: '6.1.0-test', arch: 'x64', cpus: 2, memoryBytes: 24 * 2 ** 30 }, isolabVersion: '0.1.0' },
    plan: { name: `${n.toLocaleString('en')} starts each` },
    floor: 'process',
    models: results,
    notes: [],
  };
}
