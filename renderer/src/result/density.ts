import { interquartileRange, sampleStandardDeviation } from 'simple-statistics';
import { quantile7 } from './distribution';

/** A density curve on the chart's x axis: `x` in ms, ascending; `y` scaled so its peak is 1. */
export interface DensityCurve {
  x: number[];
  y: number[];
}

/** Grid points of a curve: about 2 px apart on a chart 500 px wide, so the outline looks smooth. */
const DENSITY_POINTS = 256;

/**
 * A Gaussian kernel density estimate of `sorted` (the row's values in ascending order: its box sorted them
 * already), computed on the scale the axis draws (log10 of the values on a log axis, the values on a linear one),
 * so the shape is what the eye reads against that axis. It is cut at the smallest and largest value (nothing is
 * drawn where no sample was) and binned first, as R's density() does: the values are spread over a grid by linear
 * binning and the grid is smoothed, which costs O(n + points²), not O(n × points). Bandwidth: Silverman's rule of
 * thumb (R's bw.nrd0). Values a log axis cannot draw are taken at `floor`, where the chart pins them.
 */
export function densityCurve(sorted: ArrayLike<number>, log: boolean, floor: number, points = DENSITY_POINTS): DensityCurve {
  // log10 keeps the order, so the transformed values are sorted too: their ends and quartiles are read off.
  const t = new Float64Array(sorted.length);
  for (let i = 0; i < t.length; i++) t[i] = log ? Math.log10(Math.max(sorted[i], floor)) : sorted[i];
  const back = (u: number) => (log ? 10 ** u : u);
  const lo = t[0];
  const hi = t[t.length - 1];
  if (!(hi > lo)) return { x: [back(lo)], y: [1] }; // every sample the same: a single line
  const step = (hi - lo) / (points - 1);
  const counts = new Float64Array(points);
  for (const u of t) {
    const pos = (u - lo) / step;
    const i = Math.min(points - 2, Math.floor(pos));
    const frac = pos - i;
    counts[i] += 1 - frac;
    counts[i + 1] += frac;
  }
  const h = bandwidthSorted(t);
  // Beyond 4 bandwidths the kernel adds under 0.04% of its peak: leave it out. A bandwidth under half a grid
  // step smooths nothing the grid can show; the binned counts are then the curve.
  const reach = Math.min(points - 1, Math.ceil((4 * h) / step));
  const kernel = Array.from({ length: reach + 1 }, (_, k) => Math.exp(-0.5 * ((k * step) / h) ** 2));
  const y = new Array<number>(points).fill(0);
  for (let j = 0; j < points; j++) {
    const c = counts[j];
    if (c === 0) continue;
    for (let i = Math.max(0, j - reach); i <= Math.min(points - 1, j + reach); i++) y[i] += c * kernel[Math.abs(i - j)];
  }
  let peak = 0;
  for (const v of y) if (v > peak) peak = v;
  return { x: Array.from({ length: points }, (_, i) => back(lo + i * step)), y: y.map((v) => v / peak) };
}

/** `bandwidth` of values sorted ascending, without sorting or copying them again (one pass for σ). */
export function bandwidthSorted(t: ArrayLike<number>): number {
  const n = t.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += t[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (t[i] - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const iqr = quantile7(t, 0.75) - quantile7(t, 0.25); // simple-statistics' interquartileRange, on sorted values
  const spread = Math.min(sd, iqr / 1.34) || sd || Math.abs(t[0]) || 1;
  return 0.9 * spread * n ** -0.2;
}

/** Silverman's rule of thumb as R's bw.nrd0: 0.9 × min(σ, IQR / 1.34) × n^(-1/5), with its fallbacks when that is 0. */
export function bandwidth(t: number[]): number {
  const sd = t.length > 1 ? sampleStandardDeviation(t) : 0;
  const spread = Math.min(sd, interquartileRange(t) / 1.34) || sd || Math.abs(t[0]) || 1;
  return 0.9 * spread * t.length ** -0.2;
}
