import os from 'node:os';
import type { ResolvedWorkload } from '../../../shared/plan';
import type { HostFs } from '../footprint/host-fs';
import { cgroupOf, readCgroupCpuMs } from '../footprint/proc';
import { ociConfig, ociContainerId } from '../oci/config';
import { isGvisor } from '../oci/runsc';
import { now, throwIfAborted } from '../targets/target';
import type { Instance, InstanceDriver } from '../workloads/instance';
import { asRoot, downScript, GVISOR_PROCESSES, gvisorPidsOf, parseUp, removeScript, upScript } from './oci-scripts';
import { makeRemoteBundle, type RemoteOciOptions } from './oci-target';

/** How long one instance's stop may take there (`delete --force` waits for the container to die). */
const STOP_TIMEOUT_MS = 30_000;

/**
 * A raw OCI runtime's instances on a remote host, for footprint and density (its startup is `RemoteOciTarget`'s):
 * each container left running in the bundle dir (`run --detach`, one exec as root that prints its pid), with an
 * id of isolab's prefix and this machine's host name and pid in its annotations and in the dir's owner file, so
 * the next comparison from here removes what a crashed one left (`sweepRemoteOci`, `sweepRemoteOciContainers`).
 * Footprint reads the container's /proc and cgroup through the comparison's remote fs. Start latencies are on this
 * machine's clock through SSH, as the other remote drivers' are (they are not startup figures).
 */
export class RemoteOciDriver implements InstanceDriver {
  readonly model: string;
  readonly phases = ['create', 'ready'] as const;
  readonly stopPhase = 'delete';
  private dir?: string;
  private seq = 0;
  private readonly live = new Set<string>();

  constructor(private readonly o: RemoteOciOptions & { fs?: HostFs }) {
    this.model = `oci:${o.name}`;
  }

  get workload(): ResolvedWorkload {
    return this.o.workload;
  }

  private root(script: string, timeoutMs: number) {
    return this.o.conn.exec(asRoot(this.o.access, script), { timeoutMs });
  }

  async prepare(signal: AbortSignal): Promise<void> {
    if (this.dir) return;
    const w = this.o.workload;
    if (w.image) throw new Error(`${this.model} runs the probe's busybox rootfs only; leave workload.image out`);
    // Footprint and density keep instances idle: a workload that is ready once running (the idle sleep).
    if (w.readiness.kind !== 'running') throw new Error(`${this.model} on a remote host keeps instances running only for workloads ready once running; this one is ready by ${w.readiness.kind}`);
    await makeRemoteBundle(this.o, signal, (dir) => (this.dir = dir));
  }

  async environment() {
    return {}; // the runtime's version is read by its startup target (RemoteOciTarget), which runs first
  }

  async start(signal: AbortSignal): Promise<Instance> {
    throwIfAborted(signal);
    const w = this.o.workload;
    const dir = this.dir!;
    const id = ociContainerId(++this.seq);
    const config = ociConfig({ rootfs: `${dir}/rootfs`, id, args: w.command, network: w.network, runId: this.o.runId, ownerPid: process.pid, ownerHost: os.hostname() });
    this.live.add(id); // before the exec: a start cut off midway is still removed on dispose
    const t0 = now();
    // Not raced with the abort: one exec, and what it started is stopped just below.
    const r = await this.root(upScript({ runtime: this.o.runtime, dir, id, config, network: w.network }), w.timeoutMs + 15_000);
    const { rc, pid } = parseUp(r.stdout);
    const created = now() - t0;
    if (rc !== 0 || !pid) {
      await this.stop({ id, marks: {} }).catch(() => {});
      throw new Error(`${this.o.name} run failed (${rc}) on the remote host: ${r.stderr.trim().split('\n').slice(-2).join(' ') || (pid ? 'no message' : 'no pid')}`);
    }
    if (signal.aborted) {
      await this.stop({ id, marks: {} });
      throwIfAborted(signal);
    }
    const fs = this.o.fs;
    const cgroup = fs ? await cgroupOf(pid, fs).catch(() => undefined) : undefined;
    return { id, pid, marks: { create: created, ready: created }, cgroup, cgroupCpuMs: cgroup && fs ? await readCgroupCpuMs(cgroup, fs) : undefined };
  }

  async stop(instance: Instance): Promise<void> {
    if (!this.live.has(instance.id) || !this.dir) return;
    const r = await this.root(downScript(this.o.runtime, this.dir, instance.id), STOP_TIMEOUT_MS);
    if (r.code !== 0) throw new Error(`could not remove ${instance.id} on the remote host: ${r.stderr.trim().slice(0, 200)}`);
    this.live.delete(instance.id);
  }

  async helperPids(instance: Instance): Promise<number[]> {
    // No shim: the runtime exits once the container runs. gVisor leaves its sandbox and gofer (found in one exec).
    if (!isGvisor(this.o.runtime) || !this.dir) return [];
    const r = await this.o.conn.exec(GVISOR_PROCESSES);
    return gvisorPidsOf(r.stdout, `${this.dir}/${instance.id}`);
  }

  liveCount(): number {
    return this.live.size;
  }

  async dispose(): Promise<void> {
    if (!this.dir) return;
    await Promise.allSettled([...this.live].map((id) => this.stop({ id, marks: {} })));
    // The dir with every container still in it; left for the next comparison's sweep when the connection is gone.
    const r = await this.root(removeScript(this.o.runtime, this.dir, [...this.live]), STOP_TIMEOUT_MS).catch(() => undefined);
    if (r?.code === 0) {
      this.live.clear();
      this.dir = undefined;
    }
  }
}
