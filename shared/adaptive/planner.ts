import { quantile } from 'simple-statistics';
import type { BudgetPreset } from './schema';

/**
 * The budget planner: given what each figure knows so far and what one more unit of it costs, where the time
 * left goes. Deterministic and explainable:
 * 1. Pilot. Every figure first gets what it lacks of its first decision (its minimum, or its rule's first
 *    look) and its setup, in the caller's order (the floor first, so ratios have a denominator); one that
 *    still cannot say how uncertain it is gets up to its next decision. A pilot that does not fit is cut to
 *    what fits.
 * 2. Then batches, each up to the figure's next decision (its rule only stops at a look), to the figure whose
 *    batch removes the most excess uncertainty per second: excess = max(0, u / target − 1), projected by the
 *    1/√n law of a median's or a slope's interval, u(n') = u(n)·√(n / n'). So time goes where the uncertainty
 *    is largest for what it costs: a 5-ms process start reaches ±5% for almost nothing, a 30%-CV container
 *    start that cannot reach it before maxCount does not swallow the budget, a 2%-CV VM boot gets no more.
 *    Ties go to the caller's order. A figure leaves the race at its maximum, when it is projected to stop on
 *    precision at a decision, or when its batch no longer fits; then what is left is handed out as partial
 *    batches in the same order of merit.
 * 3. Never past the budget less a margin of one unit of the costliest figure the plan gives time to: an
 *    estimate that was too low costs at most one iteration over.
 * The plan is a forecast; the caller re-plans after every batch with the measured costs and uncertainties.
 */

export interface FigurePlanState {
  /** Stable and unique, e.g. "container:runc/startup"; the plan names figures by it. */
  id: string;
  /** Units done so far (timed iterations, rounds, steps). */
  count: number;
  minCount: number;
  maxCount: number;
  /** The counts at which its rule decides (startup: lookSchedule); absent when it decides after every unit. */
  looks?: readonly number[];
  /** Current uncertainty in the target's units (a relative half-width for startup); absent when too few units to say. */
  uncertainty?: number;
  target: number;
  /** ms one more unit costs (unitCostMs of what was measured, or an estimate before anything was). */
  unitCostMs: number;
  /** ms paid once before the first unit (prepare, warmup), charged only while count is 0. */
  setupMs?: number;
  /** Its own rule stopped it (precision, failure, cancel): it gets nothing more. */
  done?: boolean;
}

type AllocationWhy =
  /** Its own rule already stopped it. */
  | 'done'
  /** Only its pilot: nothing is known yet to weigh it by. */
  | 'pilot'
  /** Batches beyond its pilot, projected to reach its target. */
  | 'precision'
  /** It is projected to stop on precision with what it has. */
  | 'target-projected'
  | 'max-count'
  /** The budget ran out before its target or maximum. */
  | 'budget';

interface FigureAllocation {
  id: string;
  /** Units to add. */
  more: number;
  /** The uncertainty projected after them (absent when nothing is known yet). */
  projected?: number;
  /** The budget, not its target or maximum, is what limits it. */
  cutByBudget: boolean;
  why: AllocationWhy;
  plannedMs: number;
}

export interface BudgetPlan {
  allocations: FigureAllocation[];
  /** The batches in the order to run them: pilots first, then the race, consecutive batches of one figure merged. */
  order: { id: string; units: number }[];
  plannedMs: number;
  marginMs: number;
  /** remainingMs − marginMs: what the plan may fill. */
  spendableMs: number;
}

export function projectUncertainty(u: number, n: number, more: number): number {
  if (more <= 0 || n <= 0) return u;
  return u * Math.sqrt(n / (n + more));
}

const known = (u: number | undefined): u is number => u !== undefined && Number.isFinite(u);

/** The first count after `pos` at which the figure's rule decides (pos + 1 without a schedule), capped at maxCount. */
function nextDecision(f: Pick<FigurePlanState, 'looks' | 'maxCount'>, pos: number): number {
  const next = f.looks ? (f.looks.find((l) => l > pos) ?? f.maxCount) : pos + 1;
  return Math.min(next, f.maxCount);
}

function isDecision(f: FigurePlanState, pos: number): boolean {
  return !f.looks || f.looks.includes(pos) || pos >= f.maxCount;
}

export function planBudget(remainingMs: number, figures: readonly FigurePlanState[]): BudgetPlan {
  const ids = new Set<string>();
  for (const f of figures) {
    if (ids.has(f.id)) throw new RangeError(`figure id ${f.id} appears twice`);
    ids.add(f.id);
  }
  const running = figures.filter(isLive);
  // The margin is one unit of the costliest figure the plan gives time to: a footprint round of 20 s that
  // cannot fit a 30 s budget must not hold 20 s back from the starts that can. The smallest margin that covers
  // every figure its own plan allocates to (each running figure's unit cost, tried from the cheapest; the
  // costliest always covers everything).
  const candidates = [...new Set(running.map((f) => f.unitCostMs))].sort((a, b) => a - b);
  for (const m of candidates) {
    const plan = planWithMargin(remainingMs, figures, m);
    const covered = plan.allocations.every((a) => a.more === 0 || figures.find((f) => f.id === a.id)!.unitCostMs <= m);
    if (covered) return plan;
  }
  return planWithMargin(remainingMs, figures, candidates.at(-1) ?? 0);
}

const isLive = (f: FigurePlanState) => !f.done && f.count < f.maxCount;

function planWithMargin(remainingMs: number, figures: readonly FigurePlanState[], marginMs: number): BudgetPlan {
  const live = isLive;
  const running = figures.filter(live);
  const spendableMs = Math.max(0, remainingMs - marginMs);
  let left = spendableMs;
  const more = new Map<string, number>(figures.map((f) => [f.id, 0]));
  const spent = new Map<string, number>(figures.map((f) => [f.id, 0]));
  const short = new Set<string>();
  const order: { id: string; units: number }[] = [];
  const give = (f: FigurePlanState, units: number, extraMs = 0) => {
    more.set(f.id, more.get(f.id)! + units);
    const cost = extraMs + units * f.unitCostMs;
    spent.set(f.id, spent.get(f.id)! + cost);
    left -= cost;
    const last = order[order.length - 1];
    if (last?.id === f.id) last.units += units;
    else order.push({ id: f.id, units });
  };
  /** How many of `want` units (after `extraMs`) fit in what is left. */
  const fitting = (f: FigurePlanState, want: number, extraMs = 0) =>
    extraMs + Math.min(1, want) * f.unitCostMs > left ? 0 : f.unitCostMs > 0 ? Math.min(want, Math.floor((left - extraMs) / f.unitCostMs)) : want;

  // 1. Pilots, in the caller's order.
  for (const f of running) {
    const firstDecision = f.looks ? nextDecision(f, Math.max(f.minCount, f.count + 1) - 1) : f.minCount;
    const target = known(f.uncertainty) ? Math.min(f.minCount, f.maxCount) : Math.max(firstDecision, nextDecision(f, f.count));
    const need = Math.max(0, Math.min(f.maxCount, target) - f.count);
    if (need === 0) continue;
    const setup = f.count === 0 ? (f.setupMs ?? 0) : 0;
    const units = fitting(f, need, setup);
    if (units < need) short.add(f.id);
    if (units > 0) give(f, units, setup);
  }

  // 2. The race, by excess uncertainty removed per ms, a batch to the next decision at a time.
  const pos = (f: FigurePlanState) => f.count + more.get(f.id)!;
  const projected = (f: FigurePlanState, p: number) => projectUncertainty(f.uncertainty!, f.count, p - f.count);
  const excess = (f: FigurePlanState, p: number) => Math.max(0, projected(f, p) / f.target - 1);
  const inRace = (f: FigurePlanState) => {
    const p = pos(f);
    if (p >= f.maxCount) return false;
    // Projected to stop on precision here: it needs nothing more.
    return !(isDecision(f, p) && projected(f, p) <= f.target);
  };
  const merit = (f: FigurePlanState) => {
    const p = pos(f);
    const b = nextDecision(f, p) - p;
    const cost = b * f.unitCostMs;
    const gain = excess(f, p) - excess(f, p + b);
    return cost > 0 ? gain / cost : gain > 0 ? Infinity : 0;
  };
  const contenders = running.filter((f) => known(f.uncertainty) && f.target > 0 && !short.has(f.id));
  const outOfRace = new Set<string>();
  for (;;) {
    let best: FigurePlanState | undefined;
    let bestMerit = -1;
    for (const f of contenders) {
      if (outOfRace.has(f.id) || !inRace(f)) continue;
      const m = merit(f);
      if (m > bestMerit) {
        best = f;
        bestMerit = m;
      }
    }
    if (!best) break;
    const batch = nextDecision(best, pos(best)) - pos(best);
    if (batch * best.unitCostMs > left) {
      outOfRace.add(best.id);
      continue;
    }
    give(best, batch);
  }
  // What is left goes to the figures whose batch did not fit, as partial batches, in the same order of merit.
  const leftovers = contenders.filter((f) => outOfRace.has(f.id)).sort((a, b) => merit(b) - merit(a) || figures.indexOf(a) - figures.indexOf(b));
  for (const f of leftovers) {
    const units = fitting(f, nextDecision(f, pos(f)) - pos(f));
    if (units > 0) give(f, units);
  }

  const allocations = figures.map((f): FigureAllocation => {
    const m = more.get(f.id)!;
    const plannedMs = spent.get(f.id)!;
    if (!live(f)) return { id: f.id, more: 0, projected: f.uncertainty, cutByBudget: false, why: f.done ? 'done' : 'max-count', plannedMs };
    if (short.has(f.id)) return { id: f.id, more: m, cutByBudget: true, why: 'budget', plannedMs };
    if (!known(f.uncertainty)) return { id: f.id, more: m, cutByBudget: false, why: 'pilot', plannedMs };
    const p = pos(f);
    const u = projected(f, p);
    if (u <= f.target && isDecision(f, p)) return { id: f.id, more: m, projected: u, cutByBudget: false, why: m > 0 ? 'precision' : 'target-projected', plannedMs };
    if (p >= f.maxCount) return { id: f.id, more: m, projected: u, cutByBudget: false, why: 'max-count', plannedMs };
    return { id: f.id, more: m, projected: u, cutByBudget: true, why: 'budget', plannedMs };
  });
  const plannedMs = [...spent.values()].reduce((a, b) => a + b, 0);
  return { allocations, order, plannedMs, marginMs, spendableMs };
}

/**
 * What one more unit will cost, from the durations measured so far (ms, warmup included: it is real time the
 * budget paid): their upper quartile, so a few fast units do not promise time the slow ones will take.
 */
export function unitCostMs(durationsMs: readonly number[]): number | undefined {
  const xs = durationsMs.filter((x) => Number.isFinite(x) && x >= 0);
  if (!xs.length) return undefined;
  return quantile(xs, 0.75);
}

/** Named budgets: `demo` for a live workshop, `standard` the default comparison's (issue 14's 90 s). */
export const BUDGET_PRESETS: Record<BudgetPreset, number> = { demo: 30_000, standard: 90_000 };
const MIN_BUDGET_MS = 5_000;
const MAX_BUDGET_MS = 24 * 3600_000;

export class BudgetError extends Error {
  override name = 'BudgetError';
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3600_000 };

/**
 * A budget as people write it: "60s", "90" (seconds), "1m30s", "2m", "1.5m", "500ms" or a preset ("demo").
 * Throws a BudgetError that says what is accepted.
 */
export function parseBudget(text: string): { ms: number; preset?: BudgetPreset } {
  const t = text.trim().toLowerCase();
  if (t in BUDGET_PRESETS) return { ms: BUDGET_PRESETS[t as BudgetPreset], preset: t as BudgetPreset };
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else {
    const parts = [...t.matchAll(/(\d+(?:\.\d+)?)\s*(ms|min|s|m|h)/g)];
    const rebuilt = parts.map((p) => p[0]).join('');
    if (!parts.length || rebuilt.replace(/\s/g, '') !== t.replace(/\s/g, '')) {
      throw new BudgetError(`budget "${text}" is not a duration; write e.g. 60s, 90, 1m30s, 2m or a preset (${Object.keys(BUDGET_PRESETS).join(', ')})`);
    }
    ms = parts.reduce((a, p) => a + Number(p[1]) * UNIT_MS[p[2]], 0);
  }
  if (!(ms >= MIN_BUDGET_MS)) throw new BudgetError(`budget "${text}" is under ${MIN_BUDGET_MS / 1000}s: too short to time anything; the demo preset is ${BUDGET_PRESETS.demo / 1000}s`);
  if (ms > MAX_BUDGET_MS) throw new BudgetError(`budget "${text}" is over 24h; leave --budget out for no time limit`);
  return { ms: Math.round(ms) };
}
