import { describe, expect, it } from 'vitest';
import { BUDGET_PRESETS, BudgetError, parseBudget, planBudget, projectUncertainty, unitCostMs, type FigurePlanState } from '../../../shared/adaptive/planner';
import { seededRandom } from '../../../shared/random';

const fig = (id: string, o: Partial<FigurePlanState> = {}): FigurePlanState => ({ id, count: 6, minCount: 6, maxCount: 60, target: 0.05, unitCostMs: 100, ...o });

describe('budget planner', () => {
  it('gives pilots first, in the caller\'s order, and cuts the one that no longer fits', () => {
    const p = planBudget(2_000, [
      fig('process', { count: 0, unitCostMs: 5 }),
      fig('vm', { count: 0, unitCostMs: 300, setupMs: 400 }),
      fig('container', { count: 0, unitCostMs: 200 }),
    ]);
    // margin = 300 (one VM boot); spendable 1700: process 30, vm 400 + 1800 does not fit → 4 boots (1600).
    expect(p.marginMs).toBe(300);
    expect(p.order[0]).toEqual({ id: 'process', units: 6 });
    const vm = p.allocations.find((a) => a.id === 'vm')!;
    expect(vm).toMatchObject({ more: 4, cutByBudget: true, why: 'budget' });
    expect(p.allocations.find((a) => a.id === 'container')).toMatchObject({ more: 0, cutByBudget: true });
    expect(p.plannedMs).toBeLessThanOrEqual(p.spendableMs);
  });

  it('spends the rest where a batch removes the most excess uncertainty per ms, ties in the caller\'s order', () => {
    const p = planBudget(10_000, [fig('a', { uncertainty: 0.06 }), fig('b', { uncertainty: 0.2 }), fig('c', { uncertainty: 0.04 })]);
    const by = Object.fromEntries(p.allocations.map((x) => [x.id, x]));
    expect(by.c).toMatchObject({ more: 0, why: 'target-projected', cutByBudget: false });
    expect(p.order[0].id).toBe('b'); // same cost: the widest goes first
    expect(by.b.more).toBeGreaterThan(by.a.more);
    expect(by.a).toMatchObject({ why: 'precision', cutByBudget: false });
    const tie = planBudget(250, [fig('x', { uncertainty: 0.1 }), fig('y', { uncertainty: 0.1 })]);
    expect(tie.order[0].id).toBe('x');
  });

  it('lets a cheap figure reach its target before an expensive one that cannot, rather than starving it', () => {
    // A 5-ms process start at ±8% and a 500-ms container start at ±30%: largest-first would give the container
    // everything; per ms, the process reaches ±5% for 0.2 s and the container gets the rest.
    const p = planBudget(6_000, [fig('process', { uncertainty: 0.08, unitCostMs: 5 }), fig('container', { uncertainty: 0.3, unitCostMs: 500 })]);
    const [proc, cont] = p.allocations;
    expect(proc).toMatchObject({ why: 'precision', cutByBudget: false });
    expect(proc.projected!).toBeLessThanOrEqual(0.05);
    expect(cont).toMatchObject({ why: 'budget', cutByBudget: true });
    expect(cont.more).toBe(Math.floor((6_000 - 500 - proc.plannedMs) / 500));
  });

  it('plans whole batches up to the rule\'s next look, and hands what is left out as a partial batch', () => {
    const looks = [6, 9, 14, 21, 32, 48, 60];
    const p = planBudget(1e6, [fig('near', { uncertainty: 0.055, looks })]);
    expect(p.allocations[0]).toMatchObject({ more: 3, why: 'precision' }); // 6 → 9, where ±5.5%·√(6/9) = ±4.5%
    const tight = planBudget(500, [fig('wide', { uncertainty: 0.2, count: 14, looks })]);
    // The batch to 21 (7 × 100 ms) does not fit in 500 − 100: 4 units, cut by the budget.
    expect(tight.allocations[0]).toMatchObject({ more: 4, why: 'budget', cutByBudget: true });
    expect(tight.plannedMs).toBe(400);
  });

  it('stops a figure at its projected target and at its maximum', () => {
    const p = planBudget(1e9, [fig('near', { uncertainty: 0.055, count: 14 }), fig('wide', { uncertainty: 0.3, count: 14, maxCount: 60 })]);
    const near = p.allocations[0];
    expect(near.why).toBe('precision');
    expect(near.projected!).toBeLessThanOrEqual(0.05);
    expect(projectUncertainty(0.055, 14, near.more - 1)).toBeGreaterThan(0.05); // not one unit more than needed
    expect(p.allocations[1]).toMatchObject({ more: 46, why: 'max-count', cutByBudget: false });
  });

  it('gives nothing to a figure its rule stopped, and leaves unknown figures at their pilot', () => {
    const p = planBudget(1e6, [fig('stopped', { done: true, uncertainty: 0.2 }), fig('new', { count: 2, uncertainty: undefined })]);
    expect(p.allocations[0]).toMatchObject({ more: 0, why: 'done' });
    expect(p.allocations[1]).toMatchObject({ more: 4, why: 'pilot', cutByBudget: false });
  });

  it('never plans past the budget less one unit of the costliest figure it gives time to (seeded random cases)', () => {
    const rand = seededRandom(99);
    for (let k = 0; k < 300; k++) {
      const figures = Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, i) =>
        fig(`f${i}`, {
          count: Math.floor(rand() * 10),
          unitCostMs: 1 + rand() * 3000,
          setupMs: rand() * 5000,
          uncertainty: rand() < 0.2 ? undefined : rand() * 0.5,
          done: rand() < 0.1,
        }),
      );
      const budget = rand() * 60_000;
      const p = planBudget(budget, figures);
      const margin = Math.max(0, ...p.allocations.filter((a) => a.more > 0).map((a) => figures.find((f) => f.id === a.id)!.unitCostMs));
      expect(p.marginMs).toBeGreaterThanOrEqual(margin);
      expect(p.plannedMs).toBeLessThanOrEqual(Math.max(0, budget - p.marginMs) + 1e-6);
      for (const a of p.allocations) {
        const f = figures.find((x) => x.id === a.id)!;
        expect(f.count + a.more).toBeLessThanOrEqual(f.maxCount);
      }
      expect(planBudget(budget, figures)).toEqual(p); // deterministic
    }
  });

  it('holds back no margin for a costly figure that gets no time (a footprint round longer than the budget left)', () => {
    const p = planBudget(30_000, [fig('process', { count: 0, unitCostMs: 10 }), fig('container', { count: 0, unitCostMs: 500 }), fig('footprint', { count: 0, minCount: 2, maxCount: 6, unitCostMs: 25_000, setupMs: 27_000, target: 1 })]);
    expect(p.marginMs).toBe(500);
    expect(p.allocations.find((a) => a.id === 'footprint')).toMatchObject({ more: 0, cutByBudget: true });
    expect(p.allocations.find((a) => a.id === 'container')!.more).toBe(6); // its whole pilot: nothing held back for the footprint
  });

  it('refuses two figures with one id', () => {
    expect(() => planBudget(1000, [fig('a'), fig('a')])).toThrow(/twice/);
  });

  it('estimates a unit\'s cost by the upper quartile of what was timed', () => {
    expect(unitCostMs([])).toBeUndefined();
    expect(unitCostMs([250])).toBe(250);
    // Above the median, so a slow minority raises it; below the maximum, so one stall does not dominate.
    const c = unitCostMs([100, 100, 100, 500])!;
    expect(c).toBeGreaterThan(100);
    expect(c).toBeLessThan(500);
    expect(unitCostMs([100, 110, 120, 130, 140, 150, 160, 170, NaN, -1])).toBe(unitCostMs([100, 110, 120, 130, 140, 150, 160, 170]));
  });
});

describe('budget as written', () => {
  it('reads durations and presets', () => {
    expect(parseBudget('60s')).toEqual({ ms: 60_000 });
    expect(parseBudget('90')).toEqual({ ms: 90_000 });
    expect(parseBudget('1m30s')).toEqual({ ms: 90_000 });
    expect(parseBudget('1.5m')).toEqual({ ms: 90_000 });
    expect(parseBudget(' 2m ')).toEqual({ ms: 120_000 });
    expect(parseBudget('7500ms')).toEqual({ ms: 7_500 });
    expect(parseBudget('demo')).toEqual({ ms: BUDGET_PRESETS.demo, preset: 'demo' });
    expect(parseBudget('DEMO').ms).toBe(30_000);
    expect(parseBudget('standard').ms).toBe(90_000);
  });

  it('refuses what is not a duration, too short or too long, saying what is accepted', () => {
    for (const bad of ['', 'soon', '60x', '1m 30', '-5s', 's60', 'demo2']) expect(() => parseBudget(bad), bad).toThrow(BudgetError);
    expect(() => parseBudget('2s')).toThrow(/too short.*demo preset is 30s/);
    expect(() => parseBudget('25h')).toThrow(/over 24h/);
    expect(() => parseBudget('soon')).toThrow(/60s, 90, 1m30s/);
  });
});
