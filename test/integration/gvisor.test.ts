import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkload, Workload } from '../../shared/plan';
import { Comparison } from '../../shared/compare';
import { kernelVerdict } from '../../shared/learn/verdict';
import type { EngineConnection } from '../../electron/lab/docker/engine';
import { CONTAINER_OWNER_ENV, endContainerLeftovers, sweepContainerLeftovers } from '../../electron/lab/docker/runsc-leftovers';
import { allPids, commandName, processArgv } from '../../electron/lab/footprint/proc';
import { ensureProbeImage, PROBE_IMAGE } from '../../electron/lab/images/probe';
import { containerFacts } from '../../electron/lab/isolation/container';
import { hostProcessView } from '../../electron/lab/isolation/host';
import { ownerLabels } from '../../electron/lab/labels';
import { runscStateDir } from '../../electron/lab/oci/runsc';
import { ContainerTarget } from '../../electron/lab/targets/container';
import { bundlesDir, RuncBundleDriver, sweepBundles } from '../../electron/lab/targets/runc-bundle';
import { ContainerDriver } from '../../electron/lab/workloads/container-driver';
import { startPrivateDockerd, type PrivateDockerd } from '../fixtures/private-dockerd';
import { tempDataDir } from '../helpers/datadir';

/**
 * gVisor for real: runsc registered in a private dockerd (never the shared one) by .ci/run's own script, as it
 * registers it in the system's, and runsc run straight on isolab's bundle. A start that fails under runsc is made on purpose with a
 * program the image does not have: runsc then leaves its containerd shim running after the container is gone.
 */
const RUNSC = '/usr/bin/runsc';
const data = tempDataDir();
let engine: PrivateDockerd;
let conn: EngineConnection;
const runId = `gvisor-test-${process.pid}`;
const never = new AbortController().signal;
const missing = resolveWorkload(Workload.parse({ kind: 'custom', command: ['/nonexistent'], readiness: { kind: 'exit' }, timeoutMs: 60_000 }));

beforeAll(async () => {
  expect(existsSync(RUNSC), 'runsc is not installed: `apt-get install runsc` (.ci/run does)').toBe(true);
  // Started as .ci/run starts the shared engine (crun by a flag), with runsc registered plainly under another name
  // (gVisor's default network: see electron/lab/oci/runsc.ts); then .ci/run's script registers runsc and reloads it.
  engine = await startPrivateDockerd({ config: { runtimes: { 'runsc-default': { path: RUNSC } } }, args: ['--add-runtime', 'crun=/usr/bin/crun'] });
  conn = { docker: engine.docker, endpoint: engine.host };
  expect(ciRegister()).toBe('reload');
  process.kill(engine.pid()!, 'SIGHUP');
  for (const deadline = Date.now() + 20_000; !(await engine.docker.info()).Runtimes?.runsc && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
  await ensureProbeImage(engine.docker);
}, 300_000);

afterAll(async () => {
  await engine?.destroy();
  data.cleanup();
}, 120_000);

/** Processes of the private engine's containers: its shims and what runs below them (gVisor's sandboxes and gofers). */
async function engineProcesses(): Promise<{ pid: number; name: string; argv: string[] }[]> {
  const out: { pid: number; name: string; argv: string[] }[] = [];
  for (const pid of await allPids()) {
    const argv = await processArgv(pid);
    if (!argv?.join(' ').includes(`${engine.dir}/exec/`)) continue;
    const name = (await commandName(pid)) ?? '';
    if (/^(containerd-shim|runsc)/.test(name)) out.push({ pid, name, argv });
  }
  return out;
}

/**
 * The engine's processes once containerd has cleaned up after the shims that were ended (it runs `shim delete` and
 * `runsc delete` for each, a moment later): empty when nothing is left.
 */
async function settledProcesses(): Promise<{ pid: number; name: string; argv: string[] }[]> {
  // 30 s: on a busy 2-core CI machine gVisor's sandbox and gofer took over 15 s to exit after their container.
  for (const deadline = Date.now() + 30_000; ; ) {
    const left = await engineProcesses();
    if (!left.length || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A container that fails to start under runsc (its program is missing), removed as isolab removes it. */
async function failedRunscStart(env: string[]): Promise<string> {
  const c = await engine.docker.createContainer({ Image: PROBE_IMAGE, Cmd: ['/nonexistent'], Labels: ownerLabels(runId), Env: env, HostConfig: { NetworkMode: 'none', Runtime: 'runsc' } });
  await expect(c.start()).rejects.toThrow(/nonexistent/);
  await c.remove({ force: true });
  return c.id;
}

/** `.ci/docker-runtimes.mjs --pid PID` on the private engine, as .ci/run runs it on the shared one. */
const ciRegister = () =>
  execFileSync(process.execPath, ['.ci/docker-runtimes.mjs', '--pid', String(engine.pid())], { env: { ...process.env, DOCKER_HOST: engine.host }, encoding: 'utf8' }).trim();

const deadPid = () => {
  const child = spawn('true');
  return new Promise<number>((resolve) => child.once('exit', () => resolve(child.pid!)));
};

describe('.ci/run registering runsc in a running dockerd', () => {
  it('made the engine list runsc with --network=none, kept the flag-registered and file runtimes, and is idempotent', async () => {
    const runtimes = (await engine.docker.info()).Runtimes as Record<string, { path?: string; runtimeArgs?: string[] }>;
    expect(runtimes.runsc).toEqual({ path: RUNSC, runtimeArgs: ['--network=none'] });
    expect(runtimes.crun).toEqual({ path: '/usr/bin/crun' });
    expect(runtimes['runsc-default']).toEqual({ path: RUNSC });
    expect(ciRegister()).toBe('ok');
  });
});

describe('container:runsc through the engine', () => {
  it("starts the probe in gVisor's sandbox: its output, its own kernel and kernel log", async () => {
    const target = new ContainerTarget({ conn, runId, runtime: 'runsc', networkMode: 'none' });
    await target.prepare(never);
    const marks = await target.iterate({ iteration: 0, warmup: false, signal: never, onPhase: () => {} });
    expect(marks.firstOutput).toBeGreaterThan(0);
    expect(marks.remove).toBeGreaterThan(marks.exit);
    await target.dispose();

    const view = await containerFacts(conn, { runId, signal: never, runtime: 'runsc' });
    const host = await hostProcessView();
    // The Sentry answers uname with a release of its own, and its kernel log starts as gVisor's does.
    expect(view.kernel?.release).toBeDefined();
    expect(view.kernel!.release).not.toBe(host.kernel?.release);
    expect(view.dmesg?.join('\n')).toMatch(/Starting gVisor/);
    expect(kernelVerdict(host, view, view.engine)).toMatchObject({ code: 'userKernel', evidence: ['runtimeName', 'dmesg'] });
    expect(await settledProcesses()).toEqual([]);
  });

  it("counts gVisor's sandbox (the Sentry), its gofer and the shim as the runtime's own processes", async () => {
    const d = new ContainerDriver({ conn, runId, runtime: 'runsc', workload: resolveWorkload(Workload.parse({ kind: 'ready-line' })) });
    await d.prepare(never);
    const inst = await d.start(never);
    try {
      expect(inst.marks.ready).toBeGreaterThan(0);
      const helpers = await d.helperPids(inst);
      const names = new Set(await Promise.all(helpers.map((p) => commandName(p))));
      for (const own of ['containerd-shim-runc-v2', 'runsc-sandbox', 'runsc-gofer']) expect(names, own).toContain(own);
      // Anything else is a runsc command the shim is running at that instant (state, events: named `exe` while runsc
      // re-executes itself), the runtime's own too; never the workload's.
      for (const name of names) expect(['containerd-shim-runc-v2', 'runsc-sandbox', 'runsc-gofer', 'runsc', 'exe'], name).toContain(name);
      // The engine's pid for a gVisor container is the Sentry: a helper, not the workload.
      expect(helpers).toContain(inst.pid);
    } finally {
      await d.stop(inst);
    }
    await d.dispose();
  });

  it('leaves no shim, sandbox or gofer behind when a start fails (driver and bench target)', async () => {
    const d = new ContainerDriver({ conn, runId, runtime: 'runsc', workload: missing });
    await d.prepare(never);
    await expect(d.start(never)).rejects.toThrow(/container:runsc: .*nonexistent/);
    expect(d.liveCount()).toBe(0);
    expect(await settledProcesses()).toEqual([]);

    const target = new ContainerTarget({ conn, runId, runtime: 'runsc', cmd: ['/nonexistent'] });
    await target.prepare(never);
    await expect(target.iterate({ iteration: 0, warmup: false, signal: never, onPhase: () => {} })).rejects.toThrow(/nonexistent/);
    expect(await settledProcesses()).toEqual([]);
    expect(await engine.docker.listContainers({ all: true })).toEqual([]);
  });

  it('says what to do when gVisor refuses its default network, and leaves its sandbox and gofer behind no more', async () => {
    // On kernels that show /proc/sys/net/core/rmem_default in every network namespace (this one), a runsc of 2022
    // registered without runtimeArgs cannot start anything; on older kernels it starts, and that is fine too.
    const d = new ContainerDriver({ conn, runId, runtime: 'runsc-default', workload: resolveWorkload(Workload.parse({ kind: 'true' })) });
    await d.prepare(never);
    const outcome = await d.start(never).then(() => 'started', (err: Error) => err.message);
    if (outcome !== 'started') expect(outcome).toMatch(/cannot run with network enabled in root network namespace.*"runtimeArgs": \["--network=none"\]/);
    expect(await settledProcesses()).toEqual([]);
    await d.dispose();
  });

  it('the sweep ends what a failed start of a dead isolab left, and nothing of a live one', async () => {
    const shimOf = async (id: string) => (await engineProcesses()).filter((p) => p.name.startsWith('containerd-shim') && p.argv.includes(id));
    const planted: string[] = [];
    // What the issue saw: the container is gone, its shim runs on. Most failed starts leave one; on a busy machine a
    // shim sometimes ends by itself first, so a start is tried again until one does (each one planted is ended below).
    const leftShim = async (env: string[]) => {
      for (let attempt = 0; attempt < 4; attempt++) {
        const id = await failedRunscStart(env);
        planted.push(id);
        if ((await shimOf(id)).length === 1) return id;
      }
      throw new Error('four failed runsc starts in a row left no shim: the leftover this test sweeps could not be made');
    };
    try {
      const gone = await leftShim([`${CONTAINER_OWNER_ENV}=${os.hostname()}:${await deadPid()}`]);
      const alive = await leftShim([`${CONTAINER_OWNER_ENV}=${os.hostname()}:1`]);
      const unmarked = await leftShim([]);

      const ended = await sweepContainerLeftovers();
      // The sweep signals; on a busy machine the shim takes a moment to exit.
      await expect.poll(() => shimOf(gone), { timeout: 15_000, interval: 200 }).toEqual([]);
      expect(ended.length).toBeGreaterThanOrEqual(1);
      expect(await shimOf(alive)).toHaveLength(1);
      expect(await shimOf(unmarked)).toHaveLength(1);

      // By id (what a failed start does at once): these two end as well.
      expect((await endContainerLeftovers([alive, unmarked])).length).toBeGreaterThanOrEqual(2);
      expect(await settledProcesses()).toEqual([]);
    } finally {
      // Whatever this test planted ends with it, so a failure here leaves the next tests a clean engine.
      await endContainerLeftovers(planted).catch(() => []);
    }
  });
});

describe('oci:runsc straight on the bundle', () => {
  const readyLine = resolveWorkload(Workload.parse({ kind: 'ready-line' }));
  const gvisorOf = async (bundle: string) => (await allPids().then((ps) => Promise.all(ps.map(async (pid) => ({ pid, argv: await processArgv(pid) })))))
    .filter((p) => p.argv && /^runsc/.test(p.argv[0]) && p.argv.some((a) => a.includes(bundle)));

  it('starts the workload, counts the Sentry and the gofer as helpers, and deletes it all', async () => {
    const d = new RuncBundleDriver({ runtime: 'runsc', runId, root: data.dir, workload: readyLine });
    await d.prepare(never);
    const inst = await d.start(never);
    const bundle = path.join(bundlesDir(data.dir), readdirSync(bundlesDir(data.dir))[0], inst.id);
    try {
      expect(inst.marks.ready).toBeGreaterThan(0);
      const helpers = await d.helperPids(inst);
      expect(new Set(await Promise.all(helpers.map((p) => commandName(p))))).toEqual(new Set(['runsc-sandbox', 'runsc-gofer']));
      expect(helpers).toContain(inst.pid);
      // Its state lives under isolab's data dir, not the host's /var/run/runsc.
      expect(readdirSync(runscStateDir(data.dir)).some((f) => f.includes(inst.id))).toBe(true);
    } finally {
      await d.stop(inst);
    }
    expect(await gvisorOf(bundle)).toEqual([]);
    const env = await d.environment();
    expect(env.ociRuntime?.version).toMatch(/runsc version/);

    const once = new RuncBundleDriver({ runtime: 'runsc', runId, root: data.dir, workload: resolveWorkload(Workload.parse({ kind: 'true' })) });
    await once.prepare(never);
    const ran = await once.start(never);
    expect(ran.marks.ready).toBeGreaterThan(0);
    await once.dispose();
    await d.dispose();
    expect(readdirSync(runscStateDir(data.dir)).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('the sweep deletes the sandbox of a crashed isolab from its own state dir', async () => {
    const d = new RuncBundleDriver({ runtime: 'runsc', runId, root: data.dir, workload: readyLine });
    await d.prepare(never);
    const inst = await d.start(never);
    const dir = path.join(bundlesDir(data.dir), readdirSync(bundlesDir(data.dir))[0]);
    expect(await gvisorOf(path.join(dir, inst.id))).toHaveLength(2);
    // The owner is gone (as after kill -9): its bundle names a pid that no longer runs.
    const owner = path.join(dir, 'isolab-owner.json');
    writeFileSync(owner, JSON.stringify({ ...JSON.parse(readFileSync(owner, 'utf8')), 'isolab.owner-pid': await deadPid() }));
    expect(await sweepBundles(data.dir)).toEqual([path.basename(dir)]);
    expect(await gvisorOf(path.join(dir, inst.id))).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('isolab compare with gVisor', () => {
  it('lists container:runsc and oci:runsc and measures both, leaving nothing behind', async () => {
    expect(existsSync('dist/cli.mjs'), 'run `npm run build` before the integration tests').toBe(true);
    const plan = path.join(data.dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ models: ['container:runsc', 'oci:runsc'], startup: { iterations: 2, warmup: 0 }, footprint: false, density: false }));
    const out = execFileSync(process.execPath, [path.resolve('bin/isolab.mjs'), 'compare', '--plan', plan, '--json'], {
      env: { ...process.env, ISOLAB_DATA_DIR: data.dir, DOCKER_HOST: engine.host },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 150_000,
    });
    const c = Comparison.parse(JSON.parse(out));
    expect(c.models.map((m) => [m.model, m.status, m.error])).toEqual([
      ['container:runsc', 'ok', undefined],
      ['oci:runsc', 'ok', undefined],
    ]);
    for (const m of c.models) expect(m.startup!.readyMs).toHaveLength(2);
    expect(await settledProcesses()).toEqual([]);
    expect(await engine.docker.listContainers({ all: true })).toEqual([]);
    expect(readdirSync(bundlesDir(data.dir))).toEqual([]);
  });
});

