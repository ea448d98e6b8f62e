import { planBudget, unitCostMs, type FigurePlanState } from './planner';

/**
 * The loop of index.ts step 2 with the measuring left to the caller: it asks the planner, runs the batch the
 * order says through the figure's own `run`, asks the figure's rule, and re-plans, until every figure has
 * stopped or the budget is spent. No clock of its own (`now` is given) and no Node APIs, so a test drives it
 * on simulated time.
 */

export interface FigureHandle {
  id: string;
  minCount: number;
  maxCount: number;
  target: number;
  /** The counts at which its rule decides (lookSchedule for startup); absent: after every unit. */
  looks?: readonly number[];
  /** ms a unit is expected to take before any was timed (a guess; the first measurement replaces it). */
  priorUnitMs: number;
  /** ms expected once before the first unit (prepare, warmup, noise windows). */
  priorSetupMs?: number;
  /** Runs `units` more units; resolves with each unit's wall time (ms). Throws to fail the figure. */
  run(units: number, signal?: AbortSignal): Promise<number[]>;
  /** The rule's view after what has run: units so far, uncertainty in the target's units, whether it stopped, when it next decides. */
  state(): { count: number; uncertainty?: number; done: boolean; nextDecisionAt?: number };
}

type ScheduleOrder = 'back-to-back' | 'pilot-first' | 'interleaved';

export interface ScheduleOptions {
  figures: readonly FigureHandle[];
  /** Undefined: no time limit, every figure runs to its own stop. */
  budgetMs?: number;
  now: () => number;
  /**
   * back-to-back: one block per model, in the caller's order; costs guessed wrong for a later model can leave
   * its pilot short (it is then recorded cut by the budget). pilot-first: every model's pilot first, in order
   * (the first figures stream within seconds and every cost is measured before the rest is committed), then
   * one more block per model. interleaved: batches as the planner orders them.
   */
  order: ScheduleOrder;
  signal?: AbortSignal;
  /** Called before a figure's first batch (to say what is being measured while its pilot runs). */
  onStart?: (id: string) => void;
  /** Called after every batch (to save the document and stream the figure). */
  onBatch?: (id: string, units: number) => void | Promise<void>;
}

interface FigureOutcome {
  id: string;
  /** Set when the scheduler, not the figure's rule, ended it. */
  endedBy?: 'budget' | 'cancelled' | 'failed';
  error?: string;
  /** count + what the last plan gave it. */
  plannedCount: number;
  unitCostMs?: number;
  spentMs: number;
}

export interface ScheduleResult {
  outcomes: FigureOutcome[];
  spentMs: number;
  marginMs: number;
  /** Some figure stopped on the budget. */
  exhausted: boolean;
}

export async function runSchedule(o: ScheduleOptions): Promise<ScheduleResult> {
  const t0 = o.now();
  const durations = new Map<string, number[]>(o.figures.map((f) => [f.id, []]));
  const started = new Set<string>();
  const outcomes = new Map<string, FigureOutcome>(o.figures.map((f) => [f.id, { id: f.id, plannedCount: 0, spentMs: 0 }]));
  const ended = new Set<string>();
  let marginMs = 0;
  const isDone = (f: FigureHandle) => ended.has(f.id) || f.state().done;
  for (;;) {
    const live = o.figures.filter((f) => !isDone(f));
    if (!live.length) break;
    if (o.signal?.aborted) {
      for (const f of live) end(f.id, 'cancelled');
      break;
    }
    const states: FigurePlanState[] = o.figures.map((f) => {
      const s = f.state();
      return {
        id: f.id,
        count: s.count,
        minCount: f.minCount,
        looks: f.looks,
        maxCount: f.maxCount,
        uncertainty: s.uncertainty,
        target: f.target,
        unitCostMs: unitCostMs(durations.get(f.id)!) ?? f.priorUnitMs,
        setupMs: f.priorSetupMs,
        done: isDone(f),
      };
    });
    const plan = planBudget(o.budgetMs === undefined ? Infinity : o.budgetMs - (o.now() - t0), states);
    marginMs = Math.max(marginMs, plan.marginMs);
    for (const a of plan.allocations) outcomes.get(a.id)!.plannedCount = states.find((s) => s.id === a.id)!.count + a.more;
    const inPilot = (id: string) => {
      const u = states.find((x) => x.id === id)!.uncertainty;
      return u === undefined || !Number.isFinite(u);
    };
    const firstByModel = plan.order.slice().sort((a, b) => indexOf(a.id) - indexOf(b.id));
    let batch =
      o.order === 'interleaved' ? plan.order[0] : o.order === 'pilot-first' ? (firstByModel.find((b) => inPilot(b.id)) ?? firstByModel[0]) : firstByModel[0];
    // With no budget nothing may end on one: a figure the plan expects to stop that has not (it stops only at
    // its rule's next decision) runs on to that decision.
    if (!batch && o.budgetMs === undefined) batch = { id: live[0].id, units: 1 };
    if (!batch) {
      for (const f of live) end(f.id, 'budget');
      break;
    }
    const f = o.figures.find((x) => x.id === batch.id)!;
    const s = f.state();
    const toDecision = s.nextDecisionAt !== undefined && s.nextDecisionAt > s.count ? s.nextDecisionAt - s.count : Infinity;
    // A block runs the figure's whole allotment, interleaved only this batch; none runs past a decision.
    const allotted = plan.allocations.find((a) => a.id === f.id)!.more;
    // Until one unit of a figure was timed its cost is a guess: time one before committing a batch to it.
    const probe = durations.get(f.id)!.length === 0 ? 1 : Infinity;
    const units = Math.max(1, Math.min(o.order === 'interleaved' ? batch.units : allotted, toDecision, probe));
    if (!started.has(f.id)) o.onStart?.(f.id);
    started.add(f.id);
    const start = o.now();
    try {
      const ms = await f.run(units, o.signal);
      durations.get(f.id)!.push(...ms);
      // A figure that ran and counted nothing would be planned again forever.
      if (!f.state().done && f.state().count <= s.count) end(f.id, 'failed', `ran ${units} unit(s) and counted none`);
    } catch (err) {
      if (o.signal?.aborted) end(f.id, 'cancelled');
      else end(f.id, 'failed', (err as Error)?.message ?? String(err));
    }
    const out = outcomes.get(f.id)!;
    out.spentMs += o.now() - start;
    out.unitCostMs = unitCostMs(durations.get(f.id)!);
    await o.onBatch?.(f.id, units);
  }
  const list = o.figures.map((f) => outcomes.get(f.id)!);
  return { outcomes: list, spentMs: o.now() - t0, marginMs, exhausted: list.some((x) => x.endedBy === 'budget') };

  function indexOf(id: string): number {
    return o.figures.findIndex((f) => f.id === id);
  }
  function end(id: string, why: NonNullable<FigureOutcome['endedBy']>, error?: string) {
    ended.add(id);
    const out = outcomes.get(id)!;
    out.endedBy = why;
    if (error) out.error = error;
  }
}
