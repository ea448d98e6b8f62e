import { kernelDensityEstimation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/random';
import { bandwidth, bandwidthSorted, densityCurve } from './density';

const rand = seededRandom(3);
const normal = (mu: number, sd: number) => mu + sd * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

const asc = (v: number[]) => Float64Array.from(v).sort();

describe('densityCurve', () => {
  const values = Array.from({ length: 5000 }, () => normal(50, 5));
  const sorted = asc(values);

  it("reads the bandwidth off sorted values as simple-statistics computes it on unsorted ones", () => {
    for (const v of [values, values.slice(1), values.slice(0, 7), [3, 1, 2, 2], [5, 5, 5, 9], [1, 2]]) {
      expect(bandwidthSorted(asc(v)) / bandwidth(v)).toBeCloseTo(1, 12);
    }
  });

  it('spans the samples, no further, with its peak scaled to 1', () => {
    const c = densityCurve(sorted, false, 0.01, 128);
    expect(c.x).toHaveLength(128);
    expect(c.x[0]).toBeCloseTo(Math.min(...values), 9);
    expect(c.x[127]).toBeCloseTo(Math.max(...values), 9);
    expect(Math.max(...c.y)).toBe(1);
    // The peak sits at the mode, 50.
    expect(c.x[c.y.indexOf(1)]).toBeGreaterThan(48);
    expect(c.x[c.y.indexOf(1)]).toBeLessThan(52);
  });

  it('agrees with the unbinned estimate (simple-statistics) to within a few percent of the peak', () => {
    const c = densityCurve(sorted, false, 0.01, 256);
    const exact = kernelDensityEstimation(values, 'gaussian', bandwidth(values));
    const ref = c.x.map((x) => exact(x));
    const peak = Math.max(...ref);
    const worst = Math.max(...c.x.map((_, i) => Math.abs(c.y[i] - ref[i] / peak)));
    expect(worst).toBeLessThan(0.03);
  });

  it('estimates on the log scale when the axis is log: two modes a decade apart are two equal humps', () => {
    const two = [...Array.from({ length: 2000 }, () => 10 ** normal(0, 0.05)), ...Array.from({ length: 2000 }, () => 10 ** normal(1, 0.05))];
    const c = densityCurve(asc(two), true, 0.01, 128);
    const left = Math.max(...c.y.filter((_, i) => c.x[i] < 3));
    const right = Math.max(...c.y.filter((_, i) => c.x[i] > 3));
    expect(Math.min(left, right)).toBeGreaterThan(0.8);
    // Between the humps (around √10 ms on the log axis) almost nothing.
    expect(c.y[c.x.findIndex((x) => x > Math.sqrt(10))]).toBeLessThan(0.05);
  });

  it('pins values a log axis cannot draw at its floor, and draws identical samples as a single line', () => {
    const c = densityCurve([0, 0, 1, 2, 3], true, 0.1, 32);
    expect(c.x[0]).toBeCloseTo(0.1, 9);
    expect(densityCurve([4, 4, 4], false, 0.1)).toEqual({ x: [4], y: [1] });
  });
});
