import type { Comparison } from '../compare';
import type { Plan, PlanInput } from '../plan';
import { BUDGET_PRESETS, parseBudget } from './planner';
import type { AdaptiveFigure, BudgetPreset, RuntimeGroup } from './schema';
import { medianRuleOptions, startupFigure, type FigureContext, type MedianRuleOptions } from './startup-rule';

/**
 * The decisions the compare loop takes before and after measuring, kept pure so they are tested without an
 * engine: which counts the plan fixed itself, which budget applies, the startup rule, the guesses a figure
 * starts from, and which runtimes are measured once under one name.
 */

/** Counts the user wrote down (in a plan file, a flag or a form field): kept as they are, not adapted. */
export interface FixedCounts {
  startup: boolean;
  footprint: boolean;
}

/** What the plan as written (before defaults) fixes itself. */
export function fixedCountsOf(input: PlanInput | undefined): FixedCounts {
  const fp = input?.footprint;
  return { startup: input?.startup?.iterations !== undefined, footprint: !!fp && typeof fp === 'object' && fp.rounds !== undefined };
}

/** Words for "no time limit" in --budget and the UI field. */
const NO_BUDGET = new Set(['none', 'off', 'unlimited']);

/**
 * The budget that applies: the one asked for (a duration or a preset); with none asked, the standard preset
 * (issue 14's 90 s), unless the plan fixed its own startup count, which it keeps, with no time limit.
 */
export function chooseBudget(text: string | undefined, fixed: FixedCounts): { ms: number; preset?: BudgetPreset } | undefined {
  const t = text?.trim();
  if (t && NO_BUDGET.has(t.toLowerCase())) return undefined;
  if (t) return parseBudget(t);
  return fixed.startup ? undefined : { ms: BUDGET_PRESETS.standard, preset: 'standard' };
}

/** The startup rule: the defaults (±5%, 5 to 60 after the plan's warmup), or exactly the plan's count when it fixed one. */
export function startupRuleFor(plan: Plan, fixed: FixedCounts): MedianRuleOptions & { warmup: number } {
  const n = plan.startup.iterations;
  const rule = fixed.startup ? medianRuleOptions({ minCount: n, maxCount: n }) : medianRuleOptions();
  return { ...rule, warmup: plan.startup.warmup };
}

/**
 * The startup figure's record. A fixed count ran to its count whatever the interval said: it stopped on
 * fixed-count unless the budget, a cancel or a failure ended it first.
 */
export function recordStartup(samples: readonly number[], rule: MedianRuleOptions, fixed: boolean, ctx: FigureContext): AdaptiveFigure {
  const f = startupFigure(samples, rule, ctx);
  if (!fixed) return f;
  const ended = ctx.endedBy && ctx.endedBy !== 'fixed-count' && samples.length < rule.maxCount;
  return ended ? f : { ...f, stopReason: 'fixed-count', cutByBudget: false };
}

type ModelFamily = 'process' | 'container' | 'oci' | 'vm' | 'other';

function familyOf(model: string): ModelFamily {
  if (model === 'process') return 'process';
  const head = model.split(':')[0];
  return head === 'container' || head === 'oci' || head === 'vm' ? head : 'other';
}

/** Modest guesses (ms) before anything was timed; the scheduler times one unit before trusting them. */
const START_GUESS_MS: Record<ModelFamily, number> = { process: 10, container: 500, oci: 200, vm: 3000, other: 1000 };
const PREPARE_GUESS_MS: Record<ModelFamily, number> = { process: 50, container: 1500, oci: 1000, vm: 4000, other: 2000 };

export interface FigurePriors {
  startupUnitMs: number;
  startupSetupMs: number;
  footprintUnitMs: number;
}

/**
 * What each figure of a model is expected to cost: the unit costs its last comparison recorded when there is
 * one, else the guesses above. A footprint round waits three settle times and reads MemAvailable three times
 * (15 reads 200 ms apart) around N starts and stops.
 */
export function figurePriors(model: string, plan: Plan, last?: Comparison): FigurePriors {
  const fam = familyOf(model);
  const recorded = last?.models.find((m) => m.model === model)?.adaptive?.figures ?? [];
  const cost = (kind: AdaptiveFigure['figure']) => recorded.find((f) => f.figure === kind)?.unitCostMs;
  const start = cost('startup') ?? START_GUESS_MS[fam];
  const fp = plan.footprint || { instances: 0, settleMs: 0 };
  return {
    startupUnitMs: start,
    startupSetupMs: PREPARE_GUESS_MS[fam] + plan.startup.warmup * start,
    footprintUnitMs: cost('footprint') ?? 3 * fp.settleMs + 3 * 15 * 200 + fp.instances * 2 * START_GUESS_MS[fam],
  };
}

/**
 * Models after runtime grouping: container:ALIAS goes, container:CANONICAL stays with `aliases`. Models of
 * other families, and runtimes no group names, pass unchanged.
 */
export function groupModels<T extends { model: string }>(specs: readonly T[], groups: readonly RuntimeGroup[]): (T & { aliases?: string[] })[] {
  const aliasOf = new Map<string, string>();
  const aliasesOf = new Map<string, string[]>();
  for (const g of groups) {
    if (!g.aliases.length) continue;
    aliasesOf.set(`container:${g.canonical}`, g.aliases);
    for (const a of g.aliases) aliasOf.set(`container:${a}`, `container:${g.canonical}`);
  }
  const present = new Set(specs.map((s) => s.model));
  return specs
    // An alias goes only when its canonical model is there to stand for it.
    .filter((s) => !(aliasOf.has(s.model) && present.has(aliasOf.get(s.model)!)))
    .map((s) => (aliasesOf.has(s.model) ? { ...s, aliases: aliasesOf.get(s.model)!.filter((a) => present.has(`container:${a}`)) } : s));
}
