import { describe, expect, it } from 'vitest';
import { AdaptiveFigure } from '../../../shared/adaptive/schema';
import { decideMedian, lookSchedule, medianRuleOptions, nextLookAt, RuleOptionsError, startupFigure } from '../../../shared/adaptive/startup-rule';

/** n values spread evenly ±spread around 100 (deterministic, no randomness needed). */
const around = (n: number, spread: number) => Array.from({ length: n }, (_, i) => 100 + spread * (2 * (i / Math.max(1, n - 1)) - 1));

describe('startup stopping rule', () => {
  it('looks on a geometric schedule from the first n with a 95% interval', () => {
    expect(lookSchedule()).toEqual([6, 9, 14, 21, 32, 48, 60]);
    expect(lookSchedule({ minCount: 10, maxCount: 30 })).toEqual([10, 15, 23, 30]);
    expect(lookSchedule({ lookGrowth: 1, maxCount: 9 })).toEqual([6, 7, 8, 9]);
    expect(lookSchedule({ minCount: 3, maxCount: 4 })).toEqual([4]);
    expect(nextLookAt(7)).toBe(9);
    expect(nextLookAt(9)).toBe(9);
  });

  it('stops on precision at a look, not between looks', () => {
    const tight = around(7, 1); // ±1%: narrow enough, but 7 is not a look
    const v7 = decideMedian(tight);
    expect(v7.stop).toBe(false);
    if (!v7.stop) expect(v7.nextLookAt).toBe(9);
    const v9 = decideMedian(around(9, 1));
    expect(v9).toMatchObject({ stop: true, reason: 'precision-reached' });
    expect(v9.interval.relativeHalfWidth).toBeLessThanOrEqual(0.05);
  });

  it('does not stop before the minimum, nor with a wide interval, and stops at maxCount', () => {
    expect(decideMedian(around(5, 0.1)).stop).toBe(false); // 5 < 6: no 95% interval exists
    const wide = decideMedian(around(6, 30));
    expect(wide.stop).toBe(false);
    const atMax = decideMedian(around(60, 30));
    expect(atMax).toMatchObject({ stop: true, reason: 'max-count' });
    expect(decideMedian(around(75, 30))).toMatchObject({ stop: true, reason: 'max-count' }); // a batch overran
  });

  it('refuses options that make no sense, naming the field', () => {
    expect(() => medianRuleOptions({ target: 0 })).toThrow(/target/);
    expect(() => medianRuleOptions({ minCount: 10, maxCount: 5 })).toThrow(RuleOptionsError);
    expect(() => medianRuleOptions({ lookGrowth: 0.5 })).toThrow(/lookGrowth/);
    expect(() => medianRuleOptions({ minCount: 2.5 })).toThrow(/minCount/);
  });

  it('records the figure: the rule\'s reason wins, else the caller\'s; cut by budget only short of the target', () => {
    const done = startupFigure(around(9, 1), {}, { endedBy: 'budget', warmup: 2, plannedCount: 14, unitCostMs: 310, spentMs: 3100 });
    expect(done).toMatchObject({ figure: 'startup', count: 9, warmup: 2, stopReason: 'precision-reached', cutByBudget: false, plannedCount: 14 });
    const cut = startupFigure(around(11, 20), {}, { endedBy: 'budget' });
    expect(cut).toMatchObject({ stopReason: 'budget', cutByBudget: true });
    expect(cut.precision).toMatchObject({ method: 'order-statistic', level: 0.95 });
    const cancelled = startupFigure(around(3, 1), {}, { endedBy: 'cancelled' });
    expect(cancelled).toMatchObject({ stopReason: 'cancelled', cutByBudget: false });
    expect(cancelled.precision).not.toHaveProperty('lo', expect.anything());
    for (const f of [done, cut, cancelled]) expect(AdaptiveFigure.parse(JSON.parse(JSON.stringify(f)))).toEqual(JSON.parse(JSON.stringify(f)));
  });
});
