import type { Owner } from '../../../shared/run';
import { isOrphaned, LABEL_MANAGED, LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_RUN } from '../labels';
import { thisOwner } from '../owner';

/**
 * What each swarm object isolab creates is, on top of the owner labels every isolab resource carries
 * (isolab.managed, owner pid and host, run): the sweep keys on both.
 */
const LABEL_SWARM_ROLE = 'isolab.swarm.role';
export type SwarmRole = 'swarm' | 'gwbridge' | 'service' | 'task' | 'bare';

/** Docker's label on a task's container naming its service. */
export const LABEL_TASK_SERVICE = 'com.docker.swarm.service.id';
/** The bridge swarm attaches its ingress sandbox to; isolab creates it (labelled) when it creates the swarm. */
export const GWBRIDGE = 'docker_gwbridge';

export function swarmLabels(runId: string, role: SwarmRole, owner: Owner = thisOwner()): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_OWNER_PID]: String(owner.pid),
    [LABEL_OWNER_HOST]: owner.host,
    [LABEL_RUN]: runId,
    [LABEL_SWARM_ROLE]: role,
  };
}

/** True for an object isolab created in this role whose owner (a process of this host) has ended. */
export function orphanedAs(labels: Record<string, string> | undefined, role: SwarmRole): boolean {
  return labels?.[LABEL_SWARM_ROLE] === role && isOrphaned(labels);
}

export function isRole(labels: Record<string, string> | undefined, role: SwarmRole): boolean {
  return labels?.[LABEL_MANAGED] === 'true' && labels[LABEL_SWARM_ROLE] === role;
}
