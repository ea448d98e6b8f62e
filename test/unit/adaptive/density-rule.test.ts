import { describe, expect, it } from 'vitest';
import { decideDensity, densityFigure, fitSlope, type Point } from '../../../shared/adaptive/density-rule';
import { AdaptiveFigure } from '../../../shared/adaptive/schema';

const xs = [1, 2, 4, 8, 16, 1, 2, 4, 8, 16];
const ys = [310, 322, 335, 371, 440, 305, 330, 341, 362, 452];
const latency: Point[] = xs.map((x, i) => ({ x, y: ys[i] }));

describe('density slope', () => {
  it('fits the slope and its t interval as scipy does', () => {
    // scipy.stats.linregress + t.ppf(0.975, 8): slope 8.862231, interval 7.955184 … 9.769278.
    const f = fitSlope(latency, 0.05);
    expect(f.slope).toBeCloseTo(8.862231182795696, 9);
    expect(f.intercept).toBeCloseTo(301.8541666666667, 9);
    expect(f.lo).toBeCloseTo(7.955184094572647, 6);
    expect(f.hi).toBeCloseTo(9.769278271018747, 6);
    expect(f.relativeHalfWidth).toBeCloseTo((9.769278271018747 - 8.862231182795696) / 8.862231182795696, 6);
    expect(f.known).toBe(false); // ±10% is not ±5%
    expect(fitSlope(latency, 0.15).known).toBe(true);
  });

  it('has nothing to say with fewer than 3 distinct counts', () => {
    expect(fitSlope([{ x: 1, y: 1 }, { x: 2, y: 2 }]).known).toBe(false);
    const two = fitSlope([{ x: 1, y: 1 }, { x: 1, y: 2 }, { x: 2, y: 3 }, { x: 2, y: 4 }]);
    expect(two.slope).toBeCloseTo(2, 12);
    expect(two.lo).toBeUndefined();
  });

  it('calls a flat curve known (negligible) rather than chasing a relative precision it cannot have', () => {
    const flat: Point[] = [1, 2, 4, 8, 16].flatMap((x, i) => [{ x, y: 300 + (i % 2 ? 1 : -1) }, { x, y: 300 }]);
    const f = fitSlope(flat, 0.05);
    expect(Math.abs(f.slope)).toBeLessThan(0.2);
    expect(f.relativeHalfWidth! > 0.05).toBe(true);
    expect(f).toMatchObject({ negligible: true, known: true });
  });

  it('stops density when both slopes are known, or at maxSteps', () => {
    const exactMem: Point[] = [1, 2, 4, 8].map((x) => ({ x, y: 4e6 * x + 1e5 * (x % 3) }));
    const tightLat: Point[] = [1, 2, 4, 8].flatMap((x) => [{ x, y: 300 + 9 * x }, { x, y: 300.5 + 9 * x }]);
    expect(decideDensity({ latency: tightLat, memory: exactMem }, 4)).toMatchObject({ stop: true, reason: 'precision-reached' });
    expect(decideDensity({ latency, memory: exactMem }, 4).stop).toBe(false);
    expect(decideDensity({ latency, memory: exactMem }, 6)).toMatchObject({ stop: true, reason: 'max-count' });
    expect(decideDensity({ latency: tightLat, memory: exactMem.slice(0, 2) }, 2).stop).toBe(false);
    const fig = densityFigure({ latency, memory: exactMem }, 4, {}, { endedBy: 'budget' });
    expect(fig).toMatchObject({ figure: 'density', count: 4, stopReason: 'budget', cutByBudget: true });
    expect(fig.precision.method === 'ols-slope' && fig.precision.slopes.map((s) => s.of)).toEqual(['latency', 'memory']);
    expect(() => AdaptiveFigure.parse(JSON.parse(JSON.stringify(fig)))).not.toThrow();
  });
});
