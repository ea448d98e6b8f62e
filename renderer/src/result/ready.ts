import { containerReadyMs, readyClampedToStartCall, startCallLags } from '../../../shared/readiness';
import type { Run } from '../../../shared/run';
import { bootstrapMedianSteps, medianOf, ratioOfMediansSteps } from '../../../shared/stats';

type Interval = [number, number];

/**
 * A container run's time to ready, as the Bench and Runs pages show it: pure, so it can be unit-tested. The
 * medians are at hand at once; their bootstrap intervals (2,000 resamples: seconds for a 10,000-iteration run) come
 * from `intervals`, which a page runs in slices after it has drawn.
 */
export interface ReadyView {
  /** What ready is: the program's first output (bench) or the workload's readiness (a plan's workload). */
  mark: 'firstOutput' | 'ready';
  median: number;
  n: number;
  /** The floor measured in the same run, to the same mark, and the ratio of medians. */
  floor?: { model: string; median: number; ratio: number };
  /** How long after ready the engine answered the start call: its median, and in how many iterations ready came first. */
  lag?: { medianMs: number; n: number; readyFirst: number };
  /** A run recorded before the two were kept apart: its ready is the engine's answer to the start call. */
  clamped: boolean;
  /** The 95% intervals, resample by resample (yields between them): the figures the CLI prints, to the last digit. */
  intervals(): Generator<void, ReadyIntervals>;
}

interface ReadyIntervals {
  ci95: Interval;
  floor?: Interval;
  lag?: Interval;
}

export function readyView(run: Run): ReadyView | undefined {
  // Local containers, and a host's containers over SSH (host:NAME/container:RUNTIME).
  if (!/(^|\/)container:/.test(run.model)) return undefined;
  const r = containerReadyMs(run);
  if (!r || r.values.length === 0) return undefined;
  const b = run.baseline ? containerReadyMs(run.baseline) : undefined;
  const floorValues = run.baseline && b?.values.length ? b.values : undefined;
  const lags = startCallLags(run);
  const median = medianOf(r.values)!;
  return {
    mark: r.mark as ReadyView['mark'],
    median,
    n: r.values.length,
    floor: floorValues && { model: run.baseline!.model, median: medianOf(floorValues)!, ratio: median / medianOf(floorValues)! },
    lag: lags && { medianMs: medianOf(lags)!, n: lags.length, readyFirst: lags.filter((l) => l > 0).length },
    clamped: readyClampedToStartCall(run),
    // The seeds are summarize's (42) and ratioOfMedians' (7), so the page and the CLI agree.
    *intervals() {
      const ci95 = yield* bootstrapMedianSteps(r.values, { seed: 42 });
      const floor = floorValues && (yield* ratioOfMediansSteps(r.values, floorValues)).ci95;
      const lag = lags && (yield* bootstrapMedianSteps(lags, { seed: 42 }));
      return { ci95, floor, lag };
    },
  };
}
