import { resolveWorkload } from '../../../../shared/plan';
import { engineFacts } from '../../docker/engine';
import { ContainerTarget } from '../../targets/container';
import { ContainerDriver } from '../../workloads/container-driver';
import { WorkloadTarget } from '../../workloads/target';
import { floorTarget } from '../process';
import { unavailable, type ModelEntry, type ModelRegistration } from '../types';

/**
 * A container on the local engine, one model per runtime the engine lists (container:runc, container:runsc …).
 * Runtimes listed under two names (runc and io.containerd.runc.v2) are both kept: measured, not assumed equal.
 */
export const containerModel: ModelRegistration = {
  id: 'container:*',
  family: 'container',
  capabilities: { startup: true, footprint: true, density: true, facts: true, race: true },
  async discover(ctx) {
    try {
      const conn = await ctx.docker();
      const facts = await engineFacts(conn);
      if (facts.os?.startsWith('windows')) {
        // Windows engines isolate by HostConfig.Isolation, not by OCI runtime: process (shared kernel) and hyperv
        // (a utility VM per container). Hyper-V needs the Windows feature; when it is off the first start says so.
        return (['process', 'hyperv'] as const).map((isolation): ModelEntry => ({
          model: `container:${isolation}`,
          driver: (w, runId) => new ContainerDriver({ conn, runId, runtime: 'default', isolation, workload: w, log: ctx.log }),
        }));
      }
      const runtimes = facts.runtimes?.length ? facts.runtimes : [facts.defaultRuntime ?? 'runc'];
      return runtimes.map((runtime): ModelEntry => ({
        model: `container:${runtime}`,
        driver: (w, runId) => new ContainerDriver({ conn, runId, runtime, workload: w, log: ctx.log }),
      }));
    } catch (err) {
      const error = (err as Error).message;
      return [{ model: 'container:*', unavailable: unavailable('no-engine', { error }, `no container engine: ${error}`) }];
    }
  },
  bench: {
    matches: (plan) => plan.target === 'containers',
    model: (plan) => `container:${plan.runtime ?? 'engine'}`,
    runPrefix: (plan) => `container-${plan.runtime ?? 'engine'}`,
    async targets(plan, runId, ctx) {
      const conn = await ctx.docker();
      if (plan.workload) {
        // A plan's workload: every model runs it through the same instance drivers compare uses.
        const w = resolveWorkload(plan.workload);
        const runtime = plan.runtime ?? (await conn.docker.info()).DefaultRuntime ?? 'runc';
        return {
          target: new WorkloadTarget(new ContainerDriver({ conn, runId, runtime, workload: w }), plan.concurrency ?? 1),
          baseline: plan.baseline && !w.image ? floorTarget(plan) : undefined,
        };
      }
      return {
        target: new ContainerTarget({ conn, runId, image: plan.image, runtime: plan.runtime }),
        baseline: plan.baseline ? floorTarget(plan) : undefined,
      };
    },
  },
};
