import type { BenchRequest } from '../../../shared/api';
import { loadPlanFile } from './load';

/**
 * `isolab bench … --plan FILE`: the plan's workload and startup settings, with any flag the user typed on the
 * command line winning over the file. `explicit(name)` says whether a flag was typed (not a default).
 */
export async function benchRequestWithPlan(request: BenchRequest, file: string, explicit: (flag: string) => boolean): Promise<BenchRequest> {
  const plan = await loadPlanFile(file);
  return {
    ...request,
    image: request.image ?? plan.workload.image,
    workload: plan.workload,
    iterations: explicit('iterations') ? request.iterations : plan.startup.iterations,
    warmup: explicit('warmup') ? request.warmup : plan.startup.warmup,
    concurrency: plan.startup.concurrency,
  };
}
