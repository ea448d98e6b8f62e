import { quantileSorted } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/random';
import type { Sample } from '../../../shared/run';
import { boxRow, DOT_LIMIT, quantile7, isDense, jitter, linearAxis, logAxis, outliers } from './distribution';

const sample = (iteration: number, ms: number, warmup = false): Sample => ({ iteration, warmup, phases: { a: ms }, marks: { a: ms }, totalMs: ms });

describe('boxRow', () => {
  it('computes quartiles over timed samples only and Tukey whiskers', () => {
    const samples = [sample(1, 500, true), ...[1, 2, 3, 4, 5, 6, 7, 8, 100].map((v, i) => sample(i + 2, v))];
    const row = boxRow('k', 'K', samples, 'a')!;
    expect(row.values).toHaveLength(9);
    expect(row.warmup).toEqual([500]);
    // R type 7 on 1..8,100: q1 = 3, median = 5, q3 = 7, IQR 4, upper fence 13
    expect([row.q1, row.median, row.q3]).toEqual([3, 5, 7]);
    expect(row.whiskerLo).toBe(1);
    expect(row.whiskerHi).toBe(8);
  });

  it('agrees with simple-statistics on the sorted values, ties, zeros and an odd count included', () => {
    const rand = seededRandom(11);
    for (const n of [1, 2, 3, 4, 7, 1000, 1001]) {
      const ms = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : Math.round(rand() * 40) / 4));
      const row = boxRow('k', 'K', ms.map((v, i) => sample(i, v)), 'a')!;
      const sorted = [...ms].sort((a, b) => a - b);
      expect([row.q1, row.median, row.q3], `n=${n}`).toEqual([0.25, 0.5, 0.75].map((p) => quantileSorted(sorted, p)));
      const iqr = row.q3 - row.q1;
      const inside = sorted.filter((v) => v >= row.q1 - 1.5 * iqr && v <= row.q3 + 1.5 * iqr);
      expect([row.whiskerLo, row.whiskerHi, row.min, row.max]).toEqual([inside[0], inside[inside.length - 1], sorted[0], sorted[n - 1]]);
      // The samples keep their order and iterations: the dots and the tooltip name the right iteration.
      expect(row.values).toEqual(ms);
      expect(row.iterations).toEqual(ms.map((_, i) => i));
    }
    expect(quantile7(Float64Array.from([1, 2, 3, 4]), 0.25)).toBe(quantileSorted([1, 2, 3, 4], 0.25));
  });

  it('returns undefined when there is no timed sample of the phase', () => {
    expect(boxRow('k', 'K', [sample(1, 5, true)], 'a')).toBeUndefined();
  });
});

describe('logAxis', () => {
  it('ends its domain on 1-2-5 ticks around the data', () => {
    expect(logAxis([0.3, 4])).toMatchObject({ domain: [0.2, 5], ticks: [0.2, 0.5, 1, 2, 5] });
  });
  it('falls back to decades over a wide span', () => {
    expect(logAxis([0.12, 280])).toMatchObject({ domain: [0.1, 1000], ticks: [0.1, 1, 10, 100, 1000] });
  });
  it('ignores values that a log scale cannot draw', () => {
    expect(logAxis([0, 3]).domain[0]).toBeGreaterThan(0);
  });
});

describe('jitter', () => {
  it('is deterministic and bounded', () => {
    const a = jitter(50, 1, 0.2);
    expect(a).toEqual(jitter(50, 1, 0.2));
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.2);
  });
});

describe('linearAxis', () => {
  it('starts at 0 and ends on a round tick above the data', () => {
    expect(linearAxis([12, 338])).toEqual({ domain: [0, 400], ticks: [0, 100, 200, 300, 400] });
    expect(linearAxis([0.3, 7.1])).toEqual({ domain: [0, 8], ticks: [0, 2, 4, 6, 8] });
    expect(linearAxis([0, 0]).domain[1]).toBeGreaterThan(0);
  });
});

describe('outliers', () => {
  const samples = [...Array.from({ length: 100 }, (_, i) => sample(i + 1, 10 + (i % 10))), sample(101, 200), sample(102, 1), sample(103, 90)];
  const row = boxRow('k', 'K', samples, 'a')!;

  it('are the samples beyond the whiskers, with their iterations, in iteration order', () => {
    expect(outliers(row, false)).toEqual({ shown: [{ ms: 200, iteration: 101 }, { ms: 1, iteration: 102 }, { ms: 90, iteration: 103 }], count: 3 });
  });

  it('keep the furthest from the median as the axis draws them when there are too many to draw', () => {
    // Median 14.5: on a linear axis 90 ms is further than 1 ms; on a log one, 1 ms (14.5× below) is further than 90 ms (6.2× above).
    expect(outliers(row, false, 2)).toEqual({ shown: [{ ms: 200, iteration: 101 }, { ms: 90, iteration: 103 }], count: 3 });
    expect(outliers(row, true, 2)).toEqual({ shown: [{ ms: 200, iteration: 101 }, { ms: 1, iteration: 102 }], count: 3 });
  });

  it('mark a row dense only past the dot limit', () => {
    expect(isDense(row)).toBe(false);
    expect(isDense(boxRow('k', 'K', Array.from({ length: DOT_LIMIT + 1 }, (_, i) => sample(i + 1, i)), 'a')!)).toBe(true);
  });
});

describe('axes over many samples', () => {
  it('take a hundred thousand values without spreading them into a call', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => 1 + (i % 4));
    expect(logAxis(many).domain).toEqual([1, 5]);
    expect(linearAxis(many).domain).toEqual([0, 4]);
  });
});
