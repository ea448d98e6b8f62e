import { describe, expect, it } from 'vitest';
import { decideFootprintRounds, footprintFigure, maxMedianMove, noisePerInstanceBytes, noiseRmsBytes, type MemoryNoise } from '../../../shared/adaptive/footprint-rule';
import { AdaptiveFigure } from '../../../shared/adaptive/schema';

const MiB = 2 ** 20;
/** An idle machine whose MemAvailable brackets move by ±2 MiB: 0.2 MiB per instance over 10 instances. */
const noise: MemoryNoise = { idleBracketsBytes: [2 * MiB, -2 * MiB, 2 * MiB, -2 * MiB], windowMs: 4500 };

describe('footprint rounds', () => {
  it('bounds how far one more value can move a median, whatever it is', () => {
    expect(maxMedianMove([5])).toBe(Infinity);
    expect(maxMedianMove([10, 14])).toBe(2);
    expect(maxMedianMove([10, 11, 20])).toBe(4.5); // odd: half the wider gap beside the middle
    expect(maxMedianMove([1, 10, 12, 40])).toBe(1); // even: half the middle gap
    // Brute force: no added value moves the median further than the bound.
    const xs = [3, 8, 9, 15, 30];
    const med = (v: number[]) => {
      const s = [...v].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    let worst = 0;
    for (let v = -50; v <= 80; v += 0.5) worst = Math.max(worst, Math.abs(med([...xs, v]) - med(xs)));
    expect(worst).toBeCloseTo(maxMedianMove(xs), 12);
  });

  it('takes the noise as the RMS of measured idle brackets per instance, never below MemAvailable\'s 1 KiB', () => {
    expect(noiseRmsBytes(noise)).toBe(2 * MiB);
    expect(noisePerInstanceBytes(noise, 10)).toBeCloseTo(0.2 * MiB, 6);
    expect(noiseRmsBytes({ idleBracketsBytes: [MiB], windowMs: 1 })).toBeUndefined(); // one window: no spread
    expect(noisePerInstanceBytes({ idleBracketsBytes: [0, 0, 0], windowMs: 1 }, 4)).toBe(256);
  });

  it('stops when a second round agrees with the first within the noise', () => {
    expect(decideFootprintRounds([3.0 * MiB], 10, noise)).toMatchObject({ stop: false });
    const agree = decideFootprintRounds([3.0 * MiB, 3.3 * MiB], 10, noise); // moves ≤ 0.15 MiB ≤ 0.2 MiB
    expect(agree).toMatchObject({ stop: true, reason: 'precision-reached' });
    expect(agree.precision).toMatchObject({ method: 'median-max-move', estimate: 3.15 * MiB, belowNoise: false });
    expect(decideFootprintRounds([3.0 * MiB, 4.0 * MiB], 10, noise).stop).toBe(false);
    expect(decideFootprintRounds([3.0 * MiB, 4.0 * MiB, 3.2 * MiB], 10, noise).stop).toBe(false); // gap 0.8 MiB beside 3.2
    expect(decideFootprintRounds([3.0 * MiB, 4.0 * MiB, 3.2 * MiB, 3.3 * MiB], 10, noise)).toMatchObject({ stop: true, reason: 'precision-reached' });
  });

  it('stops at maxRounds, and without a noise measurement runs the fixed rounds', () => {
    const wild = [1, 9, 2, 8, 3, 7].map((x) => x * MiB);
    expect(decideFootprintRounds(wild, 10, noise)).toMatchObject({ stop: true, reason: 'max-count' });
    expect(decideFootprintRounds(wild.slice(0, 2), 10, undefined)).toMatchObject({ stop: false });
    expect(decideFootprintRounds(wild.slice(0, 3), 10, undefined)).toMatchObject({ stop: true, reason: 'fixed-count' });
    expect(decideFootprintRounds(wild.slice(0, 3), 10, undefined).precision.noiseBytes).toBeUndefined();
  });

  it('flags a figure no larger than the noise', () => {
    const v = decideFootprintRounds([0.1 * MiB, 0.15 * MiB], 10, noise);
    expect(v.precision.belowNoise).toBe(true);
  });

  it('records the figure in the schema\'s shape', () => {
    const f = footprintFigure([3.0 * MiB, 4.0 * MiB], 10, noise, {}, { endedBy: 'budget', unitCostMs: 9000 });
    expect(f).toMatchObject({ figure: 'footprint', count: 2, minCount: 2, maxCount: 6, stopReason: 'budget', cutByBudget: true });
    const fixed = footprintFigure([3.0 * MiB, 4.0 * MiB, 3.5 * MiB], 10, undefined);
    expect(fixed).toMatchObject({ stopReason: 'fixed-count', minCount: 3, maxCount: 3, cutByBudget: false });
    for (const x of [f, fixed]) expect(() => AdaptiveFigure.parse(JSON.parse(JSON.stringify(x)))).not.toThrow();
  });
});
