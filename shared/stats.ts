import {
  max as ssMax,
  mean as ssMean,
  median as ssMedian,
  medianAbsoluteDeviation,
  min as ssMin,
  quantileSorted,
  sampleStandardDeviation,
} from 'simple-statistics';
import type { PhaseSummary } from './run';
import { seededRandom, type RandomSource } from './random';
import { note, type Note } from './notes';

/**
 * Honest statistics for small benchmark samples (after hyperfine): the median and percentiles first, the
 * mean with its standard deviation, MAD-based outliers, and a bootstrap confidence interval of the median.
 * Quantiles are simple-statistics' `quantileSorted`: linear interpolation between closest ranks (R's type 7,
 * numpy's default).
 */

/** Iglewicz and Hoaglin's cut-off for the modified z-score. */
export const OUTLIER_Z = 3.5;
export const BOOTSTRAP_RESAMPLES = 2000;

export function modifiedZScores(values: number[]): number[] {
  if (values.length === 0) return [];
  const med = ssMedian(values);
  const mad = medianAbsoluteDeviation(values);
  if (mad > 0) return values.map((x) => (0.6745 * (x - med)) / mad);
  // MAD is 0 when more than half the values are equal: fall back to the mean absolute deviation (IBM's
  // and Iglewicz-Hoaglin's variant), else nothing stands out.
  const meanAd = ssMean(values.map((x) => Math.abs(x - med)));
  if (meanAd > 0) return values.map((x) => (x - med) / (1.253314 * meanAd));
  return values.map(() => 0);
}

/** A percentile bootstrap interval of a statistic, seeded so the same data give the same interval. */
export function bootstrapCI(
  values: number[],
  statistic: (xs: number[]) => number,
  opts: { resamples?: number; seed?: number; level?: number } = {},
): [number, number] {
  const n = values.length;
  if (n === 0) return [NaN, NaN];
  if (n === 1) return [values[0], values[0]];
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const level = opts.level ?? 0.95;
  const rand: RandomSource = seededRandom(opts.seed ?? 42);
  const stats = new Float64Array(resamples);
  const buf = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) buf[i] = values[Math.floor(rand() * n)];
    stats[b] = statistic(buf);
  }
  const sorted = Array.from(stats).sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)];
}

/**
 * The median of resamples of `values`, drawn as `values[Math.floor(rand() * n)]` n times: the same draws and the
 * same median, to the last digit, as simple-statistics' median of that resample, without copying and selecting
 * it. The values are ranked once; a resample is then a count per rank and its median the rank where the counts
 * pass the middle, O(n) instead of an O(n) selection with its shuffling, and no garbage. A bootstrap of 10,000
 * values costs its random draws and little else. Values that are not finite (which have no rank) fall back to
 * the copy and select.
 */
export function medianResampler(values: readonly number[]): (rand: RandomSource) => number {
  const n = values.length;
  if (!values.every(Number.isFinite)) {
    const buf = new Array<number>(n);
    return (rand) => {
      for (let i = 0; i < n; i++) buf[i] = values[Math.floor(rand() * n)];
      return ssMedian(buf);
    };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const sorted = Float64Array.from(order, (i) => values[i]);
  const rank = new Int32Array(n);
  order.forEach((i, r) => (rank[i] = r));
  const counts = new Int32Array(n);
  // R type 7 at p = 0.5: the middle order statistic, or halfway between the two middle ones.
  const lower = Math.floor((n - 1) / 2);
  const upper = Math.ceil((n - 1) / 2);
  return (rand) => {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rank[Math.floor(rand() * n)]]++;
    let r = 0;
    let below = counts[0]; // resampled values up to rank r
    while (below <= lower) below += counts[++r];
    const a = sorted[r];
    if (upper === lower || below > upper) return a;
    do r++;
    while (counts[r] === 0);
    return a + 0.5 * (sorted[r] - a);
  };
}

/** bootstrapCI(values, median, opts), to the last digit, at the cost of its random draws (medianResampler). */
export function bootstrapMedianCI(values: number[], opts: { resamples?: number; seed?: number; level?: number } = {}): [number, number] {
  const steps = bootstrapMedianSteps(values, opts);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** bootstrapMedianCI one resample at a time: it pauses (yields) after each, so a page can spread the work over frames. */
export function* bootstrapMedianSteps(values: number[], opts: { resamples?: number; seed?: number; level?: number } = {}): Generator<void, [number, number]> {
  const n = values.length;
  if (n === 0) return [NaN, NaN];
  if (n === 1) return [values[0], values[0]];
  const resamples = opts.resamples ?? BOOTSTRAP_RESAMPLES;
  const level = opts.level ?? 0.95;
  const rand: RandomSource = seededRandom(opts.seed ?? 42);
  const median = medianResampler(values);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    stats[b] = median(rand);
    yield;
  }
  const sorted = Array.from(stats).sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)];
}

/**
 * Summarise one phase. `iterations` names each value's iteration so outliers can be pointed at; it defaults
 * to 1..n.
 */
export function summarize(values: number[], iterations?: number[], seed = 42): PhaseSummary {
  const n = values.length;
  if (n === 0) {
    return { n: 0, mean: NaN, median: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN, stddev: NaN, mad: NaN, ci95: [NaN, NaN], outliers: [] };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const ids = iterations ?? values.map((_, i) => i + 1);
  const z = modifiedZScores(values);
  return {
    n,
    mean: ssMean(values),
    median: ssMedian(values),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    min: ssMin(values),
    max: ssMax(values),
    stddev: n > 1 ? sampleStandardDeviation(values) : 0,
    mad: medianAbsoluteDeviation(values),
    ci95: bootstrapMedianCI(values, { seed }),
    outliers: ids.filter((_, i) => Math.abs(z[i]) > OUTLIER_Z),
  };
}

/** The ratio of two medians (a / b) with a bootstrap interval: how many times slower a is than b. */
export function ratioOfMedians(a: number[], b: number[], seed = 7): { ratio: number; ci95: [number, number] } {
  const steps = ratioOfMediansSteps(a, b, seed);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * ratioOfMedians one resample at a time: it pauses (yields) after each, so a page can spread the work of two
 * large samples (10,000 values each: seconds) over several frames. Run to its end, it returns what
 * ratioOfMedians returns, to the last digit.
 */
export function* ratioOfMediansSteps(a: number[], b: number[], seed = 7): Generator<void, { ratio: number; ci95: [number, number] }> {
  const ratio = ssMedian(a) / ssMedian(b);
  if (a.length < 2 || b.length < 2) return { ratio, ci95: [ratio, ratio] };
  const randA = seededRandom(seed);
  const randB = seededRandom(seed + 1);
  const medianA = medianResampler(a);
  const medianB = medianResampler(b);
  const ratios: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    ratios.push(medianA(randA) / medianB(randB));
    yield;
  }
  ratios.sort((x, y) => x - y);
  return { ratio, ci95: [quantileSorted(ratios, 0.025), quantileSorted(ratios, 0.975)] };
}

/** The median of a sample, undefined when there is none (simple-statistics' median throws on an empty one). */
export function medianOf(xs: readonly number[]): number | undefined {
  return xs.length ? ssMedian(xs as number[]) : undefined;
}

/** Coefficient of variation above which a spread is called wide. */
const WIDE_SPREAD_CV = 0.25;

/** How many outlier iterations a note names: the rest are counted, not listed (a 10,000-iteration run has hundreds). */
export const OUTLIER_EXAMPLES = 3;

/**
 * Warnings in the spirit of hyperfine's: what about these numbers a reader should not take at face value, as
 * codes and parameters (shared/notes.ts) each face puts in its words. `firstValue` is the first timed
 * (non-warmup) value, in run order; `baseline` marks the floor's series.
 */
export function spreadWarnings(model: string, s: PhaseSummary, firstValue?: number, baseline?: boolean): Note[] {
  const out: Note[] = [];
  const who = { model, baseline: baseline || undefined };
  if (s.n < 5) out.push(note('few-iterations', { ...who, n: s.n }));
  if (s.n >= 2 && s.mean > 0 && s.stddev / s.mean > WIDE_SPREAD_CV) {
    out.push(note('wide-spread', { ...who, stddevMs: round1(s.stddev), cvPct: Math.round((100 * s.stddev) / s.mean) }));
  }
  if (firstValue !== undefined && s.n >= 3 && firstValue > 2 * s.median && firstValue === s.max) {
    out.push(note('cold-first', { ...who, firstMs: round1(firstValue), medianMs: round1(s.median) }));
  }
  if (s.outliers.length > 0) {
    out.push(note('outliers', { ...who, count: s.outliers.length, examples: s.outliers.slice(0, OUTLIER_EXAMPLES).join(', ') }));
  }
  return out;
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
