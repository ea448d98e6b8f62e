import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, readdir, readFile, rm, symlink, writeFile, copyFile, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ResolvedWorkload } from '../../../shared/plan';
import { cgroupOf, readCgroupCpuMs } from '../footprint/proc';
import { BUSYBOX_HELP, findStaticBusybox } from '../images/busybox';
import { isAlive, LABEL_MANAGED, LABEL_OWNER_PID, LABEL_RUN } from '../labels';
import { withDeadline } from '../workloads/container-driver';
import type { Instance, InstanceDriver } from '../workloads/instance';
import { needsPort, withPort } from '../workloads/instance';
import { freePort, lineMatcher, onAbort, waitForTcp } from '../workloads/readiness';
import { APPLETS, OCI_ID_PREFIX, ROOTFS_DIRS, ociConfig, ociContainerId } from '../oci/config';
import { gvisorProcessesOf, isGvisor, ociGlobalArgs, runscStateDir } from '../oci/runsc';
import { now, throwIfAborted } from './target';

const exec = promisify(execFile);

const OWNER_FILE = 'isolab-owner.json';

export const bundlesDir = (root: string) => path.join(root, 'bundles');

/** Why the OCI runtime cannot be run straight on a bundle here, or undefined when it can. */
export async function rawRuntimeUnavailable(runtime: string): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'an OCI runtime runs straight on a bundle only on Linux';
  if (process.getuid?.() !== 0) return `running ${runtime} straight on a bundle needs root (rootless ${runtime} is not measured by isolab)`;
  if (!(await onPath(runtime))) return `${runtime} is not on PATH`;
  return undefined;
}

async function onPath(bin: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export interface RuncBundleOptions {
  /** runc, crun or runsc (any OCI runtime with the runc command line). */
  runtime: string;
  runId: string;
  /** The data dir; bundles go under <root>/bundles/<runId>, labelled with an owner file, removed on dispose. */
  root: string;
  workload: ResolvedWorkload;
}

/**
 * Makes this run's bundle dir under <root>/bundles (its owner file first, so the sweep knows it), with the rootfs
 * around the host's static busybox with the probe image's applets, read-only and shared by every instance; each
 * start or instance adds its own `<id>/config.json`. Checks the runtime can run here first. `tag` keeps the dirs of
 * a model's timed starts and of its footprint instances apart (both are made with the model's run id).
 */
export async function makeLocalBundle(o: Pick<RuncBundleOptions, 'runtime' | 'runId' | 'root'>, signal: AbortSignal, tag = ''): Promise<string> {
  const why = await rawRuntimeUnavailable(o.runtime);
  if (why) throw new Error(why);
  const bb = await findStaticBusybox();
  if (!bb.path) throw new Error(`no static busybox for the bundle's rootfs. ${BUSYBOX_HELP}`);
  throwIfAborted(signal);
  const dir = path.join(bundlesDir(o.root), `${o.runId}-${o.runtime}-${process.pid}${tag}`.replace(/[^A-Za-z0-9._-]/g, '-'));
  await rm(dir, { recursive: true, force: true });
  const rootfs = path.join(dir, 'rootfs');
  await mkdir(path.join(rootfs, 'bin'), { recursive: true });
  await writeFile(path.join(dir, OWNER_FILE), JSON.stringify({ [LABEL_MANAGED]: 'true', [LABEL_OWNER_PID]: process.pid, [LABEL_RUN]: o.runId, runtime: o.runtime }) + '\n');
  await copyFile(bb.path, path.join(rootfs, 'bin', 'busybox'));
  for (const a of APPLETS) await symlink('busybox', path.join(rootfs, 'bin', a));
  for (const d of ROOTFS_DIRS) await mkdir(path.join(rootfs, d), { recursive: true });
  if (isGvisor(o.runtime)) await mkdir(runscStateDir(o.root), { recursive: true });
  return dir;
}

/** The runtime's `--version` first line ('' when it says nothing). */
export async function runtimeVersion(runtime: string): Promise<string> {
  const { stdout } = await exec(runtime, ['--version']).catch(() => ({ stdout: '' }));
  return stdout.split('\n')[0]?.trim() ?? '';
}

/** Removes containers by id (already gone is fine: a foreground run deletes its own), as the driver's stop does. */
export async function deleteLocalContainer(runtime: string, globalArgs: string[], id: string): Promise<void> {
  await exec(runtime, [...globalArgs, 'delete', '--force', id]).catch((err: { stderr?: string }) => {
    if (!/not exist|does not exist|not found|No such/i.test(err.stderr ?? '')) throw new Error(`${runtime} delete ${id}: ${err.stderr?.trim()}`);
  });
}

/**
 * The OCI runtime run straight on a bundle (`runc run`), with no dockerd, containerd or shim in the way: what
 * the engine path adds is the difference to `container:runc`. The rootfs is the host's static busybox with
 * the probe image's applets, read-only and shared by every instance; each instance gets its own config.json.
 * Phases `create` (the runtime returned: running, or for `exit` readiness, spawned) and `ready`; stop is `delete`.
 */
export class RuncBundleDriver implements InstanceDriver {
  readonly phases = ['create', 'ready'] as const;
  readonly stopPhase = 'delete';
  readonly model: string;
  readonly workload: ResolvedWorkload;
  private dir = '';
  private seq = 0;
  private readonly live = new Map<string, ChildProcess | undefined>();

  constructor(private readonly opts: RuncBundleOptions) {
    this.model = `oci:${opts.runtime}`;
    this.workload = opts.workload;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    if (this.dir) return; // prepared already (compare checks availability before the runner prepares)
    if (this.workload.image) throw new Error(`${this.model} runs the probe's busybox rootfs only; leave workload.image out`);
    this.dir = await makeLocalBundle(this.opts, signal);
  }

  /** Flags before the runtime's command (runsc's state dir and network; none for runc and crun). */
  private get globalArgs(): string[] {
    return ociGlobalArgs(this.opts.runtime, this.opts.root, this.workload.network);
  }

  async environment() {
    return { ociRuntime: { name: this.opts.runtime, version: await runtimeVersion(this.opts.runtime) } };
  }

  private async writeConfig(id: string, args: string[]): Promise<string> {
    const bundle = path.join(this.dir, id);
    await mkdir(bundle, { recursive: true });
    const config = ociConfig({ rootfs: path.join(this.dir, 'rootfs'), id, args, network: this.workload.network, runId: this.opts.runId, ownerPid: process.pid });
    await writeFile(path.join(bundle, 'config.json'), JSON.stringify(config, null, 2));
    return bundle;
  }

  async start(signal: AbortSignal): Promise<Instance> {
    throwIfAborted(signal);
    const w = this.workload;
    const id = ociContainerId(++this.seq);
    const port = needsPort(w) ? await freePort() : undefined;
    const bundle = await this.writeConfig(id, withPort(w.command, port));
    const pidFile = path.join(bundle, 'pid');
    const t0 = now();
    const deadline = t0 + w.timeoutMs;
    const marks: Record<string, number> = {};
    const detach = w.readiness.kind !== 'exit';
    const child = spawn(this.opts.runtime, [...this.globalArgs, 'run', ...(detach ? ['--detach', '--pid-file', pidFile] : []), '--bundle', bundle, id], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.live.set(id, child);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const matcher = w.readiness.kind === 'log' ? lineMatcher(w.readiness.pattern) : undefined;
    let matched = false;
    const logReady = new Promise<void>((resolve) => {
      const onData = (c: Buffer) => {
        if (!matched && matcher?.feed(c)) {
          matched = true;
          // Stamped on arrival: the line can come before the runtime returns (ready before create, in time order).
          marks.ready = now() - t0;
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
    });
    // With --detach the container keeps our pipes open after the runtime exits: wait for 'exit', not 'close'.
    const exited = new Promise<number | string>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`could not start ${this.opts.runtime}: ${err.message}`)));
      child.once(detach ? 'exit' : 'close', (code: number | null, sig: NodeJS.Signals | null) => resolve(code ?? sig ?? -1));
    });
    const cancel = onAbort(signal);
    const fail = (code: number | string) => new Error(`${this.opts.runtime} run failed (${code}): ${stderr.trim().split('\n').slice(-2).join(' ') || 'no message'}`);
    try {
      const abort = cancel.promise;
      if (!detach) {
        await new Promise<void>((r) => child.once('spawn', () => r()));
        marks.create = now() - t0;
        const code = await Promise.race([withDeadline(exited, deadline, `the workload did not exit within ${w.timeoutMs} ms`), abort]);
        if (code !== 0) throw fail(code);
        marks.ready = now() - t0;
        this.live.delete(id); // `run` without --detach deletes the container when it exits
        return { id, marks };
      }
      // With --detach the runtime exits once the container runs; the container keeps our pipes as its stdio.
      const code = await Promise.race([withDeadline(exited, deadline, `${this.opts.runtime} did not return within ${w.timeoutMs} ms`), abort]);
      if (code !== 0) throw fail(code);
      marks.create = now() - t0;
      const pid = Number((await readFile(pidFile, 'utf8')).trim());
      const ready = async () => {
        switch (w.readiness.kind) {
          case 'log':
            return matched ? undefined : logReady;
          case 'tcp':
            return waitForTcp(w.readiness.port === 'auto' ? port! : w.readiness.port, deadline, signal, () => isAlive(pid));
          default:
            return;
        }
      };
      await Promise.race([withDeadline(ready(), deadline, `the workload was not ready within ${w.timeoutMs} ms`), abort]);
      marks.ready ??= now() - t0;
      const cgroup = await cgroupOf(pid);
      return { id, pid, marks, cgroup, cgroupCpuMs: cgroup ? await readCgroupCpuMs(cgroup) : undefined };
    } catch (err) {
      await this.stop({ id, marks }).catch(() => {});
      throw err;
    } finally {
      cancel.off();
    }
  }

  async stop(instance: Instance): Promise<void> {
    const child = this.live.get(instance.id);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await deleteLocalContainer(this.opts.runtime, this.globalArgs, instance.id);
    await rm(path.join(this.dir, instance.id), { recursive: true, force: true });
    this.live.delete(instance.id);
  }

  async helperPids(instance: Instance): Promise<number[]> {
    // No shim: the runtime exits once the container runs. gVisor leaves its sandbox (the Sentry, the pid the
    // runtime reports) and its gofer: the runtime's own cost, while the workload runs in stubs below the Sentry.
    if (!isGvisor(this.opts.runtime)) return [];
    return gvisorProcessesOf(path.join(this.dir, instance.id));
  }

  async disk(): Promise<Record<string, number>> {
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path.join(this.dir, 'rootfs', 'bin', 'busybox')));
    return { rootFsBytes: size, writableLayerBytes: 0 };
  }

  liveCount(): number {
    return this.live.size;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.live.keys()].map((id) => this.stop({ id, marks: {} })));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = '';
  }
}

/** Removes bundles (and their runtime containers) left by an isolab process that is gone. */
export async function sweepBundles(root: string): Promise<string[]> {
  const dir = bundlesDir(root);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const name of names) {
    const bundle = path.join(dir, name);
    let owner: Record<string, unknown>;
    try {
      owner = JSON.parse(await readFile(path.join(bundle, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not ours: leave it
    }
    if (owner[LABEL_MANAGED] !== 'true' || isAlive(Number(owner[LABEL_OWNER_PID]))) continue;
    const runtime = String(owner.runtime ?? 'runc');
    for (const id of await readdir(bundle).catch(() => [] as string[])) {
      if (id.startsWith(OCI_ID_PREFIX)) await exec(runtime, [...ociGlobalArgs(runtime, root), 'delete', '--force', id]).catch(() => {});
    }
    await rm(bundle, { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}
