import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkload, Workload } from '../../shared/plan';
import { connectDocker, type EngineConnection } from '../../electron/lab/docker/engine';
import { measureFootprint } from '../../electron/lab/footprint/measure';
import { medianOf } from '../../shared/stats';
import { cgroupOf, readCgroupMemory, sleep } from '../../electron/lab/footprint/proc';
import { ensureProbeImage, PROBE_IMAGE } from '../../electron/lab/images/probe';
import { LABEL_MANAGED, LABEL_OWNER_PID, LABEL_RUN } from '../../electron/lab/labels';
import { rawRuntimeUnavailable, RuncBundleDriver } from '../../electron/lab/targets/runc-bundle';
import { ContainerDriver } from '../../electron/lab/workloads/container-driver';
import { ProcessDriver } from '../../electron/lab/workloads/process-driver';
import { agreement, type Agreement, type MeanInterval } from '../helpers/agreement';
import { tempDataDir } from '../helpers/datadir';

const run = promisify(execFile);
const data = tempDataDir();
let conn: EngineConnection;
let docker: Docker;
const runId = `footprint-test-${process.pid}`;
const never = new AbortController().signal;
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

describe('footprint methods against the real engine', () => {
  it("reads a container's own cgroup memory, the same figure the engine's stats report", async () => {
    const d = new ContainerDriver({ conn, runId, runtime: 'runc', workload: sleepW });
    await d.prepare(never);
    const inst = await d.start(never);
    try {
      expect(inst.pid).toBeGreaterThan(1);
      expect(inst.cgroup).toBeDefined();
      expect(inst.cgroup!.memoryDir).toContain(inst.id);
      const ours = await readCgroupMemory(inst.cgroup!);
      const stats = (await docker.getContainer(inst.id).stats({ stream: false })) as { memory_stats: { usage: number } };
      expect(ours.usage).toBeGreaterThan(64 * 1024);
      // Both read the same kernel counter, a second apart (stats waits for a CPU sample): equal within 1 MiB.
      expect(Math.abs(ours.usage - stats.memory_stats.usage)).toBeLessThan(1024 * 1024);
      expect(ours.anon).toBeGreaterThan(0);
      expect(inst.cgroupCpuMs).toBeGreaterThan(0);
    } finally {
      await d.stop(inst);
    }
    expect(await ours()).toHaveLength(0);
  });

  it('finds the containerd shim outside the cgroup and reads its PSS from smaps_rollup', async () => {
    const d = new ContainerDriver({ conn, runId, runtime: 'runc', workload: sleepW });
    await d.prepare(never);
    const inst = await d.start(never);
    try {
      const helpers = await d.helperPids(inst);
      expect(helpers.length).toBeGreaterThanOrEqual(1);
      const comm = (await readFile(`/proc/${helpers[0]}/comm`, 'utf8')).trim();
      expect(comm).toMatch(/^containerd-shim/);
      const own = await cgroupOf(inst.pid!);
      const shimCg = await cgroupOf(helpers[0]);
      expect(shimCg?.memoryDir).not.toBe(own?.memoryDir);
    } finally {
      await d.stop(inst);
    }
  });

  it('measures image size, shared against unique layers, and the writable layer', async () => {
    const w = resolveWorkload(Workload.parse({ kind: 'custom', command: ['sh', '-c', 'dd if=/dev/zero of=/tmp/blob bs=1024 count=512 2>/dev/null; echo written; exec sleep 600'], readiness: { kind: 'log', pattern: '^written$' } }));
    const d = new ContainerDriver({ conn, runId, runtime: 'runc', workload: w });
    await d.prepare(never);
    const inst = await d.start(never);
    try {
      const disk = await d.disk(inst);
      const img = await docker.getImage(PROBE_IMAGE).inspect();
      expect(disk.imageBytes).toBe(img.Size);
      // The 512 KiB the workload wrote lands in its writable layer.
      expect(disk.writableLayerBytes).toBeGreaterThanOrEqual(512 * 1024);
      expect(disk.writableLayerBytes).toBeLessThan(2 * 1024 * 1024);
      expect(disk.sharedLayerBytes! + disk.uniqueLayerBytes!).toBe(img.Size);
    } finally {
      await d.stop(inst);
    }
  });

  it('reads PSS for the process floor and the cgroup of a raw OCI runtime container', async () => {
    const p = new ProcessDriver(sleepW);
    await p.prepare();
    const fp = await measureFootprint(p, { instances: 3, settleMs: 100, signal: never });
    expect(fp.memory.processPssBytes).toBeGreaterThan(16 * 1024);
    expect(fp.memory.cgroupBytes).toBeUndefined();
    expect(p.liveCount()).toBe(0);

    if (await rawRuntimeUnavailable('runc')) return;
    const r = new RuncBundleDriver({ runtime: 'runc', runId, root: data.dir, workload: sleepW });
    await r.prepare(never);
    try {
      const rf = await measureFootprint(r, { instances: 3, settleMs: 100, signal: never });
      expect(rf.memory.cgroupBytes).toBeGreaterThan(0);
      expect(rf.memory.helperPssBytes).toBe(0); // no shim: runc exits once the container runs
      expect(r.liveCount()).toBe(0);
    } finally {
      await r.dispose();
    }
  });

  it('host-side memory per idle container agrees with an independent MemAvailable check over 20 containers (95% intervals overlap, narrow enough to catch a 2x error)', async (ctx) => {
    // Both figures are the drop of the whole machine's MemAvailable, so other programs move them: one number each
    // against a fixed tolerance failed whenever the machine was busy (26% against 25% once, on a fresh CI run).
    // Instead each method is measured in rounds, and their 95% intervals of the mean must overlap, while being
    // narrow enough that a 2× error could not (test/helpers/agreement.ts). Rounds are added, up to MAX_ROUNDS,
    // until they are; intervals that do not overlap fail. A machine so busy that even MAX_ROUNDS leave them too
    // wide to tell a 2× error proves nothing either way: the test is then skipped, saying so, rather than passed.
    const N = 20;
    const MIN_ROUNDS = 4;
    const MAX_ROUNDS = 10;
    const d = new ContainerDriver({ conn, runId, runtime: 'runc', workload: sleepW });
    await d.prepare(never);
    const ours_: number[] = [];
    const independent: number[] = [];
    const raw: number[] = [];
    let fp: Awaited<ReturnType<typeof measureFootprint>> | undefined;
    const isolabRound = async () => {
      const r = await measureFootprint(d, { instances: N, settleMs: 1500, rounds: 1, signal: never });
      fp ??= r;
      ours_.push(r.memory.hostBytes!);
      expect(await ours()).toHaveLength(0);
    };
    // The independent check: the docker CLI, 20 sleeping containers, MemAvailable read by hand. On a busy host
    // the rest of the machine's churn is taken out by a different route than isolab's (see checkReading).
    const checkRound = async () => {
      await sleep(1500);
      const before = await checkReading();
      const ids: string[] = [];
      for (let i = 0; i < N; i++) {
        const { stdout } = await run('docker', ['run', '-d', '--network', 'none', '--runtime', 'runc', '--label', `${LABEL_MANAGED}=true`, '--label', `${LABEL_OWNER_PID}=${process.pid}`, '--label', `${LABEL_RUN}=${runId}`, PROBE_IMAGE, 'sleep', '3600']);
        ids.push(stdout.trim());
      }
      await sleep(1500);
      const loaded = await checkReading();
      await run('docker', ['rm', '-f', ...ids]);
      await sleep(1500);
      const after = await checkReading();
      raw.push(((before.available + after.available) / 2 - loaded.available) / N);
      independent.push(((before.corrected + after.corrected) / 2 - loaded.corrected) / N);
    };
    let verdict: Agreement | undefined;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // The two alternate, in turn first, so both see the same machine (other programs come and go).
      const t0 = Date.now();
      if (round % 2 === 0) await isolabRound().then(checkRound);
      else await checkRound().then(isolabRound);
      console.log(`round ${round + 1}: isolab ${(ours_.at(-1)! / 2 ** 20).toFixed(2)} MiB, independent ${(independent.at(-1)! / 2 ** 20).toFixed(2)} MiB per container (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      if (round + 1 >= MIN_ROUNDS && (verdict = agreement(ours_, independent)).strict) break;
    }
    expect(fp!.cpu.startupMs).toBeGreaterThan(0);
    expect(fp!.cpu.hostStartupMs).toBeGreaterThan(0);
    expect(fp!.memory.helperPssBytes).toBeGreaterThan(1024 * 1024);
    const v = verdict!;
    const mib = (xs: number[]) => xs.map((b) => (b / 2 ** 20).toFixed(2)).join(', ');
    const ci = (i: MeanInterval) => `${(i.mean / 2 ** 20).toFixed(2)} MiB [${(i.lo / 2 ** 20).toFixed(2)}, ${(i.hi / 2 ** 20).toFixed(2)}]`;
    const said = `host-side per container over ${v.a.n} rounds: isolab ${ci(v.a)} (rounds ${mib(ours_)}), independent ${ci(v.b)} (rounds ${mib(independent)}; plain MemAvailable drop ${mib(raw)}); cgroup ${(fp!.memory.cgroupBytes! / 2 ** 20).toFixed(2)} MiB, shim PSS ${(fp!.memory.helperPssBytes! / 2 ** 20).toFixed(2)} MiB, CPU to start ${fp!.cpu.startupMs!.toFixed(0)} ms (whole host ${fp!.cpu.hostStartupMs!.toFixed(0)} ms)`;
    console.log(said);
    expect(v.b.mean).toBeGreaterThan(0);
    expect(v.overlap, `the two disagree: ${said}`).toBe(true);
    if (!v.strict) ctx.skip(`inconclusive: this machine was too noisy for ${MAX_ROUNDS} rounds to tell a 2x error (${said})`);
  }, 1_800_000);
});

/**
 * MemAvailable, plain and with the rest of the machine's anonymous memory and page tables added back, by a
 * different route than isolab's: meminfo's AnonPages + PageTables less RssAnon + VmPTE (from /proc/PID/status,
 * not smaps_rollup) of the engine, the shims and the containers' workloads (found with `ps`).
 */
async function checkReading(): Promise<{ available: number; corrected: number }> {
  const related = async () => {
    const { stdout } = await run('ps', ['-e', '-o', 'pid=,ppid=,comm=']);
    const rows = stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)).map(([pid, ppid, comm]) => ({ pid, ppid, comm }));
    const shims = new Set(rows.filter((r) => r.comm.startsWith('containerd-shim')).map((r) => r.pid));
    let sum = 0;
    for (const r of rows.filter((x) => /^(dockerd|containerd|containerd-shim.*)$/.test(x.comm) || shims.has(x.ppid))) {
      const status = await readFile(`/proc/${r.pid}/status`, 'utf8').catch(() => '');
      for (const key of ['RssAnon', 'VmPTE']) sum += Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    }
    return sum;
  };
  const rel0 = await related();
  const avail: number[] = [];
  const corrected: number[] = [];
  for (let i = 0; i < 9; i++) {
    const mi = await readFile('/proc/meminfo', 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(mi)![1]) * 1024;
    avail.push(kb('MemAvailable'));
    corrected.push(kb('MemAvailable') + kb('AnonPages') + kb('PageTables'));
    await sleep(100);
  }
  const rel = (rel0 + (await related())) / 2;
  return { available: medianOf(avail)!, corrected: medianOf(corrected)! - rel };
}
