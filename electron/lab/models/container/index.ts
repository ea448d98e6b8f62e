import { resolveWorkload } from '../../../../shared/plan';
import { medianOf } from '../../../../shared/stats';
import { engineFacts, type EngineConnection } from '../../docker/engine';
import { EngineClock } from '../../remote/engine-clock';
import { ContainerTarget } from '../../targets/container';
import { ContainerDriver } from '../../workloads/container-driver';
import { WorkloadTarget } from '../../workloads/target';
import { floorTarget } from '../process';
import { unavailable, type ModelEntry, type ModelRegistration } from '../types';

/** Engine calls ContainerDriver makes from the request to ready, by readiness: create, (attach,) start, and wait for an exit. */
const ENGINE_CALLS_TO_READY = { exit: 3, running: 2, log: 3, tcp: 2 } as const;
const PINGS = 9;

/** The median round trip of an engine ping over the connection (after one untimed ping that opens the channel). */
async function pingRoundTrip(conn: EngineConnection): Promise<number> {
  await conn.docker.ping();
  const times: number[] = [];
  for (let i = 0; i < PINGS; i++) {
    const t0 = performance.now();
    await conn.docker.ping();
    times.push(performance.now() - t0);
  }
  return medianOf(times) ?? 0;
}

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
      const events = ctx.engineEvents;
      return runtimes.map((runtime): ModelEntry => {
        // In a comparison: each start's phases on this engine's own clock, the instrument a remote host's containers
        // are timed with (the stream opened by the first container model's prepare); no SSH, nothing to allow for.
        const engineClock = events && new EngineClock(events, undefined, 'local', ctx.log);
        return {
          model: `container:${runtime}`,
          driver: (w, runId) => new ContainerDriver({ conn, runId, runtime, workload: w, log: ctx.log, engineClock }),
          ...(engineClock ? { clock: (w) => engineClock.localClock(w.readiness.kind) } : {}),
        };
      });
    } catch (err) {
      const error = (err as Error).message;
      return [{ model: 'container:*', unavailable: unavailable('no-engine', { error }, `no container engine: ${error}`) }];
    }
  },
  // On a remote host: the same engine calls on its engine (ctx.docker() is it, over the SSH connection), each
  // start's phases then put on the engine's own clock from its event stream (EngineClock), as here; the channel's
  // round trip, measured first, says what SSH still adds (the create call's). Without the stream: this machine's clock.
  async discoverRemote(ctx) {
    let conn: EngineConnection;
    try {
      conn = await ctx.docker();
    } catch (err) {
      const error = (err as Error).message;
      return [{ model: 'container:*', unavailable: unavailable('no-engine', { error }, `no container engine on the remote host: ${error}`) }];
    }
    const facts = await engineFacts(conn);
    const roundTripMs = await pingRoundTrip(conn);
    const events = ctx.engineEvents;
    const name = ctx.remote.name;
    const runtimes = facts.runtimes?.length ? facts.runtimes : [facts.defaultRuntime ?? 'runc'];
    return runtimes.map((runtime): ModelEntry => {
      // The stream is opened by the first container model's prepare; without it, this machine's clock through SSH.
      const engineClock = events && new EngineClock(events, undefined, 'remote', (l) => ctx.log?.(`${name}: ${l}`));
      return {
        model: `container:${runtime}`,
        driver: (w, runId) => new ContainerDriver({ conn, runId, runtime, workload: w, log: ctx.log, fs: ctx.remote.fs, engineClock }),
        clock: (w) => {
          const trips = ENGINE_CALLS_TO_READY[w.readiness.kind];
          if (engineClock) return engineClock.startupClock(w.readiness.kind, roundTripMs, trips);
          return { clock: 'local-through-ssh', roundTripMs, roundTripsToReady: trips, sshAllowanceMs: roundTripMs * trips };
        },
      };
    });
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
