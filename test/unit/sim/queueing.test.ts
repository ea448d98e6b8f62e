import { describe, expect, it } from 'vitest';
import { erlangB, erlangC, md1MeanWait, mmcMeanWait, mmcWaitQuantile, rateCurve, simulateBurst, type BurstParams } from '../../../shared/sim';

type Result = ReturnType<typeof simulateBurst>;

/** Independent replications on distinct seeds; `stat` gives the mean and standard error of a statistic across them. */
function replicate(n: number, base: Omit<BurstParams, 'seed'>) {
  const runs = Array.from({ length: n }, (_, i) => simulateBurst({ ...base, seed: 1000 + i }));
  return (pick: (r: Result) => number) => {
    const xs = runs.map(pick);
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    return { mean, se: sd / Math.sqrt(n) };
  };
}

const fixed = (lambda: number, c: number, service: BurstParams['service'], timeoutS = Infinity): Omit<BurstParams, 'seed'> => ({
  durationS: 20_000,
  sampleS: 1000,
  warmupS: 500,
  curve: rateCurve({ kind: 'steady', rate: lambda }, 20_000),
  service,
  concurrency: 1,
  timeoutS,
  policy: { kind: 'fixed', instances: c },
  startup: { dist: 'deterministic', valueMs: 0 },
  pricePerInstanceHour: 0,
});

describe('closed forms', () => {
  it('match hand-computed Erlang values', () => {
    // B(4, 3): 0.75, 0.5294, 0.3462, 0.2061; C = 4B / (4 - 3(1 - B)) = 0.5094.
    expect(erlangB(4, 3)).toBeCloseTo(0.20611, 4);
    expect(erlangC(4, 3)).toBeCloseTo(0.50943, 4);
    expect(mmcMeanWait(3, 1, 4)).toBeCloseTo(0.50943, 4);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 12); // M/M/1: P(wait) = rho
    expect(md1MeanWait(0.8, 1)).toBeCloseTo(2, 12); // 0.8 / (2 x 0.2)
  });
});

describe('the simulation against the closed forms (8 replications, within 4 standard errors)', () => {
  it('M/M/4 at 75% load: Erlang C waiting probability and mean wait', () => {
    const lambda = 3;
    const base = fixed(lambda, 4, { dist: 'exponential', meanMs: 1000 });
    const stat = replicate(8, base);
    const pWait = stat((r) => r.wait.probWait);
    const meanWait = stat((r) => r.wait.meanS);
    const p95 = stat((r) => r.wait.p95S);
    expect(Math.abs(pWait.mean - erlangC(4, 3))).toBeLessThan(4 * pWait.se + 1e-3);
    expect(Math.abs(meanWait.mean - mmcMeanWait(lambda, 1, 4))).toBeLessThan(4 * meanWait.se + 1e-3);
    // The histogram's buckets are 1% wide.
    expect(Math.abs(p95.mean - mmcWaitQuantile(lambda, 1, 4, 0.95))).toBeLessThan(4 * p95.se + 0.01 * p95.mean);
    // And the errors are small in absolute terms, so the test has teeth.
    expect(pWait.se).toBeLessThan(0.01);
    expect(meanWait.se).toBeLessThan(0.02);
  });

  it('M/M/5/5 (timeout 0): the drop rate is Erlang B', () => {
    const base = fixed(4, 5, { dist: 'exponential', meanMs: 1000 }, 0);
    const drop = replicate(8, base)((r) => r.measured.dropRate);
    expect(Math.abs(drop.mean - erlangB(5, 4))).toBeLessThan(4 * drop.se + 1e-3);
  });

  it('M/D/1 at 80% load: the Pollaczek-Khinchine mean wait', () => {
    const base = fixed(0.8, 1, { dist: 'deterministic', valueMs: 1000 });
    const w = replicate(8, base)((r) => r.wait.meanS);
    expect(Math.abs(w.mean - md1MeanWait(0.8, 1))).toBeLessThan(4 * w.se + 1e-3);
  });
});
