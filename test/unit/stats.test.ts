import { describe, expect, it } from 'vitest';
import { median } from 'simple-statistics';
import { seededRandom } from '../../shared/random';
import { bootstrapCI, bootstrapMedianCI, BOOTSTRAP_RESAMPLES, medianResampler, modifiedZScores, OUTLIER_EXAMPLES, ratioOfMedians, ratioOfMediansSteps, spreadWarnings, summarize } from '../../shared/stats';
import type { Note } from '../../shared/notes';

describe('summarize', () => {
  // Values chosen so every statistic is easy to check by hand.
  const xs = [10, 12, 11, 13, 100];
  const s = summarize(xs);

  it('computes centre and spread by hand', () => {
    expect(s.n).toBe(5);
    expect(s.median).toBe(12);
    expect(s.mean).toBeCloseTo(29.2, 10); // 146 / 5
    expect(s.min).toBe(10);
    expect(s.max).toBe(100);
    // sample stddev: deviations -19.2 -17.2 -18.2 -16.2 70.8; squares sum 6270.8; / 4 = 1567.7
    expect(s.stddev).toBeCloseTo(Math.sqrt(1567.7), 6);
    // |x - 12| = 2 0 1 1 88 -> median 1
    expect(s.mad).toBe(1);
  });

  it('interpolates percentiles linearly between ranks', () => {
    // sorted 10 11 12 13 100; (n-1)p = 3.8 -> 13 + 0.8 * 87 = 82.6; (n-1)p = 3.96 -> 13 + 0.96 * 87 = 96.52
    expect(s.p95).toBeCloseTo(82.6, 10);
    expect(s.p99).toBeCloseTo(96.52, 10);
    const ten = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // (n-1)p = 8.55 -> 9 + 0.55
    expect(ten.p95).toBeCloseTo(9.55, 10);
  });

  it('flags the outlier by modified z-score and names its iteration', () => {
    // M = 0.6745 * (100 - 12) / 1 = 59.4 > 3.5; the others are at most 0.6745 * 2 = 1.35
    expect(s.outliers).toEqual([5]);
    expect(summarize(xs, [11, 12, 13, 14, 15]).outliers).toEqual([15]);
  });

  it('brackets the median with its bootstrap interval, reproducibly', () => {
    expect(s.ci95[0]).toBeLessThanOrEqual(s.median);
    expect(s.ci95[1]).toBeGreaterThanOrEqual(s.median);
    expect(s.ci95[0]).toBeGreaterThanOrEqual(10);
    expect(s.ci95[1]).toBeLessThanOrEqual(100);
    expect(summarize(xs).ci95).toEqual(s.ci95);
  });

  it('handles one value and no values', () => {
    const one = summarize([7]);
    expect(one).toMatchObject({ n: 1, median: 7, mean: 7, stddev: 0, mad: 0, ci95: [7, 7], outliers: [] });
    expect(summarize([]).n).toBe(0);
  });
});

describe('modifiedZScores', () => {
  it('falls back to the mean absolute deviation when MAD is zero', () => {
    // median 5, MAD 0; mean |x - 5| = 10 / 5 = 2; z(15) = 10 / (1.253314 * 2)
    const z = modifiedZScores([5, 5, 5, 5, 15]);
    expect(z[4]).toBeCloseTo(10 / (1.253314 * 2), 6);
    expect(z[0]).toBe(0);
  });
  it('gives zeros for identical values', () => {
    expect(modifiedZScores([3, 3, 3])).toEqual([0, 0, 0]);
  });
});

describe('bootstrapCI', () => {
  it('narrows as the sample grows and covers the true median of a symmetric sample', () => {
    const small = Array.from({ length: 10 }, (_, i) => i);
    const large = Array.from({ length: 1000 }, (_, i) => i % 10);
    const [a, b] = bootstrapCI(small, (v) => v.slice().sort((x, y) => x - y)[v.length >> 1]);
    const [c, d] = bootstrapCI(large, (v) => v.slice().sort((x, y) => x - y)[v.length >> 1]);
    expect(b - a).toBeGreaterThan(d - c);
    expect(c).toBeLessThanOrEqual(5);
    expect(d).toBeGreaterThanOrEqual(4);
  });
});

describe('the median bootstrap by ranks', () => {
  const rand = seededRandom(3);
  const samples: [string, number[]][] = [
    ['two values', [5, 1]],
    ['odd, with ties', Array.from({ length: 31 }, (_, i) => (i * 7) % 5)],
    ['even, log-normal-ish', Array.from({ length: 400 }, () => Math.exp(3 * rand()))],
    ['all equal', [2, 2, 2, 2]],
    ['zeros and negatives', [0, -1, -0.5, 0, 3, 3, -1, 8]],
    ['a value it cannot rank', [1, 2, NaN, 4, 5]],
  ];
  it.each(samples)('gives the copy-and-select interval to the last digit: %s', (_, xs) => {
    for (const seed of [1, 42]) expect(bootstrapMedianCI(xs, { seed, resamples: 300 })).toEqual(bootstrapCI(xs, median, { seed, resamples: 300 }));
    const resample = medianResampler(xs);
    const [r1, r2] = [seededRandom(9), seededRandom(9)];
    for (let i = 0; i < 50; i++) expect(resample(r1)).toEqual(median(Array.from(xs, () => xs[Math.floor(r2() * xs.length)])));
  });
});

describe('ratioOfMedians', () => {
  it('is the ratio of the medians, inside its interval', () => {
    const r = ratioOfMedians([100, 110, 120, 130, 140], [10, 11, 12, 13, 14]);
    expect(r.ratio).toBeCloseTo(10, 10);
    expect(r.ci95[0]).toBeLessThanOrEqual(10);
    expect(r.ci95[1]).toBeGreaterThanOrEqual(10);
  });

  it('gives the same interval whether run at once or a resample at a time (as the result page does)', () => {
    const a = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 23));
    const b = Array.from({ length: 30 }, (_, i) => 10 + ((i * 17) % 7) / 3);
    // The figures ratioOfMedians gave before it could be run in steps: a page and the CLI agree with old reports.
    const before = { ratio: 10.090909090909092, ci95: [9.652173913043478, 10.640625] };
    expect(ratioOfMedians(a, b)).toEqual(before);
    const steps = ratioOfMediansSteps(a, b);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    expect(pauses).toBe(BOOTSTRAP_RESAMPLES);
    expect(step.value).toEqual(before);
  });
});

describe('spreadWarnings', () => {
  const words = (ns: Note[]) => ns.map((n) => n.text).join('\n');
  it('warns on a wide spread, a slow first run, outliers and a tiny sample, as codes with parameters', () => {
    const s = summarize([100, 10, 11, 12, 13, 12]);
    const w = spreadWarnings('x', s, 100);
    expect(w.map((n) => n.code)).toEqual(['wide-spread', 'cold-first', 'outliers']);
    expect(words(w)).toMatch(/spread is wide/);
    expect(words(w)).toMatch(/first timed iteration/);
    expect(words(w)).toMatch(/outlier/);
    expect(w[1].params).toMatchObject({ model: 'x', firstMs: 100, medianMs: 12 });
    const few = spreadWarnings('x', summarize([1, 1, 1]));
    expect(few[0]).toMatchObject({ code: 'few-iterations', params: { n: 3 } });
    expect(few[0].text).toMatch(/only 3/);
  });
  it('names no CLI flag in what it stores', () => {
    const w = [...spreadWarnings('x', summarize([100, 10, 11, 12, 13, 12]), 100), ...spreadWarnings('x', summarize([1, 1, 1]))];
    expect(words(w)).not.toMatch(/--/);
  });
  it('names a few outlier iterations and counts the rest, however many there are', () => {
    const xs = Array.from({ length: 400 }, (_, i) => (i % 9 === 0 ? 1000 + i : 10 + (i % 3)));
    const s = summarize(xs);
    expect(s.outliers.length).toBeGreaterThan(40);
    const [o] = spreadWarnings('x', s).filter((n) => n.code === 'outliers');
    expect(o.params).toEqual({ model: 'x', count: s.outliers.length, examples: s.outliers.slice(0, OUTLIER_EXAMPLES).join(', ') });
    expect(o.text).toContain(`${s.outliers.length} statistical outlier(s) (e.g. iteration 1, 10, 19)`);
    expect(o.text.length).toBeLessThan(200);
  });
  it('marks the baseline series', () => {
    const [n] = spreadWarnings('process', summarize([1, 1, 1]), undefined, true);
    expect(n.params).toMatchObject({ model: 'process', baseline: true });
    expect(n.text).toMatch(/^process \(baseline\): only 3/);
  });
  it('is quiet on a tight sample', () => {
    expect(spreadWarnings('x', summarize([10, 10.1, 10.2, 9.9, 10, 10.1]), 10)).toEqual([]);
  });
});
