import { z } from 'zod';
import type { ProgressRole as ProgressRoleShape } from './progress';

export { JOB_RUNNING, isJobRunning } from './job-running';
export { iterationsDone } from './progress';

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

/** shared/progress.ts `ProgressRole`, as events carry it. */
export const ProgressRole = z.enum(['subject', 'baseline']);
export type ProgressRole = ProgressRoleShape;
// The schema reads exactly the roles shared/progress.ts declares.
const roleShape: [z.infer<typeof ProgressRole>, ProgressRoleShape] extends [ProgressRoleShape, z.infer<typeof ProgressRole>] ? true : never = true;
void roleShape;
