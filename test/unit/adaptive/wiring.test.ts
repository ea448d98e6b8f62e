import { describe, expect, it } from 'vitest';
import { BudgetError } from '../../../shared/adaptive/planner';
import { groupRuntimes, identitiesFromEngine } from '../../../shared/adaptive/runtime-groups';
import { chooseBudget, figurePriors, fixedCountsOf, groupModels, recordStartup, startupRuleFor } from '../../../shared/adaptive/wiring';
import type { Comparison } from '../../../shared/compare';
import { Plan } from '../../../shared/plan';

const docker2010 = { crun: { path: '/usr/bin/crun' }, 'io.containerd.runc.v2': { path: 'runc' }, 'io.containerd.runtime.v1.linux': { path: 'runc' }, runc: { path: 'runc' } };

describe('adaptive wiring: what the compare loop decides before measuring', () => {
  it('reads which counts the plan fixed from the plan as written, not from its defaults', () => {
    expect(fixedCountsOf(undefined)).toEqual({ startup: false, footprint: false });
    expect(fixedCountsOf({ startup: { warmup: 1 }, footprint: { instances: 3 } })).toEqual({ startup: false, footprint: false });
    expect(fixedCountsOf({ startup: { iterations: 20 } })).toEqual({ startup: true, footprint: false });
    expect(fixedCountsOf({ footprint: { rounds: 1 } })).toEqual({ startup: false, footprint: true });
    expect(fixedCountsOf({ footprint: false })).toEqual({ startup: false, footprint: false });
  });

  it('takes the standard 90 s by default, keeps a plan\'s own count with no limit, and parses what the user asked', () => {
    const adaptive = { startup: false, footprint: false };
    expect(chooseBudget(undefined, adaptive)).toEqual({ ms: 90_000, preset: 'standard' });
    expect(chooseBudget(undefined, { startup: true, footprint: false })).toBeUndefined();
    expect(chooseBudget('demo', adaptive)).toEqual({ ms: 30_000, preset: 'demo' });
    expect(chooseBudget('60s', { startup: true, footprint: true })).toEqual({ ms: 60_000 });
    expect(chooseBudget(' None ', adaptive)).toBeUndefined();
    expect(() => chooseBudget('soon', adaptive)).toThrow(BudgetError);
  });

  it('uses the default rule when adaptive and exactly the plan\'s count when fixed', () => {
    const plan = Plan.parse({ startup: { iterations: 3, warmup: 1 } });
    expect(startupRuleFor(plan, { startup: true, footprint: false })).toMatchObject({ minCount: 3, maxCount: 3, warmup: 1 });
    expect(startupRuleFor(plan, { startup: false, footprint: false })).toMatchObject({ minCount: 5, maxCount: 60, target: 0.05, warmup: 1 });
  });

  it('records a fixed count as fixed-count, even when its interval reached the target; a budget cut stays a budget cut', () => {
    const tight = Array.from({ length: 10 }, (_, i) => 100 + i * 0.1);
    const rule = { ...startupRuleFor(Plan.parse({ startup: { iterations: 10 } }), { startup: true, footprint: false }) };
    expect(recordStartup(tight, rule, true, {})).toMatchObject({ stopReason: 'fixed-count', cutByBudget: false, count: 10 });
    expect(recordStartup(tight.slice(0, 4), rule, true, { endedBy: 'budget' })).toMatchObject({ stopReason: 'budget', cutByBudget: true });
    const adaptiveRule = startupRuleFor(Plan.parse({}), { startup: false, footprint: false });
    expect(recordStartup(tight.slice(0, 6), adaptiveRule, false, {})).toMatchObject({ stopReason: 'precision-reached' });
    expect(recordStartup([100, 150, 90, 200, 120, 300, 80, 110, 95], adaptiveRule, false, { endedBy: 'budget' })).toMatchObject({ stopReason: 'budget', cutByBudget: true });
  });

  it('starts from the unit costs the last comparison recorded, else from guesses by model family', () => {
    const plan = Plan.parse({});
    const guess = figurePriors('container:runc', plan);
    expect(guess.startupUnitMs).toBe(500);
    expect(guess.footprintUnitMs).toBeGreaterThan(10_000); // three settles, three readings, ten starts
    const last = { models: [{ model: 'container:runc', adaptive: { figures: [{ figure: 'startup', unitCostMs: 321 }] } }] } as unknown as Comparison;
    expect(figurePriors('container:runc', plan, last).startupUnitMs).toBe(321);
    expect(figurePriors('vm:qemu', plan).startupSetupMs).toBeGreaterThan(figurePriors('process', plan).startupSetupMs);
  });

  it('measures runc once for io.containerd.runc.v2, keeps the v1 shim apart, and leaves other families alone', () => {
    const groups = groupRuntimes(identitiesFromEngine(docker2010), { prefer: ['runc'] });
    const specs = ['process', 'container:crun', 'container:io.containerd.runc.v2', 'container:io.containerd.runtime.v1.linux', 'container:runc', 'oci:runc'].map((model) => ({ model }));
    const out = groupModels(specs, groups);
    expect(out.map((s) => s.model)).toEqual(['process', 'container:crun', 'container:io.containerd.runtime.v1.linux', 'container:runc', 'oci:runc']);
    expect(out.find((s) => s.model === 'container:runc')!.aliases).toEqual(['io.containerd.runc.v2']);
    // An alias whose canonical model is not listed (filtered by --models) is measured under its own name.
    expect(groupModels([{ model: 'container:io.containerd.runc.v2' }], groups).map((s) => s.model)).toEqual(['container:io.containerd.runc.v2']);
  });
});
