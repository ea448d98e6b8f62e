import type { HostBenchPlan, HostProbe } from '../../../shared/api-hosts';
import type { Environment, Footprint } from '../../../shared/run';
import { CancelledError, now, throwIfAborted, type IterationContext, type Marks, type Target } from '../targets/target';
import { connect, type ConnectHooks, type SshConnection } from './connect';
import { probeAll, probeBoot, type ImdsClient } from './probes';
import { rebootToSsh } from './reboot';
import type { HostSpec } from './spec';

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

  async prepare(signal: AbortSignal): Promise<void> {
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
    this.probe = probe;
  }

  async environment(): Promise<Partial<Environment>> {
    const p = this.probe!;
    return {
      host: p.facts,
      remote: { target: this.o.spec.name, resolved: `${this.o.spec.user}@${this.o.spec.host}:${this.o.spec.port}`, virtualization: p.virtualization, boot: p.boot, reboot: p.reboot, connectMs: this.main?.connectMs },
    };
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
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

  notes(): string[] {
    const notes = [...(this.probe?.boot.notes ?? [])];
    if (this.o.spec.jumps.length) notes.push(`Reached through ProxyJump (${this.o.spec.jumps.map((j) => j.host).join(' -> ')}): connect times include every hop.`);
    notes.push('The idle footprint was read right after connecting; isolab\'s own SSH session is part of it (one sshd and one shell).');
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

/** Runs of a host are stored as model host:<name>; the name keeps to characters a model may carry. */
export function modelName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.@:-]+/g, '-').slice(0, 80);
}

/**
 * Any target, run on a host: the model reads host:<name>/<model> (host:vm1/container:runc), so it lists and
 * compares beside the same model run locally; the environment is the host's, not this machine's.
 */
export class OnHostTarget implements Target {
  constructor(private readonly inner: Target, private readonly hostModel: string, private readonly hostEnv: () => Promise<Partial<Environment>>) {}
  get model(): string {
    return `${this.hostModel}/${this.inner.model}`;
  }
  get phases(): readonly string[] {
    return this.inner.phases;
  }
  prepare(signal: AbortSignal) {
    return this.inner.prepare(signal);
  }
  async environment(): Promise<Partial<Environment>> {
    return { ...(await this.hostEnv()), ...(await this.inner.environment()) };
  }
  iterate(ctx: IterationContext) {
    return this.inner.iterate(ctx);
  }
  notes(): string[] {
    return [...(this.inner.notes?.() ?? []), 'Run on the remote engine over one SSH connection (docker system dial-stdio): engine API calls include the SSH round trip.'];
  }
  dispose() {
    return this.inner.dispose();
  }
}
