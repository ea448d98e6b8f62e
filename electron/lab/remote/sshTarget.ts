import type { HostBenchPlan, HostProbe } from '../../../shared/api-hosts';
import { printable, printableDeep } from '../../../shared/printable';
import type { Environment, Footprint, HostFacts } from '../../../shared/run';
import { CancelledError, now, throwIfAborted, type IterationContext, type Marks, type Target } from '../targets/target';
import { sweepContainers } from '../docker/sweep';
import { CONTAINER_PHASES, ContainerTarget } from '../targets/container';
import { connect, type ConnectHooks, type SshConnection } from './connect';
import { remoteEngine } from './docker';
import { probeAll, probeBoot, type ImdsClient } from './probes';
import { rebootToSsh } from './reboot';
import type { HostSpec } from './spec';
import { note, type Note } from '../../../shared/notes';

/**
 * The facts of a host that was never reached: empty, so no face can mistake them for a machine (the schema
 * wants a host; `remote.reached: false` says why it is empty).
 */
const NOT_REACHED: HostFacts = { os: '', kernel: '', arch: '', cpus: 0, memoryBytes: 0 };

/** The command timed as "exec": the smallest round trip a session can make. */
export const EXEC_PROBE_COMMAND = 'true';

export type HostStep = 'connect' | 'facts' | 'virtualization' | 'boot' | 'footprint' | 'reboot';

export interface SshTargetOptions {
  spec: HostSpec;
  hooks: ConnectHooks;
  plan: Pick<HostBenchPlan, 'reboot'>;
  imds?: ImdsClient;
  onStep?: (step: HostStep, message?: string) => void;
}

/**
 * A remote host as a Target: `prepare` connects once (host key checked, passphrase asked), runs the probes on
 * that connection and, with consent, reboots it; each iteration is a FRESH connection, timed from the TCP
 * connect to "ready" (`connect`) and then one exec round trip (`exec`).
 */
export class SshHostTarget implements Target {
  readonly phases = ['connect', 'exec'] as const;
  readonly model: string;
  /** The connection kept for the whole benchmark: probes, and the Docker engine for the container suite. */
  main?: SshConnection;
  probe?: HostProbe;
  private readonly extra = new Set<SshConnection>();

  constructor(private readonly o: SshTargetOptions) {
    this.model = `host:${modelName(o.spec.name)}`;
  }

  prepare(signal: AbortSignal): Promise<void> {
    return remoteText(() => this.connectAndProbe(signal));
  }

  private async connectAndProbe(signal: AbortSignal): Promise<void> {
    this.o.onStep?.('connect');
    this.main = await connect(this.o.spec, this.o.hooks);
    throwIfAborted(signal);
    const exec = (c: string) => this.main!.exec(c);
    const probe: HostProbe = await probeAll(exec, { imds: this.o.imds, onStep: (s) => this.o.onStep?.(s) });
    if (this.o.plan.reboot) {
      throwIfAborted(signal);
      this.o.onStep?.('reboot', 'rebooting: waiting for SSH to answer on the new boot');
      const { conn, ...reboot } = await rebootToSsh(this.main, {
        reconnect: () => connect(this.o.spec, { ...this.o.hooks, readyTimeoutMs: 5000 }),
        onAttempt: (n, err) => this.o.onStep?.('reboot', `attempt ${n}${err ? `: ${err}` : ''}`),
      });
      this.main = conn;
      probe.reboot = reboot;
      this.o.onStep?.('boot');
      probe.boot = await probeBoot((c) => conn.exec(c));
    }
    // Everything the host said is stored without control characters: it is shown in terminals and pages.
    this.probe = printableDeep(probe);
  }

  /** Until the host answered, nothing is known of it: never this machine's facts in its place. */
  async initialEnvironment(): Promise<Partial<Environment>> {
    return { host: NOT_REACHED, remote: { target: this.o.spec.name, resolved: this.resolved, reached: false } };
  }

  async environment(): Promise<Partial<Environment>> {
    const p = this.probe!;
    return {
      host: p.facts,
      remote: { target: this.o.spec.name, resolved: this.resolved, reached: true, virtualization: p.virtualization, boot: p.boot, reboot: p.reboot, connectMs: this.main?.connectMs },
    };
  }

  private get resolved(): string {
    return `${this.o.spec.user}@${this.o.spec.host}:${this.o.spec.port}`;
  }

  iterate(ctx: IterationContext): Promise<Marks> {
    return remoteText(() => this.timeOne(ctx));
  }

  private async timeOne(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    const t0 = now();
    const conn = await connect(this.o.spec, this.o.hooks);
    this.extra.add(conn);
    try {
      const marks: Marks = { connect: now() - t0 };
      ctx.onPhase('connect');
      const r = await conn.exec(EXEC_PROBE_COMMAND);
      if (r.code !== 0) throw new Error(`\`${EXEC_PROBE_COMMAND}\` exited with ${r.code} on ${this.o.spec.name}`);
      marks.exec = now() - t0;
      ctx.onPhase('exec');
      if (ctx.signal.aborted) throw new CancelledError();
      return marks;
    } finally {
      conn.close();
      this.extra.delete(conn);
    }
  }

  async footprint(): Promise<Footprint | undefined> {
    const f = this.probe?.footprint;
    if (!f) return undefined;
    return {
      memory: { total: f.memoryTotalBytes, used: f.memoryUsedBytes },
      disk: f.diskTotalBytes !== undefined ? { total: f.diskTotalBytes, used: f.diskUsedBytes ?? 0 } : undefined,
      os: { processes: f.processes, load1: f.load1 },
    };
  }

  notes(): Note[] {
    const notes = [...(this.probe?.boot.notes ?? [])];
    if (this.o.spec.jumps.length) notes.push(note('ssh-proxy-jump', { hops: this.o.spec.jumps.map((j) => j.host).join(' -> ') }));
    notes.push(note('ssh-idle-footprint'));
    return notes;
  }

  async dispose(): Promise<void> {
    for (const c of this.extra) c.close();
    this.extra.clear();
  }

  /** Ends the kept connection (after the container suite used it too). */
  close(): void {
    this.main?.close();
    this.main = undefined;
  }
}

/**
 * Errors out of a remote target carry what the host printed (stderr, the daemon's words): their message loses
 * its control characters before it is stored as the run's error or printed. The error keeps its class.
 */
async function remoteText<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Error) err.message = printable(err.message);
    throw err;
  }
}

/** Runs of a host are stored as model host:<name>; the name keeps to characters a model may carry. */
export function modelName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.@:-]+/g, '-').slice(0, 80);
}

/**
 * The container suite on a host's Docker engine, over the host's kept SSH connection: the existing
 * ContainerTarget runs unchanged on an EngineConnection made of dial-stdio channels. The model reads
 * host:<name>/container:<runtime> (host:vm1/container:runc), so it lists and compares beside the same model
 * run locally; the environment is the host's, not this machine's. A host without an engine gives a failed
 * run that says why, like any other target.
 */
export class RemoteContainersTarget implements Target {
  /** ContainerTarget's own phase list. */
  readonly phases = CONTAINER_PHASES;
  private inner?: ContainerTarget;
  private engine?: Awaited<ReturnType<typeof remoteEngine>>;

  constructor(
    private readonly o: { main: SshConnection; runId: string; hostModel: string; hostEnv: () => Promise<Partial<Environment>>; log?: (line: string) => void },
  ) {}

  get model(): string {
    return `${this.o.hostModel}/${this.inner?.model ?? 'container:default'}`;
  }

  prepare(signal: AbortSignal): Promise<void> {
    return remoteText(() => this.openEngine(signal));
  }

  private async openEngine(signal: AbortSignal): Promise<void> {
    this.engine = await remoteEngine(this.o.main);
    throwIfAborted(signal);
    // What an isolab of this machine left on that engine when it died mid-run (labels name owner and host).
    const swept = await sweepContainers(this.engine.docker).catch(() => []);
    if (swept.length) this.o.log?.(`removed ${swept.length} container(s) left by an earlier run`);
    this.inner = new ContainerTarget({ conn: this.engine, runId: this.o.runId, log: this.o.log });
    await this.inner.prepare(signal);
  }

  /** The host's facts (it was reached), also when its engine then does not answer. */
  async initialEnvironment(): Promise<Partial<Environment>> {
    return this.o.hostEnv();
  }

  async environment(): Promise<Partial<Environment>> {
    // The engine facts come from the host's daemon: remote text like the rest.
    return printableDeep({ ...(await this.o.hostEnv()), ...(await this.inner!.environment()) });
  }

  iterate(ctx: IterationContext): Promise<Marks> {
    return remoteText(() => this.inner!.iterate(ctx));
  }

  notes(): Note[] {
    return [note('ssh-remote-engine')];
  }

  async dispose(): Promise<void> {
    await this.inner?.dispose();
    this.engine?.agent.destroy();
  }
}
