import type Docker from 'dockerode';
import { LABEL_MANAGED } from '../labels';
import { GWBRIDGE, orphanedAs } from './labels';
import { findNetwork, leaveSwarm, removeGwbridge, swarmInfo } from './state';
import { statusCode } from './util';

export interface SwarmSweep {
  /** Services of isolab runs whose process has ended, removed. */
  services: string[];
  /** The swarm such a run created, left. */
  leftSwarm: boolean;
  /** The docker_gwbridge such a run created, removed. */
  removedBridge: boolean;
}

/**
 * What a crashed swarm run left on the engine, undone: its services (their tasks' containers go with them), the
 * swarm it created when nothing else runs in it, and the bridge it created for that swarm. Only objects labelled
 * isolab.managed whose owner is a process of this host that has ended are touched; a live run's are not, nor
 * anyone else's. Run it before the container sweep: a task container removed while its service remains is only
 * replaced by the engine.
 */
export async function sweepSwarm(docker: Docker, log?: (line: string) => void): Promise<SwarmSweep> {
  const out: SwarmSweep = { services: [], leftSwarm: false, removedBridge: false };
  // GET /swarm answers only on a manager (503 otherwise): a cheaper question than `docker info` at every start.
  const swarm = (await docker.swarmInspect().catch(() => undefined)) as { Spec?: { Labels?: Record<string, string> } } | undefined;
  if (swarm) {
    const services = await docker.listServices({ filters: { label: [`${LABEL_MANAGED}=true`] } });
    for (const s of services) {
      if (!orphanedAs(s.Spec?.Labels, 'service')) continue;
      try {
        await docker.getService(s.ID).remove();
        out.services.push(s.ID);
      } catch (err) {
        if (statusCode(err) !== 404) log?.(`could not remove service ${s.Spec?.Name ?? s.ID} left by an earlier run: ${(err as Error).message}`);
      }
    }
    if (orphanedAs(swarm.Spec?.Labels, 'swarm')) {
      const left = await docker.listServices({});
      if (left.length) log?.(`the swarm an earlier isolab run created holds ${left.length} service(s) isolab did not start: it stays`);
      else {
        await leaveSwarm(docker);
        out.leftSwarm = true;
      }
    }
  }
  const bridge = await findNetwork(docker, GWBRIDGE);
  if (bridge && orphanedAs(bridge.Labels, 'gwbridge') && (await swarmInfo(docker)).LocalNodeState === 'inactive') {
    out.removedBridge = await removeGwbridge(docker, log);
  }
  return out;
}
