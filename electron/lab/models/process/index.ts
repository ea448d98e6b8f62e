import type { BenchPlan } from '../../../../shared/api';
import { resolveWorkload } from '../../../../shared/plan';
import { ProcessTarget } from '../../targets/process';
import type { Target } from '../../targets/target';
import { ProcessDriver } from '../../workloads/process-driver';
import { WorkloadTarget } from '../../workloads/target';
import { RemoteProcessDriver } from '../../remote/process-driver';
import { RemoteProcessTarget } from '../../remote/process-target';
import type { ModelRegistration } from '../types';
import { localFloorClock, localFloorTarget, timingShellHere } from './floor';

/** The floor: the workload as a plain host process, what every other model is a ratio of. */
export const processModel: ModelRegistration = {
  id: 'process',
  family: 'process',
  capabilities: { startup: true, footprint: true, density: true, facts: true, race: true },
  // Here: its starts timed by the timing shell (the same instrument as on a remote host) where the workload allows,
  // else by isolab's own spawn; footprint and density from the instance driver.
  discover: async () => {
    let target: Target | undefined;
    const here = await timingShellHere();
    return [{ model: 'process', target: (_runId, w, k) => (target = localFloorTarget(w, k, here)), driver: (w) => new ProcessDriver(w), clock: () => localFloorClock(target) }];
  },
  // On a remote host: the program spawned there, its starts timed by a shell on the host's own clock.
  discoverRemote: async (ctx) => {
    let target: RemoteProcessTarget | undefined;
    return [
      {
        model: 'process',
        target: (_runId, w) => (target = new RemoteProcessTarget({ conn: ctx.remote.conn, workload: w })),
        // Footprint and density: instances left running there, read through the remote /proc.
        driver: (w) => new RemoteProcessDriver({ conn: ctx.remote.conn, workload: w }),
        clock: () => {
          const t = target?.timing;
          return t && { clock: 'remote-shell', shell: t.clock, overheadMs: t.overheadMs, roundTripMs: t.execRoundTripMs, sshAllowanceMs: 0 };
        },
      },
    ];
  },
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
