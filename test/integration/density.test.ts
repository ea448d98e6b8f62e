import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DensityResult } from '../../shared/compare';
import { resolveWorkload, Workload } from '../../shared/plan';
import { connectDocker, type EngineConnection } from '../../electron/lab/docker/engine';
import { runDensity } from '../../electron/lab/density/run';
import { ensureProbeImage } from '../../electron/lab/images/probe';
import { LABEL_RUN } from '../../electron/lab/labels';
import { rawRuntimeUnavailable, RuncBundleDriver } from '../../electron/lab/targets/runc-bundle';
import { ContainerDriver } from '../../electron/lab/workloads/container-driver';
import { sweepProcesses, PROCESS_MARKER, PROCESS_OWNER } from '../../electron/lab/workloads/process-sweep';
import { spawn } from 'node:child_process';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
let conn: EngineConnection;
let docker: Docker;
const runId = `density-test-${process.pid}`;
const sleepW = resolveWorkload(Workload.parse({ kind: 'sleep' }));
const ours = () => docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });

beforeAll(async () => {
  conn = await connectDocker();
  docker = conn.docker;
  await ensureProbeImage(docker);
});
afterAll(async () => {
  for (const c of await ours()) await docker.getContainer(c.Id).remove({ force: true });
  data.cleanup();
});

describe('density against the real engine', () => {
  it('holds 1, 2, 4, 8 containers, records latency against the number running, and leaves nothing behind', async () => {
    const d = new ContainerDriver({ conn, runId, runtime: 'runc', workload: sleepW });
    await d.prepare(new AbortController().signal);
    let peak = 0;
    const r = await runDensity(d, {
      maxInstances: 8, timeLimitS: 120, concurrency: 2, settleMs: 300, signal: new AbortController().signal,
      onProgress: () => void ours().then((l) => (peak = Math.max(peak, l.length))),
    });
    expect(DensityResult.safeParse(r).success).toBe(true);
    expect(r.stoppedBy).toBe('count');
    expect(r.steps.map((s) => s.count)).toEqual([1, 2, 4, 8]);
    expect(r.points).toHaveLength(8);
    // With two at a time, pairs start with the same number already running.
    expect(r.points.map((p) => p.running)).toEqual([0, 1, 2, 2, 4, 4, 6, 6]);
    for (const p of r.points) expect(p.latencyMs).toBeGreaterThan(0);
    for (const s of r.steps) expect(Number.isFinite(s.memPerNewInstanceBytes)).toBe(true);
    expect(peak).toBeGreaterThanOrEqual(4); // they were really held running
    expect(r.leftBehind).toBe(0);
    expect(await ours()).toHaveLength(0);
    console.log(JSON.stringify(r.steps.map((s) => ({ count: s.count, medianMs: +s.medianLatencyMs.toFixed(1), perNewMiB: +(s.memPerNewInstanceBytes / 2 ** 20).toFixed(2) }))));
  });

  it('stops at the memory budget', async () => {
    const d = new ContainerDriver({ conn, runId, runtime: 'runc', workload: sleepW });
    await d.prepare(new AbortController().signal);
    // A budget of 1 MiB is crossed by the first few containers (each costs a few MiB on the host).
    const r = await runDensity(d, { maxInstances: 64, memoryBudgetMiB: 1, timeLimitS: 60, concurrency: 1, settleMs: 300, signal: new AbortController().signal });
    expect(['memory', 'count']).toContain(r.stoppedBy);
    expect(r.steps.at(-1)!.count).toBeLessThan(64);
    expect(await ours()).toHaveLength(0);
  });

  it('leaves no runtime containers and no bundle behind for the raw OCI runtime', async () => {
    if (await rawRuntimeUnavailable('runc')) return;
    const d = new RuncBundleDriver({ runtime: 'runc', runId, root: data.dir, workload: sleepW });
    await d.prepare(new AbortController().signal);
    const r = await runDensity(d, { maxInstances: 4, timeLimitS: 60, concurrency: 1, settleMs: 200, signal: new AbortController().signal });
    await d.dispose();
    expect(r.steps.map((s) => s.count)).toEqual([1, 2, 4]);
    const left = execFileSync('runc', ['list', '-q']).toString().split('\n').filter((id) => id.startsWith(`isolab-${process.pid}-`));
    expect(left).toEqual([]);
    const bundles = path.join(data.dir, 'bundles');
    expect(existsSync(bundles) ? readdirSync(bundles) : []).toEqual([]);
  });

  it("ends the process floor's instances a crashed isolab left, and nothing else", async () => {
    // A dead owner: a pid that was just used and has exited.
    const gone = spawn('true');
    await new Promise((r) => gone.once('close', r));
    const orphan = spawn('/bin/busybox', ['sleep', '600'], { env: { [PROCESS_MARKER]: 'true', [PROCESS_OWNER]: String(gone.pid) }, stdio: 'ignore' });
    const mine = spawn('/bin/busybox', ['sleep', '600'], { env: { [PROCESS_MARKER]: 'true', [PROCESS_OWNER]: String(process.pid) }, stdio: 'ignore' });
    const foreign = spawn('/bin/busybox', ['sleep', '600'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    try {
      const killed = await sweepProcesses();
      expect(killed).toContain(orphan.pid);
      expect(killed).not.toContain(mine.pid);
      expect(killed).not.toContain(foreign.pid);
    } finally {
      for (const c of [orphan, mine, foreign]) c.kill('SIGKILL');
    }
  });
});
