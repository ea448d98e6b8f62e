import { seededRandom } from '../../../shared/random';
import type { Sample } from '../../../shared/run';

/** One row of a distribution chart: a model's samples of one phase, with its box. */
export interface BoxRow {
  key: string;
  label: string;
  /** Timed samples only; warmup samples are drawn apart and never enter the box. */
  values: number[];
  /** The same values in ascending order (the density reads its ends and quartiles off them). */
  sorted: Float64Array;
  warmup: number[];
  iterations: number[];
  warmupIterations: number[];
  q1: number;
  median: number;
  q3: number;
  /** Tukey's whiskers: the furthest sample within 1.5 × IQR of the box. */
  whiskerLo: number;
  whiskerHi: number;
  min: number;
  max: number;
}

/**
 * Past this many timed samples a row is drawn as a density with its box and only the samples beyond the whiskers
 * as dots: thousands of dots make a solid block that hides the box, and an SVG element each makes the page slow.
 */
export const DOT_LIMIT = 300;

/**
 * At most this many dots beyond the whiskers per row, the furthest from the median: a log-normal tail puts a few
 * percent of a large run there (hundreds of dots piled at the row's end); the density shows the rest.
 */
export const OUTLIER_DOTS = 40;

export const isDense = (row: BoxRow) => row.values.length > DOT_LIMIT;

/** One sample to draw as a dot, with the iteration it came from. */
export interface RowSample {
  ms: number;
  iteration: number;
}

/**
 * The samples beyond Tukey's whiskers. When there are more than `max`, those furthest from the median as the axis
 * draws them (by ratio on a log axis, where 0.1 ms below a 1 ms median is as far as 10 ms above it; values it
 * cannot draw are furthest), then in iteration order; `count` says how many there were.
 */
export function outliers(row: BoxRow, log: boolean, max = OUTLIER_DOTS): { shown: RowSample[]; count: number } {
  const out: RowSample[] = [];
  const { values, iterations, whiskerLo, whiskerHi } = row;
  for (let i = 0; i < values.length; i++) if (values[i] < whiskerLo || values[i] > whiskerHi) out.push({ ms: values[i], iteration: iterations[i] });
  if (out.length <= max) return { shown: out, count: out.length };
  const far = (v: number) => (!log ? Math.abs(v - row.median) : v > 0 && row.median > 0 ? Math.abs(Math.log(v / row.median)) : Infinity);
  // Each distance once, not twice per comparison: a large run has hundreds of samples out there.
  const furthest = out
    .map((s, i) => ({ s, d: far(s.ms), i }))
    .sort((a, b) => b.d - a.d || a.i - b.i)
    .slice(0, max)
    .map((e) => e.s);
  return { shown: furthest.sort((a, b) => a.iteration - b.iteration), count: out.length };
}

export function phaseValue(s: Sample, phase: string): number | undefined {
  return phase === 'total' ? s.totalMs : s.phases[phase];
}

/**
 * Quartiles as shared/stats.ts computes its percentiles (simple-statistics' quantileSorted, R type 7), so the box
 * agrees with the table. One pass over the samples; the values are sorted as a Float64Array, whose native numeric
 * sort is several times faster than Array.sort with a comparator (thousands of samples a row, a dozen rows a run).
 */
export function boxRow(key: string, label: string, samples: Sample[], phase: string): BoxRow | undefined {
  const values: number[] = [];
  const iterations: number[] = [];
  const warmup: number[] = [];
  const warmupIterations: number[] = [];
  for (const s of samples) {
    const v = phaseValue(s, phase);
    if (v === undefined) continue;
    if (s.warmup) {
      warmup.push(v);
      warmupIterations.push(s.iteration);
    } else {
      values.push(v);
      iterations.push(s.iteration);
    }
  }
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const q1 = quantile7(sorted, 0.25);
  const q3 = quantile7(sorted, 0.75);
  const iqr = q3 - q1;
  // Tukey's whiskers: the first and last sorted values within 1.5 × IQR of the box.
  let lo = 0;
  while (sorted[lo] < q1 - 1.5 * iqr) lo++;
  let hi = sorted.length - 1;
  while (sorted[hi] > q3 + 1.5 * iqr) hi--;
  return {
    key,
    label,
    values,
    sorted,
    warmup,
    iterations,
    warmupIterations,
    q1,
    median: quantile7(sorted, 0.5),
    q3,
    whiskerLo: sorted[lo],
    whiskerHi: sorted[hi],
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

/** simple-statistics' quantileSorted (linear interpolation between closest ranks, R type 7) on a typed array. */
export function quantile7(sorted: ArrayLike<number>, p: number): number {
  const idx = (sorted.length - 1) * p;
  if (idx % 1 === 0) return sorted[idx];
  const lower = Math.floor(idx);
  const upper = lower + 1;
  return sorted[lower] + (idx - lower) * (sorted[upper] - sorted[lower]);
}

/** Deterministic vertical jitter in [-spread, spread], so the same run always draws the same picture. */
export function jitter(n: number, seed: number, spread: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => (rand() * 2 - 1) * spread);
}

/**
 * The x axis. On a log scale: ticks on the 1-2-5 sequence (or decades when that is too many) and a domain
 * that ends on ticks; values ≤ 0 cannot be drawn and are pinned to the axis' low end by the caller.
 * On a linear scale: from 0, and recharts picks nice ticks.
 */
export function logAxis(values: number[]): { domain: [number, number]; ticks: number[]; floor: number } {
  // A loop, not Math.min(...values): spreading a run's hundred thousand samples overflows the call stack.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!(v > 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi < lo) [lo, hi] = [0.01, 1];
  const candidates: number[] = [];
  for (let e = -3; e <= 6; e++) for (const m of [1, 2, 5]) candidates.push(m * 10 ** e);
  const below = candidates.filter((c) => c <= lo * 1.0001);
  const above = candidates.filter((c) => c >= hi * 0.9999);
  let min = below.length ? below[below.length - 1] : candidates[0];
  let max = above.length ? above[0] : candidates[candidates.length - 1];
  if (min === max) {
    min = candidates[Math.max(0, candidates.indexOf(min) - 1)];
    max = candidates[Math.min(candidates.length - 1, candidates.indexOf(max) + 1)];
  }
  let ticks = candidates.filter((c) => c >= min && c <= max);
  if (ticks.length > 7) {
    const decades = ticks.filter((c) => Math.log10(c) % 1 === 0);
    min = Math.pow(10, Math.floor(Math.log10(min)));
    max = Math.pow(10, Math.ceil(Math.log10(max)));
    ticks = [...new Set([min, ...decades, max])];
  }
  return { domain: [min, max], ticks, floor: min };
}

/** The x axis on a linear scale: from 0 to a round top, 4 to 6 steps of 1, 2, 2.5 or 5 × 10^k. */
export function linearAxis(values: number[]): { domain: [number, number]; ticks: number[] } {
  const max = values.reduce((m, v) => (Number.isFinite(v) && v > m ? v : m), 0) || 1;
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const steps = Math.ceil(max / step - 1e-9);
  const ticks = Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  return { domain: [0, ticks[ticks.length - 1]], ticks };
}
