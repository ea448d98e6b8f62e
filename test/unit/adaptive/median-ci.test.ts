import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { medianCiRanks, medianInterval, minCountForLevel } from '../../../shared/adaptive/median-ci';
import { seededRandom } from '../../../shared/random';
import { sampler } from '../../../shared/sim/distributions';
import { bootstrapCI } from '../../../shared/stats';

/** P(B ≤ k), B ~ Binomial(n, ½), exactly, with BigInt: an independent check of jstat's CDF. */
function exactTail(k: number, n: number): number {
  let c = 1n;
  let sum = 0n;
  for (let i = 0; i <= k; i++) {
    sum += c;
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  return Number(sum) / 2 ** n;
}

describe('order-statistic interval of a median', () => {
  it('picks the ranks the exact binomial gives (checked against scipy: n=10 → x(2)..x(9), 97.85%; n=20 → x(6)..x(15), 95.86%)', () => {
    expect(medianCiRanks(5)).toBeUndefined();
    expect(medianCiRanks(6)).toEqual({ lower: 1, upper: 6, confidence: 0.96875 });
    expect(medianCiRanks(10)).toMatchObject({ lower: 2, upper: 9 });
    expect(medianCiRanks(10)!.confidence).toBeCloseTo(0.978515625, 9);
    expect(medianCiRanks(20)).toMatchObject({ lower: 6, upper: 15 });
    expect(medianCiRanks(20)!.confidence).toBeCloseTo(0.9586105347, 9);
    expect(medianCiRanks(60)).toMatchObject({ lower: 22, upper: 39 });
    for (let n = 6; n <= 200; n++) {
      const r = medianCiRanks(n)!;
      // Reaches 95% with this rank, and the next rank in would not.
      expect(1 - 2 * exactTail(r.lower - 1, n)).toBeGreaterThanOrEqual(0.95);
      if (r.lower < n / 2) expect(1 - 2 * exactTail(r.lower, n)).toBeLessThan(0.95);
      expect(r.upper).toBe(n - r.lower + 1);
    }
  });

  it('needs 6 samples at 95% and 8 at 99%', () => {
    expect(minCountForLevel(0.95)).toBe(6);
    expect(minCountForLevel(0.99)).toBe(8);
    expect(() => medianCiRanks(10, 1.2)).toThrow(RangeError);
  });

  it('gives the median, the bounds and the wider side relative to the median', () => {
    const xs = [105, 98, 101, 100, 97, 99, 130]; // n = 7: x(1)..x(7)
    const i = medianInterval(xs);
    expect(i).toMatchObject({ n: 7, median: 100, lo: 97, hi: 130 });
    expect(i.relativeHalfWidth).toBeCloseTo(0.3, 12); // the high side (30) is the wider
    const short = medianInterval([1, 2, 3]);
    expect(short.median).toBe(2);
    expect(short.lo).toBeUndefined();
    expect(short.relativeHalfWidth).toBeUndefined();
    expect(medianInterval([]).n).toBe(0);
  });

  it('is deterministic where the bootstrap depends on its seed, and holds the median more often at small n', () => {
    // Why the stop decision uses the order-statistic interval (see median-ci.ts): on 9 lognormal samples the
    // bootstrap percentile interval of the median moves with its seed and covers the true median less often.
    const draw = sampler({ dist: 'lognormal', medianMs: 1000, sigma: 0.3 }, seededRandom(5));
    const reps = 400;
    let osCovered = 0;
    let bootCovered = 0;
    let seedSensitive = 0;
    for (let r = 0; r < reps; r++) {
      const xs = Array.from({ length: 9 }, draw);
      const os = medianInterval(xs);
      expect(medianInterval(xs)).toEqual(os);
      if (os.lo! <= 1 && 1 <= os.hi!) osCovered++;
      const [blo, bhi] = bootstrapCI(xs, median, { seed: r, resamples: 1000 });
      if (blo <= 1 && 1 <= bhi) bootCovered++;
      const [blo2, bhi2] = bootstrapCI(xs, median, { seed: r + 10_000, resamples: 1000 });
      if (blo2 !== blo || bhi2 !== bhi) seedSensitive++;
    }
    expect(osCovered / reps).toBeGreaterThanOrEqual(0.94);
    expect(bootCovered).toBeLessThan(osCovered);
    expect(seedSensitive).toBeGreaterThan(0);
  });
});
