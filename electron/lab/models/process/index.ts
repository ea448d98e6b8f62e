import type { BenchPlan } from '../../../../shared/api';
import { resolveWorkload } from '../../../../shared/plan';
import { ProcessTarget } from '../../targets/process';
import type { Target } from '../../targets/target';
import { ProcessDriver } from '../../workloads/process-driver';
import { WorkloadTarget } from '../../workloads/target';
import type { ModelRegistration } from '../types';

/** The floor: the workload as a plain host process, what every other model is a ratio of. */
export const processModel: ModelRegistration = {
  id: 'process',
  family: 'process',
  capabilities: { startup: true, footprint: true, density: true, facts: true, race: true },
  discover: async () => [{ model: 'process', driver: (w) => new ProcessDriver(w) }],
  bench: {
    matches: (plan) => plan.target === 'process',
    model: () => 'process',
    runPrefix: () => 'process',
    targets: async (plan) => ({ target: floorTarget(plan) }),
  },
};

/** The floor for a bench plan: its workload as a process (k at a time), or the probe's echo. */
export function floorTarget(plan: BenchPlan): Target {
  return plan.workload ? new WorkloadTarget(new ProcessDriver(resolveWorkload(plan.workload)), plan.concurrency ?? 1) : new ProcessTarget();
}
