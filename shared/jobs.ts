import { z } from 'zod';

export { JOB_RUNNING, isJobRunning } from './job-running';

/**
 * Jobs under way, as every face sees them: the engine's JobManager (electron/lab/jobs) registers each one with
 * an id, a kind and when it started; `info().activeJobs` lists them and `cancelJob(id)` stops any of them.
 */
export const JobKind = z.enum(['bench', 'compare', 'host-bench', 'host-probe', 'fleet', 'race', 'density-demo', 'swarm-bench']);
export type JobKind = z.infer<typeof JobKind>;

export const ActiveJob = z.object({
  id: z.string(),
  kind: JobKind,
  startedAt: z.string(),
  /** The model it measures, when it measures one (a bench); a compare or a fleet runs many. */
  model: z.string().optional(),
});
export type ActiveJob = z.infer<typeof ActiveJob>;

/** Which side of a benchmark an event is about: the model under test, or the floor run beside it. */
export const ProgressRole = z.enum(['subject', 'baseline']);
export type ProgressRole = z.infer<typeof ProgressRole>;

/** Iterations done so far, from a progress event's own fields: one counts once the model under test ended it. */
export function iterationsDone(e: { iteration: number; iterationDone: boolean; role: ProgressRole }): number {
  return e.iterationDone && e.role === 'subject' ? e.iteration : e.iteration - 1;
}
