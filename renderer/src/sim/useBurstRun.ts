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
  // What the last slice reported, and for which settings: a change of settings reads as running at once.
  const [state, setState] = useState<{ scenario?: BurstScenario; docs?: Map<string, Run>; outcome?: BurstOutcome; error?: string; done: boolean }>({ done: true });
  useEffect(() => {
    if (!scenario) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const steps = burstSteps(scenario, docs);
    const slice = () => {
      if (!live) return;
      const until = performance.now() + SLICE_MS;
      try {
        for (;;) {
          const step = steps.next();
          if (step.done) {
            setState({ scenario, docs, outcome: step.value, done: true });
            return;
          }
          if (step.value) setState({ scenario, docs, outcome: step.value, done: false });
          if (performance.now() >= until) break;
        }
      } catch (err) {
        setState({ scenario, docs, error: (err as Error).message, done: true });
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
  if (!scenario) return { outcome: state.outcome, error: state.error, running: false };
  if (state.scenario !== scenario || state.docs !== docs) return { outcome: state.error ? undefined : state.outcome, running: true };
  return { outcome: state.outcome, error: state.error, running: !state.done };
}
