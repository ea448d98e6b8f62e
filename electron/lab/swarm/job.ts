import type Docker from 'dockerode';
import { SwarmRequest, type SwarmDoc, type SwarmProgress } from '../../../shared/swarm';
import { JobRunningError, type JobManager } from '../jobs/manager';
import { newRunId } from '../store';
import { runSwarm } from './run';
import { decideSwarm, swarmInfo } from './state';
import type { SwarmStore } from './store';
import { sweepSwarm } from './sweep';

export interface SwarmJobOptions {
  jobs: JobManager;
  docker: Docker;
  endpoint: string;
  store: SwarmStore;
  request: SwarmRequest;
  /** The caller's own cancel (the CLI's Ctrl+C). */
  signal?: AbortSignal;
  onProgress?: (id: string, p: SwarmProgress) => void;
  log?: (line: string) => void;
}

/**
 * A swarm bench as a job, for every face: the request is checked, and the consent question answered, before the
 * job exists, so a face hears `swarm-needs-consent` (or a swarm isolab cannot use) from the call itself and
 * nothing was created or saved. One swarm bench at a time: two would share (and one would leave) one swarm.
 */
export async function startSwarmJob(o: SwarmJobOptions): Promise<{ id: string; done: Promise<SwarmDoc> }> {
  const plan = SwarmRequest.parse(o.request);
  const running = o.jobs.list().find((j) => j.kind === 'swarm-bench');
  if (running) throw new JobRunningError('the engine\'s swarm', running);
  const log = o.log ?? (() => {});
  // What a crashed run left goes first (runSwarm does it too): its swarm, once left, needs consent again.
  await sweepSwarm(o.docker, log);
  const decision = decideSwarm(await swarmInfo(o.docker), plan.createSwarm, o.endpoint);
  if (decision.action === 'refuse') throw decision.error;
  const job = o.jobs.start({ id: newRunId('swarm'), kind: 'swarm-bench', model: 'swarm', signal: o.signal }, ({ id, signal }) =>
    runSwarm({
      id,
      docker: o.docker,
      endpoint: o.endpoint,
      request: plan,
      signal,
      onProgress: (p) => o.onProgress?.(id, p),
      log,
      // The first save (partial) must land; the last may keep an earlier copy when the disk refuses (NotSavedError).
      save: (d) => (d.status === 'partial' ? o.store.save(d) : o.store.saveOrKeep(d)),
    }),
  );
  return job;
}
