import type Docker from 'dockerode';
import { removeContainer } from '../docker/remove';
import { endContainerLeftovers, ownerEnv } from '../docker/runsc-leftovers';
import { isSandbox, withRuntimeHint } from '../oci/runsc';
import type { ResolvedWorkload } from '../../../shared/plan';
import { describe, engineFacts, type EngineConnection } from '../docker/engine';
import { engineError, EngineLostError } from '../docker/lost';
import type { HostFs } from '../footprint/host-fs';
import type { EngineClock } from '../remote/engine-clock';
import { readyLineInstant } from '../remote/engine-phases';
import type { Marks } from '../targets/target';
import { cgroupOf, descendants, parentPid, readCgroupCpuMs } from '../footprint/proc';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { ownerLabels } from '../labels';
import { abortable } from '../targets/container';
import { CancelledError, now, throwIfAborted } from '../targets/target';
import type { Instance, InstanceDriver } from './instance';
import { needsPort, withPort } from './instance';
import { freePort, lineMatcher, logText, waitForTcp } from './readiness';

export interface ContainerDriverOptions {
  conn: EngineConnection;
  runId: string;
  runtime: string;
  /** Windows engines: HostConfig.Isolation "process" or "hyperv" instead of an OCI runtime. */
  isolation?: 'process' | 'hyperv';
  workload: ResolvedWorkload;
  log?: (line: string) => void;
  /** Where the engine's host keeps /proc and cgroups: this machine by default, a remote host's over SSH. */
  fs?: HostFs;
  /** In a comparison (here or on a remote host): the start phases are put on the engine's own clock from its events once each sample is over. */
  engineClock?: EngineClock;
}

/**
 * A workload in a container through the engine, under one OCI runtime: `create`, `started` (the engine answered the
 * start call), `ready`; stop is `remove`. A workload that is ready by its output (a log line) can be ready before the
 * engine answers: `ready` is stamped when the line arrives, so the marks keep the order things happened in (runs
 * recorded before this named the start call `start` and clamped `ready` to its return).
 */
export class ContainerDriver implements InstanceDriver {
  readonly phases = ['create', 'started', 'ready'] as const;
  readonly stopPhase = 'remove';
  readonly model: string;
  readonly workload: ResolvedWorkload;
  private readonly docker: Docker;
  private readonly live = new Set<string>();
  readonly settleMarks?: (instance: Instance, local: Marks, warmup: boolean) => Promise<Marks>;
  /** On the engine clock, log readiness: the engine's receive instant of each instance's ready line (ns). */
  private readonly readyLines = new Map<string, bigint>();

  constructor(private readonly opts: ContainerDriverOptions) {
    this.docker = opts.conn.docker;
    const clock = opts.engineClock;
    if (clock) {
      this.settleMarks = (instance, local, warmup) => {
        const line = this.readyLines.get(instance.id);
        this.readyLines.delete(instance.id);
        return clock.settle(instance.id, local, this.workload.readiness.kind, warmup, line);
      };
    }
    this.workload = opts.workload;
    this.model = opts.isolation ? `container:${opts.isolation}` : `container:${opts.runtime}`;
  }

  get image(): string {
    return this.workload.image ?? PROBE_IMAGE;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    // Subscribed before this model's first container: the engine sends only what happens from then on.
    await this.opts.engineClock?.open();
    const facts = await engineFacts(this.opts.conn);
    if (!this.opts.isolation && !facts.runtimes?.includes(this.opts.runtime)) {
      throw new Error(`the engine has no runtime "${this.opts.runtime}"; it lists: ${facts.runtimes?.join(', ') || 'none'}`);
    }
    throwIfAborted(signal);
    if (!this.workload.image) await ensureProbeImage(this.docker, this.opts.log);
    else {
      try {
        await this.docker.getImage(this.workload.image).inspect();
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) throw new Error(`image ${this.workload.image} is not on this engine: \`docker pull ${this.workload.image}\` or build it first`);
        throw err;
      }
    }
  }

  async environment() {
    return { engine: { ...(await engineFacts(this.opts.conn)), runtime: this.opts.runtime } };
  }

  async start(signal: AbortSignal): Promise<Instance> {
    throwIfAborted(signal);
    const w = this.workload;
    const port = needsPort(w) ? await freePort() : undefined;
    const t0 = now();
    const marks: Record<string, number> = {};
    const deadline = t0 + w.timeoutMs;
    const container = await this.docker
      .createContainer({
        Image: this.image,
        Cmd: withPort(w.command, port),
        Labels: ownerLabels(this.opts.runId),
        Env: ownerEnv(),
        AttachStdout: w.readiness.kind === 'log',
        AttachStderr: w.readiness.kind === 'log',
        HostConfig: this.opts.isolation ? { NetworkMode: w.network === 'none' ? 'none' : 'nat', Isolation: this.opts.isolation } : { NetworkMode: w.network, Runtime: this.opts.runtime },
      })
      .catch((err: unknown) => {
        throw engineError(err, this.opts.conn.endpoint);
      });
    this.live.add(container.id);
    marks.create = now() - t0;
    try {
      let logReady: Promise<void> | undefined;
      if (w.readiness.kind === 'log') {
        const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
        const matcher = lineMatcher(w.readiness.pattern);
        const ended = () => new Error(`the workload's output ended without a line matching /${(w.readiness as { pattern: string }).pattern}/`);
        logReady = new Promise<void>((resolve, reject) => {
          stream.on('data', (chunk: Buffer) => {
            // Stamped on arrival, often while the start call is still under way.
            if (marks.ready === undefined && matcher.feed(chunk)) {
              marks.ready = now() - t0;
              resolve();
            }
          });
          stream.once('end', () => reject(ended()));
          stream.once('close', () => reject(ended()));
          stream.on('error', () => {});
        });
        logReady.catch(() => {});
      }
      await abortable(container.start(), signal);
      marks.started = now() - t0;
      const ready = async () => {
        switch (w.readiness.kind) {
          case 'running':
            return;
          case 'exit': {
            const { StatusCode } = (await container.wait()) as { StatusCode: number };
            if (StatusCode !== 0) throw new Error(`the workload exited with status ${StatusCode}`);
            return;
          }
          case 'log':
            return logReady;
          case 'tcp':
            return waitForTcp(w.readiness.port === 'auto' ? port! : w.readiness.port, deadline, signal);
        }
      };
      await abortable(withDeadline(ready(), deadline, `the workload was not ready within ${w.timeoutMs} ms`), signal);
      marks.ready ??= now() - t0;
      if (this.opts.engineClock && w.readiness.kind === 'log') {
        // The engine's own time of the ready line, for the engine clock (read after ready: outside the figure).
        const logs = await container.logs({ stdout: true, stderr: true, timestamps: true, follow: false }).catch(() => undefined);
        const at = logs === undefined ? undefined : readyLineInstant(logText(logs), w.readiness.pattern);
        if (at !== undefined) this.readyLines.set(container.id, at);
      }
      const inst: Instance = { id: container.id, marks };
      if (w.readiness.kind !== 'exit') {
        const info = await container.inspect();
        if (info.State?.Pid) {
          inst.pid = info.State.Pid;
          inst.cgroup = await cgroupOf(inst.pid, this.opts.fs);
          if (inst.cgroup) inst.cgroupCpuMs = await readCgroupCpuMs(inst.cgroup, this.opts.fs);
        }
      }
      return inst;
    } catch (err) {
      await this.removeQuietly(container.id);
      // A failed runsc start leaves its shim (and sometimes gVisor's sandbox) running after the container is gone.
      await endContainerLeftovers([container.id]).catch(() => []);
      if (err instanceof CancelledError) throw err;
      const e = engineError(err, this.opts.conn.endpoint);
      throw e instanceof EngineLostError ? e : new Error(`${this.model}: ${withRuntimeHint(describe(err))}`);
    }
  }

  async stop(instance: Instance): Promise<void> {
    await this.docker.getContainer(instance.id).remove({ force: true, v: true });
    this.live.delete(instance.id);
  }

  notes() {
    return this.opts.engineClock?.notes() ?? [];
  }

  /**
   * The containerd shim is the init process's parent; runtimes like runsc add processes under it. Under gVisor the
   * engine's pid is the sandbox (the Sentry, gVisor's kernel), whose stub processes run the workload: the Sentry
   * and the gofer beside it are the runtime's own cost, with the shim.
   */
  async helperPids(instance: Instance): Promise<number[]> {
    if (!instance.pid) return [];
    const fs = this.opts.fs;
    const shim = await parentPid(instance.pid, fs);
    if (!shim || shim <= 1) return [];
    const workload = (await isSandbox(instance.pid, fs)) ? [] : [instance.pid];
    const inside = new Set<number>([...workload, ...(await descendants(instance.pid, fs))]);
    return [shim, ...(await descendants(shim, fs)).filter((p) => !inside.has(p))];
  }

  /** Image size, its layers shared with other images against its own, and this container's writable layer. */
  async disk(instance: Instance): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    // The engine's `size` query (SizeRw, SizeRootFs) is missing from dockerode's types: passed as a wider object.
    const withSize: Docker.ContainerInspectOptions & { size: boolean } = { size: true };
    const c: Docker.ContainerInspectInfo & { SizeRw?: number; SizeRootFs?: number } = await this.docker.getContainer(instance.id).inspect(withSize);
    if (c.SizeRw !== undefined) out.writableLayerBytes = c.SizeRw;
    if (c.SizeRootFs !== undefined) out.rootFsBytes = c.SizeRootFs;
    const img = await this.docker.getImage(this.image).inspect();
    out.imageBytes = img.Size;
    // The engine's disk usage report is the only place that splits an image into shared and unique layers.
    const df = (await this.docker.df()) as { Images?: { Id: string; Size: number; SharedSize: number }[] };
    const row = df.Images?.find((i) => i.Id === img.Id);
    if (row && row.SharedSize >= 0) {
      out.sharedLayerBytes = row.SharedSize;
      out.uniqueLayerBytes = row.Size - row.SharedSize;
    }
    return out;
  }

  private async removeQuietly(id: string): Promise<void> {
    if (await removeContainer(this.docker, id, this.opts.log)) this.live.delete(id);
  }

  liveCount(): number {
    return this.live.size;
  }

  async dispose(): Promise<void> {
    this.readyLines.clear();
    await Promise.all([...this.live].map((id) => this.removeQuietly(id)));
  }
}

export function withDeadline<T>(p: Promise<T>, deadline: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), Math.max(0, deadline - now()));
    }),
  ]).finally(() => clearTimeout(timer));
}
