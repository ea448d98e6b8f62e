/**
 * Whether two noisy measurements of one quantity agree, judged on intervals rather than on one number each: the
 * 95% confidence interval of each method's mean over its rounds (Student's t, since rounds are few) must overlap
 * the other's. An overlap alone would let a very noisy method agree with anything, so the verdict also says
 * whether the intervals are narrow enough to catch a method that is off by a factor of 2: with their relative
 * half-widths ra and rb, an interval around twice (or half) the other's mean would miss it entirely:
 * 2·(1 − ra) > 1 + rb and 1 + ra < 2·(1 − rb). (Both within ±30% is enough: 1.4 > 1.3.)
 */

/** Two-sided 97.5% quantiles of Student's t for 1 … 30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074,
  2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export interface MeanInterval {
  mean: number;
  lo: number;
  hi: number;
  /** Half-width over the mean. */
  relHalfWidth: number;
  n: number;
}

export function meanInterval(xs: number[]): MeanInterval {
  const n = xs.length;
  if (n < 2) throw new Error('an interval needs at least two rounds');
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = T975[Math.min(n - 1, T975.length) - 1] * (sd / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, relHalfWidth: Math.abs(half / mean), n };
}

export interface Agreement {
  a: MeanInterval;
  b: MeanInterval;
  overlap: boolean;
  /** The intervals are narrow enough that a 2× (or ½×) error of `a` could not overlap `b`. */
  strict: boolean;
}

export function agreement(a: number[], b: number[]): Agreement {
  const ia = meanInterval(a);
  const ib = meanInterval(b);
  return {
    a: ia,
    b: ib,
    overlap: ia.lo <= ib.hi && ib.lo <= ia.hi,
    strict: 2 * (1 - ia.relHalfWidth) > 1 + ib.relHalfWidth && 1 + ia.relHalfWidth < 2 * (1 - ib.relHalfWidth),
  };
}
