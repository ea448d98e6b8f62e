import { containerReadyMs, readyClampedToStartCall, startCallLag, type StartCallLag } from '../../../shared/readiness';
import type { Run } from '../../../shared/run';
import { ratioOfMedians, summarize } from '../../../shared/stats';

/** A container run's time to ready, as the Bench and Runs pages show it: pure, so it can be unit-tested. */
export interface ReadyView {
  /** What ready is: the program's first output (bench) or the workload's readiness (a plan's workload). */
  mark: 'firstOutput' | 'ready';
  median: number;
  ci95: [number, number];
  n: number;
  /** The floor measured in the same run, to the same mark, and the ratio of medians with its interval. */
  floor?: { model: string; median: number; ratio: number; ci95: [number, number] };
  /** How long after ready the engine answered the start call. */
  lag?: StartCallLag;
  /** A run recorded before the two were kept apart: its ready is the engine's answer to the start call. */
  clamped: boolean;
}

export function readyView(run: Run): ReadyView | undefined {
  // Local containers, and a host's containers over SSH (host:NAME/container:RUNTIME).
  if (!/(^|\/)container:/.test(run.model)) return undefined;
  const r = containerReadyMs(run);
  if (!r || r.values.length === 0) return undefined;
  const s = summarize(r.values, r.iterations);
  const view: ReadyView = { mark: r.mark as ReadyView['mark'], median: s.median, ci95: s.ci95, n: r.values.length, lag: startCallLag(run), clamped: readyClampedToStartCall(run) };
  const b = run.baseline ? containerReadyMs(run.baseline) : undefined;
  if (run.baseline && b?.values.length) {
    const ratio = ratioOfMedians(r.values, b.values);
    view.floor = { model: run.baseline.model, median: summarize(b.values).median, ratio: ratio.ratio, ci95: ratio.ci95 };
  }
  return view;
}
