import { useEffect, useState } from 'react';
import type { Run } from '../../../shared/run';
import { burstSteps, type BurstOutcome, type BurstScenario } from '../../../shared/sim';

export interface BurstRunState {
  outcome?: BurstOutcome;
  error?: string;
  /** Replications still running for the current settings. */
  running: boolean;
}

/** How long one slice of simulation may hold the page before it lets the browser paint and take input. */
const SLICE_MS = 40;

/**
 * The scenario's replications, run in slices between frames: the first seed's outcome shows at once, the
 * intervals narrow as the other seeds finish, and a change of settings abandons the run in progress.
 */
export function useBurstRun(scenario: BurstScenario | undefined, docs: Map<string, Run>): BurstRunState {
  const [state, setState] = useState<BurstRunState>({ running: false });
  useEffect(() => {
    if (!scenario) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let steps: ReturnType<typeof burstSteps>;
    try {
      steps = burstSteps(scenario, docs);
    } catch (err) {
      setState({ error: (err as Error).message, running: false });
      return;
    }
    setState((prev) => ({ outcome: prev.error ? undefined : prev.outcome, running: true }));
    const slice = () => {
      if (!live) return;
      const until = performance.now() + SLICE_MS;
      try {
        for (;;) {
          const step = steps.next();
          if (step.done) {
            setState({ outcome: step.value, running: false });
            return;
          }
          if (step.value) setState({ outcome: step.value, running: true });
          if (performance.now() >= until) break;
        }
      } catch (err) {
        setState({ error: (err as Error).message, running: false });
        return;
      }
      timer = setTimeout(slice, 0);
    };
    timer = setTimeout(slice, 0);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [scenario, docs]);
  return state;
}
