import type Docker from 'dockerode';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labMethods, LabEvent } from '../../shared/api';
import { AUDIENCE_METHODS } from '../../shared/api-channels';
import { SwarmStep } from '../../shared/api-swarm';
import { isSwarmNeedsConsent, type SwarmProgress } from '../../shared/swarm';
import { isJobRunning } from '../../shared/jobs';
import { audienceSees, dispatchForAudience } from '../../electron/audience';
import { JobManager } from '../../electron/lab/jobs/manager';
import { startSwarmJob, SwarmStore } from '../../electron/lab/swarm';
import type { Lab } from '../../electron/lab/lab';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempRoot(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'isolab-swarm-job-'));
  dirs.push(d);
  return d;
}

/** An engine in the given swarm state that records every call: the consent check must only read. */
function engine(state: 'inactive' | 'locked'): { docker: Docker; calls: string[] } {
  const calls: string[] = [];
  const record = (name: string, value: unknown = []) => async () => {
    calls.push(name);
    return value;
  };
  const docker = {
    info: record('info', { Swarm: { LocalNodeState: state, NodeID: '', ControlAvailable: false, Error: '' } }),
    listServices: record('listServices'),
    listNetworks: record('listNetworks'),
    listContainers: record('listContainers'),
    swarmInspect: async () => {
      calls.push('swarmInspect');
      throw Object.assign(new Error('This node is not a swarm manager.'), { statusCode: 503 });
    },
    swarmInit: record('swarmInit'),
    createNetwork: record('createNetwork'),
    createService: record('createService'),
  };
  return { docker: docker as unknown as Docker, calls };
}

describe('startSwarmJob (the one composition behind the CLI and startSwarm)', () => {
  it('refuses with swarm-needs-consent on an engine in no swarm without consent: no job, no document, nothing created', async () => {
    const root = tempRoot();
    const jobs = new JobManager();
    const { docker, calls } = engine('inactive');
    const store = new SwarmStore(root);
    const err = await startSwarmJob({ jobs, docker, endpoint: 'unix:///fake.sock', store, request: { replicas: 2, rounds: 1 } }).catch((e: unknown) => e);
    expect(isSwarmNeedsConsent(err)).toBe(true);
    expect((err as { code?: string }).code).toBe('swarm-needs-consent');
    expect(jobs.list()).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
    expect(calls.filter((c) => /Init|create/i.test(c))).toEqual([]);
  });

  it("refuses a swarm isolab cannot use with that swarm's code, and a bad request before touching the engine", async () => {
    const jobs = new JobManager();
    const locked = engine('locked');
    const err = await startSwarmJob({ jobs, docker: locked.docker, endpoint: 'e', store: new SwarmStore(tempRoot()), request: { createSwarm: true } }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/^swarm-locked:/);
    const idle = engine('inactive');
    await expect(startSwarmJob({ jobs, docker: idle.docker, endpoint: 'e', store: new SwarmStore(tempRoot()), request: { replicas: 3, scaleTo: 3 } })).rejects.toThrow(/scaleTo/);
    expect(idle.calls).toEqual([]);
  });

  it('runs one swarm bench at a time: a second is refused with job-running while one is under way', async () => {
    const jobs = new JobManager();
    let release!: () => void;
    jobs.start({ id: 'swarm-1', kind: 'swarm-bench', model: 'swarm' }, () => new Promise<void>((r) => (release = r)));
    const { docker, calls } = engine('inactive');
    const err = await startSwarmJob({ jobs, docker, endpoint: 'e', store: new SwarmStore(tempRoot()), request: { createSwarm: true } }).catch((e: unknown) => e);
    expect(isJobRunning(err)).toBe(true);
    expect(calls).toEqual([]);
    release();
  });
});

describe('the Swarm API', () => {
  it('takes a request as the UI sends it, with consent or without, and refuses a scale-out that does not grow', () => {
    expect(labMethods.startSwarm.args.safeParse([{ replicas: 2, scaleTo: 3, rounds: 1 }]).success).toBe(true);
    expect(labMethods.startSwarm.args.safeParse([{ replicas: 2, rounds: 1, createSwarm: true }]).success).toBe(true);
    expect(labMethods.startSwarm.args.safeParse([{ replicas: 2, scaleTo: 2 }]).success).toBe(false);
    expect(labMethods.startSwarm.args.safeParse([{ replicas: 0 }]).success).toBe(false);
    expect(labMethods.getSwarm.args.safeParse(['']).success).toBe(false);
  });

  it('has events for the progress and the end, whose steps are the engine’s', () => {
    const steps: Record<SwarmProgress['step'], true> = { prepare: true, 'swarm-init': true, bare: true, create: true, scale: true, cleanup: true, 'bare-cleanup': true, 'swarm-leave': true, done: true };
    expect([...SwarmStep.options].sort()).toEqual(Object.keys(steps).sort());
    expect(LabEvent.safeParse({ type: 'swarm-progress', swarmId: 's', step: 'create', round: 1, rounds: 2, warmup: false, running: 1, wanted: 2 }).success).toBe(true);
    expect(LabEvent.safeParse({ type: 'swarm-finished', swarmId: 's', status: 'complete' }).success).toBe(true);
    expect(LabEvent.safeParse({ type: 'swarm-progress', swarmId: 's', step: 'reboot' }).success).toBe(false);
  });

  it('lets the audience follow and read a swarm bench, never start one', async () => {
    expect(AUDIENCE_METHODS).not.toContain('startSwarm');
    expect(audienceSees({ type: 'swarm-progress', swarmId: 's', step: 'create' })).toBe(true);
    expect(audienceSees({ type: 'swarm-finished', swarmId: 's', status: 'complete' })).toBe(true);
    let called = false;
    const lab = { startSwarm: async () => ((called = true), { id: 'x' }) } as unknown as Lab;
    await expect(dispatchForAudience(lab, 'startSwarm', [{ replicas: 1 }])).rejects.toThrow(/not allowed for a read-only viewer/);
    expect(called).toBe(false);
  });
});
