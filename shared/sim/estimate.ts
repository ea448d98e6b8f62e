import jStat from 'jstat';

/**
 * A figure estimated from independent replications (one seed each): the mean with its Student t interval, the
 * textbook method for terminating simulations (Law, Simulation Modeling and Analysis, ch. 9), and the median.
 * With one replication there is no interval: lo and hi are NaN, and the faces say so.
 */
export interface Estimate {
  /** Replications with a finite value (a wait percentile is undefined when nothing was served). */
  n: number;
  mean: number;
  median: number;
  sd: number;
  /** The interval's level, 0.95. */
  level: number;
  lo: number;
  hi: number;
}

export function estimate(values: number[], level = 0.95): Estimate {
  const xs = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, median: NaN, sd: NaN, level, lo: NaN, hi: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? xs[(n - 1) / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  if (n === 1) return { n, mean, median, sd: NaN, level, lo: NaN, hi: NaN };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = jStat.studentt.inv(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, median, sd, level, lo: mean - half, hi: mean + half };
}
