import type Docker from 'dockerode';
import { z } from 'zod';
import { SwarmNeedsConsentError, type SwarmState } from '../../../shared/swarm';
import { describe } from '../docker/engine';
import { GWBRIDGE, isRole, swarmLabels } from './labels';
import { elapsed, sleep, statusCode } from './util';

/** What `docker info` says of the node's swarm membership (engine data, checked here). */
const SwarmInfo = z.object({
  LocalNodeState: z.string().default('inactive'),
  NodeID: z.string().default(''),
  ControlAvailable: z.boolean().default(false),
  Error: z.string().default(''),
});
export type SwarmInfo = z.infer<typeof SwarmInfo>;

export async function swarmInfo(docker: Docker): Promise<SwarmInfo> {
  const info = (await docker.info()) as { Swarm?: unknown };
  return SwarmInfo.parse(info.Swarm ?? {});
}

/** The engine's swarm is in a state isolab cannot use (a worker, locked, pending, in error). Code first, for faces. */
class SwarmUnusableError extends Error {
  constructor(
    readonly code: 'swarm-not-manager' | 'swarm-locked' | 'swarm-unusable',
    readonly state: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'SwarmUnusableError';
  }
}

/** The swarm isolab will use for this run, and what it must undo at the end. */
export interface SwarmSession {
  state: SwarmState;
  nodeId: string;
}

export type SwarmDecision =
  | { action: 'use'; nodeId: string }
  | { action: 'create' }
  | { action: 'refuse'; error: Error };

/**
 * Whether to use the engine's swarm, create one (only with consent), or refuse, from what `docker info` says. An
 * existing swarm is used as it is (isolab only adds its own labelled service, pinned to this node); a node that
 * is not a manager cannot create services.
 */
export function decideSwarm(info: SwarmInfo, consent: boolean, endpoint: string): SwarmDecision {
  switch (info.LocalNodeState) {
    case 'active':
      if (!info.ControlAvailable) {
        return { action: 'refuse', error: new SwarmUnusableError('swarm-not-manager', 'active', 'this engine is a worker of a swarm: only a manager can create services. Run isolab against a manager node, or on an engine in no swarm') };
      }
      return { action: 'use', nodeId: info.NodeID };
    case 'inactive':
      return consent ? { action: 'create' } : { action: 'refuse', error: new SwarmNeedsConsentError(endpoint) };
    case 'locked':
      return { action: 'refuse', error: new SwarmUnusableError('swarm-locked', 'locked', 'the engine\'s swarm is locked: unlock it with `docker swarm unlock` first') };
    default:
      return {
        action: 'refuse',
        error: new SwarmUnusableError('swarm-unusable', info.LocalNodeState, `the engine's swarm is ${info.LocalNodeState}${info.Error ? ` (${info.Error})` : ''}: wait for it to settle, or fix it with the docker CLI`),
      };
  }
}

/** The request isolab sends to create its single-node swarm: everything on 127.0.0.1, a free port, labelled. */
export function initRequest(runId: string, listenPort = 0): Record<string, unknown> {
  return {
    ListenAddr: `127.0.0.1:${listenPort}`,
    AdvertiseAddr: '127.0.0.1',
    DataPathAddr: '127.0.0.1',
    Spec: { Labels: swarmLabels(runId, 'swarm') },
  };
}

/**
 * Uses the engine's swarm or, with consent, creates a single-node one. When it creates it, it first creates the
 * docker_gwbridge bridge itself (with Docker's own options, labelled isolab) unless one is there: swarm then uses
 * it, and a crashed run's bridge can be told apart and swept. Nothing is created without consent.
 */
export async function openSwarm(docker: Docker, o: { consent: boolean; endpoint: string; runId: string; log?: (line: string) => void }): Promise<SwarmSession> {
  const info = await swarmInfo(docker);
  const decision = decideSwarm(info, o.consent, o.endpoint);
  if (decision.action === 'refuse') throw decision.error;
  if (decision.action === 'use') return { state: { found: 'active', created: false, nodeId: decision.nodeId }, nodeId: decision.nodeId };

  const gwbridge = (await findNetwork(docker, GWBRIDGE)) ? 'existed' : 'created';
  if (gwbridge === 'created') await createGwbridge(docker, o.runId);
  const t0 = performance.now();
  try {
    await docker.swarmInit(initRequest(o.runId)).catch(async (err) => {
      // An engine that will not listen on port 0: the swarm port, still on 127.0.0.1 only.
      if (statusCode(err) !== 400 || !/port|listen|address/i.test(describe(err))) throw err;
      o.log?.(`the engine refused a swarm on 127.0.0.1:0 (${describe(err)}); using 127.0.0.1:2377`);
      await docker.swarmInit(initRequest(o.runId, 2377));
    });
  } catch (err) {
    if (gwbridge === 'created') await removeGwbridge(docker).catch(() => {});
    throw err;
  }
  const initMs = elapsed(t0);
  const after = await swarmInfo(docker);
  return { state: { found: 'inactive', created: true, nodeId: after.NodeID, initMs, gwbridge }, nodeId: after.NodeID };
}

/**
 * Leaves the swarm isolab created and removes the bridge it created for it: the engine as it was found. A swarm
 * that holds services isolab did not start (someone added one meanwhile, or another isolab run uses it) is kept:
 * leaving would destroy them. Returns the state with `restored` and `leaveMs` filled in.
 */
export async function closeSwarm(docker: Docker, session: SwarmSession, log?: (line: string) => void): Promise<SwarmState> {
  const state = { ...session.state };
  if (!state.created) return { ...state, restored: true };
  const others = await docker.listServices({}).catch(() => []);
  if (others.length) {
    log?.(`the swarm isolab created now holds ${others.length} service(s) it did not start: it stays (leaving would remove them)`);
    return { ...state, restored: false };
  }
  const t0 = performance.now();
  await leaveSwarm(docker);
  state.leaveMs = elapsed(t0);
  if (state.gwbridge === 'created') await removeGwbridge(docker, log);
  state.restored = await isRestored(docker, state);
  return state;
}

/** `swarm leave --force`, then waits until the engine says inactive. */
export async function leaveSwarm(docker: Docker): Promise<void> {
  try {
    await docker.swarmLeave({ force: true });
  } catch (err) {
    if (statusCode(err) !== 503 && statusCode(err) !== 406) throw err; // not in a swarm any more: done
  }
  for (const deadline = Date.now() + 30_000; (await swarmInfo(docker)).LocalNodeState !== 'inactive'; ) {
    if (Date.now() > deadline) throw new Error('the engine still reports a swarm 30 s after `swarm leave --force`');
    await sleep(100);
  }
}

/** True when the engine is as found: in no swarm, no ingress network, and no docker_gwbridge unless it was there. */
async function isRestored(docker: Docker, state: SwarmState): Promise<boolean> {
  if ((await swarmInfo(docker)).LocalNodeState !== 'inactive') return false;
  if (await findNetwork(docker, 'ingress')) return false;
  return state.gwbridge === 'existed' || !(await findNetwork(docker, GWBRIDGE));
}

/** Docker's own options for the bridge (what it would create), plus isolab's labels. */
export function gwbridgeRequest(runId: string): Docker.NetworkCreateOptions {
  return {
    Name: GWBRIDGE,
    Driver: 'bridge',
    CheckDuplicate: true,
    Options: {
      'com.docker.network.bridge.name': GWBRIDGE,
      'com.docker.network.bridge.enable_icc': 'false',
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
    },
    Labels: swarmLabels(runId, 'gwbridge'),
  };
}

async function createGwbridge(docker: Docker, runId: string): Promise<void> {
  await docker.createNetwork(gwbridgeRequest(runId));
}

/**
 * Removes docker_gwbridge when it is isolab's (labelled): the ingress sandbox's endpoint can linger a moment after
 * the leave, so it retries for a while. Another docker_gwbridge is never touched.
 */
export async function removeGwbridge(docker: Docker, log?: (line: string) => void): Promise<boolean> {
  for (const deadline = Date.now() + 15_000; ; ) {
    const net = await findNetwork(docker, GWBRIDGE);
    if (!net) return true;
    if (!isRole(net.Labels, 'gwbridge')) return false;
    try {
      await docker.getNetwork(net.Id).remove();
      return true;
    } catch (err) {
      if (statusCode(err) === 404) return true;
      if (Date.now() > deadline) {
        log?.(`could not remove ${GWBRIDGE}: ${describe(err)}; remove it with \`docker network rm ${GWBRIDGE}\``);
        return false;
      }
      await sleep(200);
    }
  }
}

/** The network of exactly this name (the engine's name filter matches parts of names). */
export async function findNetwork(docker: Docker, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  const list = await docker.listNetworks({ filters: { name: [name] } });
  return list.find((n) => n.Name === name);
}
