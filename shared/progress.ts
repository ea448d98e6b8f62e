// Zod-free, so the pages' progress bars (Bench, Compare) load none of the contract's schemas (shared/jobs.ts holds
// ProgressRole's schema and re-exports iterationsDone for the engine).

/** Which side of a benchmark an event is about: the model under test, or the floor run beside it. */
export type ProgressRole = 'subject' | 'baseline';

/** Iterations done so far, from a progress event's own fields: one counts once the model under test ended it. */
export function iterationsDone(e: { iteration: number; iterationDone: boolean; role: ProgressRole }): number {
  return e.iterationDone && e.role === 'subject' ? e.iteration : e.iteration - 1;
}
