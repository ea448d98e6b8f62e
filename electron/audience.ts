import os from 'node:os';
import { AUDIENCE_EVENTS, AUDIENCE_METHODS } from '../shared/api-channels';
import { isLabMethod, type LabEvent, type LabInfo, type LabMethodName } from '../shared/api';
import type { JobKind } from '../shared/jobs';
import type { RunListItem, RunScan } from '../shared/run';
import { BridgeError, dispatch } from './bridge';
import type { Lab } from './lab/lab';

/**
 * Browser mode's audience role: what a workshop audience may call and which events it receives. The audience
 * sees the workshop, the engine's status and the saved local results; never the SSH inventory (hosts, their
 * runs, whose ids and plans carry user@host:port and key paths), never the data directory, never an action.
 */

const methods: ReadonlySet<string> = new Set(AUDIENCE_METHODS);
const events: ReadonlySet<LabEvent['type']> = new Set<LabEvent['type']>(AUDIENCE_EVENTS);

const HOST_JOB_KINDS: ReadonlySet<JobKind> = new Set<JobKind>(['host-bench', 'host-probe', 'fleet']);

/** Run ids are `<stamp>-<slug>-<rand>` (store.ts newRunId); a host's runs take the slug `host-<target>`. */
const HOST_RUN_ID = /^\d{8}T\d{9}Z-host-/;

export function isHostRunId(id: string): boolean {
  return HOST_RUN_ID.test(id);
}

/** A run of a remote host, by its list entry or document: the same test as the engine's listHostRuns. */
export function isHostRun(run: Pick<RunListItem, 'id' | 'kind' | 'model'>): boolean {
  return run.kind === 'bench:host' || run.model.startsWith('host:') || isHostRunId(run.id);
}

/** Whether an event goes to the audience: listed types only, and no run of a remote host. */
export function audienceSees(event: LabEvent): boolean {
  if (!events.has(event.type)) return false;
  if ('runId' in event && typeof event.runId === 'string' && isHostRunId(event.runId)) return false;
  if ('model' in event && typeof event.model === 'string' && event.model.startsWith('host:')) return false;
  if ('kind' in event && event.kind !== undefined && HOST_JOB_KINDS.has(event.kind)) return false;
  return true;
}

/**
 * An event as the audience receives it, or undefined when it does not: a run the disk could not take is
 * reported without the paths where it should have gone and where it went (they name the data directory).
 */
export function audienceEvent(event: LabEvent): LabEvent | undefined {
  if (!audienceSees(event)) return undefined;
  if (event.type === 'run-finished' && event.notSaved) {
    const { notSaved: _paths, ...rest } = event;
    return rest;
  }
  return event;
}

/** `info` for the audience: the engine's status and the version, without the data directory, machine name or id. */
export function audienceInfo(info: LabInfo): LabInfo {
  const { dataDir: _dataDir, ...rest } = info;
  const { hostname: _hostname, machineId: _machineId, ...host } = info.host;
  const docker: LabInfo['docker'] = info.docker.ok ? { ok: true, engine: { ...info.docker.engine, endpoint: undefined } } : info.docker;
  // Jobs on remote hosts name them (user@host in their ids and models): the presenter's alone.
  const activeJobs = info.activeJobs.filter((j) => !HOST_JOB_KINDS.has(j.kind) && !isHostRunId(j.id) && !j.model?.startsWith('host:'));
  return { ...rest, host, docker, activeRuns: info.activeRuns.filter((id) => !isHostRunId(id)), activeJobs };
}

const denied = (method: string) => new BridgeError(`${method} is not allowed for a read-only viewer`);

/** The audience's gate: the method must be on its list, then the usual contract check, then the result is trimmed. */
export async function dispatchForAudience(lab: Lab, method: unknown, args: unknown): Promise<unknown> {
  if (!isLabMethod(method)) return dispatch(lab, method, args); // refused there as an unknown method
  if (!methods.has(method)) throw denied(method);
  const id = Array.isArray(args) && typeof args[0] === 'string' ? args[0] : undefined;
  if ((method === 'getRun' || method === 'exportRun') && id !== undefined && isHostRunId(id)) throw denied(`${method} of a host's run`);
  let result: unknown;
  try {
    result = await dispatch(lab, method, args);
  } catch (err) {
    throw withoutPaths(err, [lab.root, os.homedir()]);
  }
  return trim(method, result);
}

/**
 * An error as the audience reads it: the stores name the data directory ("no run with id X in /home/…/runs"),
 * which the audience is never told. Each path becomes a neutral word; the error keeps its class and the rest.
 */
export function withoutPaths(err: unknown, paths: string[]): unknown {
  if (!(err instanceof Error)) return err;
  let message = err.message;
  // Longest first: the data dir usually lies under the home directory.
  for (const p of [...paths].filter((x) => x.length > 1).sort((a, b) => b.length - a.length)) message = message.split(p).join(p === paths[0] ? '<data directory>' : '~');
  err.message = message;
  return err;
}

function trim(method: LabMethodName, result: unknown): unknown {
  switch (method) {
    case 'info':
      return audienceInfo(result as LabInfo);
    case 'listRuns':
      return (result as RunListItem[]).filter((r) => !isHostRun(r));
    case 'scanRuns': {
      // The runs the audience may see; not the data directory or the names of the files in it.
      const scan = result as RunScan;
      return { runs: scan.runs.filter((r) => !isHostRun(r)), skipped: [], dir: '' } satisfies RunScan;
    }
    case 'getRun': {
      const run = result as RunListItem;
      if (isHostRun(run)) throw denied("getRun of a host's run");
      return run;
    }
    default:
      return result;
  }
}
