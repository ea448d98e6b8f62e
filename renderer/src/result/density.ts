import { interquartileRange, sampleStandardDeviation } from 'simple-statistics';

/** A density curve on the chart's x axis: `x` in ms, ascending; `y` scaled so its peak is 1. */
export interface DensityCurve {
  x: number[];
  y: number[];
}

/** Grid points of a curve: about 2 px apart on a chart 500 px wide, so the outline looks smooth. */
const DENSITY_POINTS = 256;

/**
 * A Gaussian kernel density estimate of `values`, computed on the scale the axis draws (log10 of the values on a
 * log axis, the values on a linear one), so the shape is what the eye reads against that axis. It is cut at the
 * smallest and largest value (nothing is drawn where no sample was) and binned first, as R's density() does: the
 * values are spread over a grid by linear binning and the grid is smoothed, which costs O(n + points²), not
 * O(n × points). Bandwidth: Silverman's rule of thumb (R's bw.nrd0). Values a log axis cannot draw are taken at
 * `floor`, where the chart pins them.
 */
export function densityCurve(values: number[], log: boolean, floor: number, points = DENSITY_POINTS): DensityCurve {
  const t = log ? values.map((v) => Math.log10(Math.max(v, floor))) : values;
  const back = (u: number) => (log ? 10 ** u : u);
  let lo = Infinity;
  let hi = -Infinity;
  for (const u of t) {
    if (u < lo) lo = u;
    if (u > hi) hi = u;
  }
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
  const h = bandwidth(t);
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

/** Silverman's rule of thumb as R's bw.nrd0: 0.9 × min(σ, IQR / 1.34) × n^(-1/5), with its fallbacks when that is 0. */
export function bandwidth(t: number[]): number {
  const sd = t.length > 1 ? sampleStandardDeviation(t) : 0;
  const spread = Math.min(sd, interquartileRange(t) / 1.34) || sd || Math.abs(t[0]) || 1;
  return 0.9 * spread * t.length ** -0.2;
}
