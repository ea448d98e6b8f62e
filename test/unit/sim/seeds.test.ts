import { describe, expect, it } from 'vitest';
import { offsetSeed, SeedError, seedBits, seededRandom } from '../../../shared/random';
import { Arrivals, BurstScenario, rateCurve, SPIKE_BURST, STREAM } from '../../../shared/sim';

/**
 * The seeds: every seed's first draws are uniform (the generator's state is mixed from the seed), and every
 * seed is its own (nothing wraps to 32 bits). Seeds are fixed, so these statistical checks are deterministic.
 */
const SEEDS = Array.from({ length: 2000 }, (_, i) => i + 1);
/** Kolmogorov-Smirnov statistic of xs against the continuous CDF F. */
function ks(xs: number[], F: (x: number) => number): number {
  const s = [...xs].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = F(x);
    d = Math.max(d, Math.abs((i + 1) / s.length - f), Math.abs(f - i / s.length));
  });
  return d;
}
// The KS critical value at the 0.1% level: a uniform sample exceeds it once in a thousand seeds sets.
const KS_CRIT = 1.949 / Math.sqrt(SEEDS.length);

describe('seeded streams', () => {
  it('give uniform first draws for consecutive seeds, on every stream of the simulator', () => {
    for (const stream of Object.values(STREAM)) {
      const first = SEEDS.map((s) => seededRandom(s, stream)());
      expect(ks(first, (x) => x), `stream ${stream}`).toBeLessThan(KS_CRIT);
      // Neighbouring seeds do not move together: correlation of seed s's first draw with seed s+1's.
      const a = first.slice(0, -1);
      const b = first.slice(1);
      const m = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
      const [ma, mb] = [m(a), m(b)];
      const cov = m(a.map((x, i) => (x - ma) * (b[i] - mb)));
      const r = cov / Math.sqrt(m(a.map((x) => (x - ma) ** 2)) * m(b.map((x) => (x - mb) ** 2)));
      expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(a.length));
    }
  });

  it("make the first inter-arrival exponential: over 2000 seeds it is Exp(1) in units of the mean gap", () => {
    // Before the seed was mixed, seed 1 at 1 request/s first arrived at 24.5 s, and every seed after 10 gaps or more.
    const curve = rateCurve({ kind: 'steady', rate: 1 }, 1000);
    const gaps = SEEDS.map((s) => new Arrivals(curve, seededRandom(s, STREAM.arrivals)).next(0));
    expect(ks(gaps, (x) => 1 - Math.exp(-x))).toBeLessThan(KS_CRIT);
    expect(gaps[0]).toBeLessThan(10);
    // Chi-square on five equal-probability bins of Exp(1): 4 degrees of freedom, 18.47 at the 0.1% level.
    const edges = [0.2, 0.4, 0.6, 0.8].map((p) => -Math.log(1 - p));
    const counts = [0, 0, 0, 0, 0];
    for (const g of gaps) counts[edges.filter((e) => g >= e).length]++;
    const expected = gaps.length / 5;
    expect(counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0)).toBeLessThan(18.47);
  });
});

describe('seed range', () => {
  it('keeps all 64 bits: 4294967297 is not seed 1, 2^53 - 1 is not 2^53 - 2', () => {
    expect(seededRandom(4294967297)()).not.toBe(seededRandom(1)());
    expect(seededRandom(2 ** 32)()).not.toBe(seededRandom(0)());
    expect(seededRandom(Number.MAX_SAFE_INTEGER)()).not.toBe(seededRandom(Number.MAX_SAFE_INTEGER - 1)());
    expect(seededRandom('18446744073709551615')()).not.toBe(seededRandom('18446744073709551614')());
    // A number and its decimal string are the same seed.
    expect(seededRandom('4294967297')()).toBe(seededRandom(4294967297)());
    expect(seedBits('18446744073709551615')).toBe(2n ** 64n - 1n);
  });

  it('refuses what it cannot keep exactly, saying what it takes', () => {
    expect(() => seedBits(1.5)).toThrow(/not a whole number/);
    expect(() => seedBits(-1)).toThrow(/negative/);
    expect(() => seedBits(2 ** 60)).toThrow(/beyond 2\^53 − 1.*quoted string/);
    expect(() => seedBits('18446744073709551616')).toThrow(/above 2\^64 − 1/);
    expect(() => seedBits('0x10')).toThrow(SeedError);
    expect(offsetSeed(Number.MAX_SAFE_INTEGER, 1)).toBe('9007199254740992');
    expect(() => offsetSeed('18446744073709551615', 1)).toThrow(/above 2\^64 − 1/);
  });

  it('are checked where scenarios are read', () => {
    const parse = (seed: unknown, replications = 1) => BurstScenario.safeParse({ ...SPIKE_BURST, seed, replications });
    expect(parse(4294967297).success).toBe(true);
    expect(parse('18446744073709551615').success).toBe(true);
    // Replications run on seed, seed + 1, ...: the last must still be a seed.
    expect(parse('18446744073709551610', 6).success).toBe(true);
    expect(parse('18446744073709551610', 7).error?.issues[0].message).toMatch(/last replication's seed/);
    const bad = parse(2 ** 64);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['seed'], message: expect.stringMatching(/quoted string/) });
    expect(parse(0.5).success).toBe(false);
  });
});
