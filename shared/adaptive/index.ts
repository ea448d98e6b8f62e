/**
 * Adaptive comparison (issue 14, "Compare in a minute"): the pure core the compare loop calls. No Node APIs;
 * the one engine-side piece is electron/lab/adaptive/runtime-identity.ts.
 *
 * HOW THE COMPARE LOOP SHOULD USE IT (to wire in after the engine refactor, issue 12)
 *
 * 0. Before measuring.
 *    - Models: docker info's Runtimes → EngineRuntimes.parse → resolveRuntimeIdentities (local engine; for a
 *      remote one identitiesFromEngine alone) → groupRuntimes(ids, { each: <user asked for each>, prefer:
 *      [info.DefaultRuntime, 'runc'] }). One container model per group, container:CANONICAL, with
 *      ModelResult.aliases = group.aliases. On Docker 20.10 that measures runc once for runc and
 *      io.containerd.runc.v2, and keeps io.containerd.runtime.v1.linux apart: the same runc binary, but under
 *      containerd's legacy v1 shim, another process with another footprint (runtime-groups.ts).
 *    - Budget: parseBudget(--budget, the UI field, or a preset such as "demo" = 30 s). With no flag, the default
 *      comparison takes BUDGET_PRESETS.standard (90 s, issue 14's acceptance); a plan that fixes its own
 *      startup.iterations keeps its fixed count (stopReason fixed-count).
 *    - Noise, only when footprint runs: read MemAvailable idle the way a footprint round reads it (before,
 *      middle, after; the same settle times and correction), 2 or 3 windows → MemoryNoise. Charge it to the
 *      first footprint figure's setup. Without it the footprint runs the plan's rounds (fixed-count).
 *
 * 1. One FigureHandle per figure and model, in model order with the floor (process) first:
 *      startup:   looks = lookSchedule(rule), run(k) = k timed starts (prepare + warmup before the first call,
 *                 as priorSetupMs), state() from decideMedian(readyMs, rule): { count, uncertainty:
 *                 interval.relativeHalfWidth, done: stop, nextDecisionAt }.
 *      footprint: run(1) = one round, state() from decideFootprintRounds: uncertainty = maxMoveBytes, target =
 *                 the measured noiseBytes (so the ratio is move / noise).
 *      density:   run(1) = one step, state() from decideDensity: uncertainty = the larger relative half-width
 *                 of its two slopes (0 when both are known).
 *    priorUnitMs from the model's last comparison, or a modest guess: the scheduler times one unit of every
 *    figure before committing more to it.
 *
 * 2. runSchedule({ figures, budgetMs, now: performance.now, order: 'pilot-first', signal, onBatch }).
 *    It re-plans after every batch (planBudget: pilots first; then, a batch to the figure's next look at a
 *    time, where it removes the most excess uncertainty per second; never past the budget less one unit of
 *    the costliest running figure). pilot-first gives every model its pilot in order (the first figure is on
 *    screen within seconds: stream it from onBatch, issue 14 §4), then one more block per model: each model's
 *    samples come from at most two stretches of time, the models still one after another. 'back-to-back'
 *    (one block each) is today's order but can starve a late model whose cost was guessed low;
 *    'interleaved' follows the planner's batches. Whichever, record it in ComparisonAdaptive.order (§3).
 *
 * 3. Record: startupFigure / footprintFigure / densityFigure per model, with ctx = the outcome's endedBy,
 *    plannedCount, unitCostMs, spentMs → ModelResult.adaptive.figures; the rules' parameters, the budget (ms,
 *    preset, marginMs, spentMs, exhausted), the noise and the runtime groups → Comparison.adaptive. Schemas:
 *    schema.ts (ComparisonAdditions and ModelResultAdditions, to .extend() Comparison and ModelResult in
 *    shared/compare.ts; both optional, so old documents read). Exports: adaptiveRows / adaptiveCsv after
 *    comparisonCsv's rows, adaptiveMarkdown after comparisonMarkdown's tables (export.ts). The faces word
 *    the stop reasons from their codes (en + fr).
 *
 * What the rules cost (simulate.ts, seeded lognormal start times): a VM boot with 2% CV stops at the first
 * look, 6 boots (no distribution-free 95% interval of a median exists below 6); a container start with 30% CV
 * would need ~220 starts for ±5% by the normal approximation (the look schedule stops at 243 or 365), so it
 * runs to maxCount 60 and records about ±8-11%. On a simulated 2-core machine (process, raw runc, two runc
 * shims, a 2.6 s VM) a 90 s budget gives the process, raw runc and the VM their target or maximum and the
 * containers ±8-13%; 30 s gives every model its pilot but the VM's, cut at 4 boots (4 s to prepare it and
 * ~3 s a boot leave no room for 6) and recorded as cut by the budget.
 */

export * from './median-ci';
export * from './startup-rule';
export * from './footprint-rule';
export * from './density-rule';
export * from './planner';
export * from './scheduler';
export * from './runtime-groups';
export * from './schema';
export * from './export';
export { simulateMedianRule, lognormalSigma, type RuleSimulation } from './simulate';
