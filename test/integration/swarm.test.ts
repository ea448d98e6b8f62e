import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwarmDoc, timelineIssues, TASK_STATES } from '../../shared/swarm';
import { connectDocker } from '../../electron/lab/docker/engine';
import { PROBE_IMAGE } from '../../electron/lab/images/probe';
import { Lab } from '../../electron/lab/lab';
import { GWBRIDGE, isRole, LABEL_TASK_SERVICE, swarmLabels } from '../../electron/lab/swarm/labels';
import { runSwarm } from '../../electron/lab/swarm';
import { serviceSpec } from '../../electron/lab/swarm/service';
import { findNetwork, gwbridgeRequest, initRequest, leaveSwarm, removeGwbridge, swarmInfo } from '../../electron/lab/swarm/state';
import { isolab } from '../helpers/cli';
import { tempDataDir } from '../helpers/datadir';

/**
 * The Swarm model on the real engine. This file and test/e2e/swarm.test.ts (the UI's consent path; the suites run
 * one after another) are the only ones that put the shared engine in a swarm: each
 * creates a single-node swarm (with the consent flag), keeps it for seconds, and leaves the engine as it found
 * it: no swarm, no service, no container, no ingress, no docker_gwbridge it did not find.
 */
const data = tempDataDir();
let docker: Docker;
/** A pid far above any real one on Linux (pid_max is at most 2^22): an isolab that crashed. */
const dead = { pid: 2 ** 22 + 12345, host: os.hostname() };

interface Snapshot {
  swarm: string;
  networks: string[];
  bridgeLink: boolean;
}

async function snapshot(): Promise<Snapshot> {
  return {
    swarm: (await swarmInfo(docker)).LocalNodeState,
    networks: (await docker.listNetworks()).map((n) => n.Name).sort(),
    bridgeLink: readdirSync('/sys/class/net').includes(GWBRIDGE),
  };
}
let before: Snapshot;

beforeAll(async () => {
  docker = (await connectDocker()).docker;
  const info = await swarmInfo(docker);
  // Never run on someone else's swarm: this file's runs would use it, and its end would not be the engine as found.
  if (info.LocalNodeState !== 'inactive') {
    throw new Error(
      `the Docker engine is in a swarm (${info.LocalNodeState}) that these tests did not create: they create their own ` +
        'single-node swarm and leave it, so they refuse to run here. Leave that swarm (`docker swarm leave`) or point DOCKER_HOST at another engine.',
    );
  }
  before = await snapshot();
});

afterAll(async () => {
  // A safety net only: the runs above restore the engine themselves, and the tests assert that they did.
  const info = await swarmInfo(docker).catch(() => undefined);
  if (info?.LocalNodeState === 'active') {
    const swarm = (await docker.swarmInspect().catch(() => undefined)) as { Spec?: { Labels?: Record<string, string> } } | undefined;
    if (isRole(swarm?.Spec?.Labels, 'swarm')) await leaveSwarm(docker).catch(() => {});
  }
  await removeGwbridge(docker).catch(() => {});
  data.cleanup();
});

async function expectAsFound(runId?: string): Promise<void> {
  expect(await snapshot()).toEqual(before);
  if (runId) expect(await docker.listContainers({ all: true, filters: { label: [`isolab.run=${runId}`] } })).toEqual([]);
}

describe('the Swarm model on the real engine', () => {
  it('creates no swarm without consent, and says how to give it', async () => {
    const r = await isolab('bench', 'swarm', '--replicas', '1', '--rounds', '1', '--warmup', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is in no swarm/);
    expect(r.stderr).toMatch(/--create-swarm/);
    expect(existsSync(path.join(data.dir, 'swarm'))).toBe(false); // nothing measured, nothing saved
    await expectAsFound();
  });

  it('times a service 3 → 5 against 3 bare containers, task by task, and leaves the engine as found', async () => {
    // Watches the run from outside: what the task containers really are while they run.
    const seen: Docker.ContainerInspectInfo[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching && !seen.length) {
        const tasks = await docker.listContainers({ filters: { label: [`isolab.swarm.role=task`, `isolab.owner-pid=${process.pid}`] } });
        // A container may go between the list and the inspect: look again.
        const info = tasks[0] && (await docker.getContainer(tasks[0].Id).inspect().catch(() => undefined));
        if (info) seen.push(info);
        else await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const r = await isolab('bench', 'swarm', '--replicas', '3', '--scale-to', '5', '--rounds', '1', '--warmup', '0', '--create-swarm', '--json');
    watching = false;
    await watcher;
    expect(r.code, r.stderr).toBe(0);
    const doc = SwarmDoc.parse(JSON.parse(r.stdout));
    expect(doc.status).toBe('complete');
    expect(doc.swarm).toMatchObject({ found: 'inactive', created: true, restored: true, gwbridge: before.networks.includes(GWBRIDGE) ? 'existed' : 'created' });

    // The tasks: the probe image by ID (no node asks a registry for it), the host network, isolab's labels.
    expect(seen).toHaveLength(1);
    const task = seen[0];
    expect(task.Config.Image).toBe(doc.image?.id);
    expect(doc.image?.ref).toBe(PROBE_IMAGE);
    expect(task.HostConfig.NetworkMode).toBe('host');
    expect(task.Config.Labels).toMatchObject({ 'isolab.managed': 'true', 'isolab.run': doc.id, 'isolab.swarm.role': 'task' });
    expect(task.Config.Labels[LABEL_TASK_SERVICE]).toBe(doc.rounds[0].service?.id);

    const round = doc.rounds[0];
    const create = round.service!.create!;
    const scale = round.service!.scale!;
    expect(create.tasks).toHaveLength(3);
    expect(scale.tasks).toHaveLength(2);
    for (const t of [...create.tasks, ...scale.tasks]) {
      // swarmkit's order on the engine's clock, from new to running, with the container created and started between.
      expect(timelineIssues(t), JSON.stringify(t)).toEqual([]);
      const names = t.marks.map((m) => m.name);
      expect(names[0]).toBe('new');
      expect(names).toContain('running');
      expect(names).toContain('containerCreated');
      expect(names).toContain('containerStarted');
      const states = names.filter((n) => (TASK_STATES as readonly string[]).includes(n));
      expect(states.length + t.missed.length).toBeGreaterThanOrEqual(8); // new, running and each of the six between: seen or said missed
    }
    // The whole phase on each clock: all running after every task's own running, on the engine's clock.
    expect(create.engineMs).toBeGreaterThanOrEqual(Math.max(...create.tasks.map((t) => t.marks.find((m) => m.name === 'running')!.ms)) - 1);
    expect(create.isolabMs).toBeGreaterThanOrEqual(create.callMs);
    expect(scale.isolabMs).toBeGreaterThanOrEqual(scale.callMs);
    expect(round.service!.cleanup).toMatchObject({ containers: 5 });
    expect(round.service!.cleanup!.isolabMs).toBeGreaterThanOrEqual(round.service!.cleanup!.stoppedMs!);
    expect(round.bare?.containers).toHaveLength(3);
    for (const c of round.bare!.containers) {
      expect(c.startMs).toBeGreaterThan(c.createMs);
      expect(c.engineMs).toBeGreaterThan(0);
    }
    expect(doc.summary?.service.taskCreateToRunning.n).toBe(3);
    expect(doc.summary?.scale?.taskCreateToRunning.n).toBe(2);
    expect(doc.summary?.ratios?.perInstance.ratio).toBeGreaterThan(0);

    // Saved, whole, where the CLI said.
    expect(readdirSync(path.join(data.dir, 'swarm'))).toEqual([`${doc.id}.json`]);
    await expectAsFound(doc.id);
  });

  it('cancelled in the middle of a scale-out, removes what it created and leaves the swarm it created', async () => {
    const conn = await connectDocker();
    const abort = new AbortController();
    const doc = await runSwarm({
      docker: conn.docker,
      endpoint: conn.endpoint,
      request: { replicas: 2, scaleTo: 4, rounds: 1, warmup: 0, bare: false, createSwarm: true },
      signal: abort.signal,
      onProgress: (p) => p.step === 'scale' && abort.abort(),
    });
    expect(doc.status).toBe('cancelled');
    expect(doc.rounds[0].service?.create?.tasks).toHaveLength(2); // what was measured before the cancel is kept
    expect(doc.swarm).toMatchObject({ created: true, restored: true });
    await expectAsFound(doc.id);
  });

  it("undoes what a crashed run left (its service, the swarm and bridge it created) at the next isolab start", async () => {
    // The engine as a swarm run that died mid-way leaves it, owned by a process that is gone.
    const runId = 'crashed-swarm-run';
    await docker.createNetwork({ ...gwbridgeRequest(runId), Labels: swarmLabels(runId, 'gwbridge', dead) });
    await docker.swarmInit({ ...initRequest(runId), Spec: { Labels: swarmLabels(runId, 'swarm', dead) } });
    const image = await docker.getImage(PROBE_IMAGE).inspect();
    const spec = serviceSpec({ name: 'isolab-crashed-swarm-run', runId, imageId: image.Id, replicas: 1, nodeId: (await swarmInfo(docker)).NodeID });
    // Its service is the dead run's; its task's container keeps this process's labels, so that no other isolab's
    // container sweep (other test files, other checkouts on this machine) takes it first: the swarm sweep must.
    spec.Labels = swarmLabels(runId, 'service', dead);
    const { id: ID } = await docker.createService(spec);
    for (const deadline = Date.now() + 60_000; ; ) {
      const running = await docker.listContainers({ filters: { label: [`${LABEL_TASK_SERVICE}=${ID}`] } });
      if (running.length) break;
      if (Date.now() > deadline) {
        const tasks = await docker.listTasks({ filters: { service: [ID] } });
        throw new Error(`the crashed run's task never ran: ${JSON.stringify(tasks.map((t: { Status?: unknown }) => t.Status))}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await findNetwork(docker, GWBRIDGE)).toBeTruthy();

    // The next isolab start (any face) sweeps before anything else.
    await new Lab('cli', data.dir).init();

    expect((await swarmInfo(docker)).LocalNodeState).toBe('inactive');
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_TASK_SERVICE}=${ID}`] } })).toEqual([]);
    await expectAsFound(runId);
  });
});
