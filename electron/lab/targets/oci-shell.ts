import type { ResolvedWorkload } from '../../../shared/plan';
import type { Note } from '../../../shared/notes';
import { ociConfig, ociContainerId } from '../oci/config';
import { parseStart, startScript } from '../oci/start-script';
import type { ShellTiming } from '../shell-timing';
import { CancelledError, throwIfAborted, type IterationContext, type Marks, type Target } from './target';

/**
 * A raw OCI runtime's starts timed by a shell on the runtime's host, one exec per start (electron/lab/oci/start-script.ts):
 * the one instrument of `oci:RUNTIME` on this machine (`LocalOciTarget`, a local timing shell) and on a remote host
 * (`RemoteOciTarget`, a root shell over SSH). The interval is read inside the shell, so what brings the shell up
 * (Node's spawn here, an SSH exec there) is in no figure. Phases: the local driver's `create`, `ready`, then its
 * stop `delete`. A subclass makes the bundle dir and measures the shell in `prepare`, and removes what is left.
 */
export abstract class OciShellTarget implements Target {
  readonly model: string;
  readonly phases = ['create', 'ready', 'delete'] as const;
  timing?: ShellTiming;
  /** The bundle dir (its rootfs in `rootfs/`, each start's bundle in `<id>/`), once made. */
  dir?: string;
  protected version = '';
  private seq = 0;
  /** Starts whose exec did not report their cleanup (a timeout, a dropped channel): removed on dispose. */
  protected readonly unsettled = new Set<string>();

  constructor(
    /** runc, crun or runsc: the model's name. */
    protected readonly name: string,
    /** The runtime as the shell calls it (an absolute path there, its name on PATH here). */
    protected readonly runtime: string,
    protected readonly runId: string,
    protected readonly workload: ResolvedWorkload,
    /** ' on the remote host' there, '' here: for messages. */
    private readonly where: string,
  ) {
    this.model = `oci:${name}`;
  }

  abstract prepare(signal: AbortSignal): Promise<void>;
  abstract notes(): Note[];
  abstract dispose(): Promise<void>;
  /** Flags before the runtime's command (runsc's state dir and network; none for runc and crun). */
  protected abstract globalArgs(): string[];
  /** One start's script run as root to its end, not raced with a cancel: the start removes its container inside it. */
  protected abstract execStart(script: string, timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number | null }>;
  /** This machine's host name in each config's annotations, for a remote host's sweep. */
  protected ownerHost?: string;

  /** The workload kinds the shell can see ready (its exit, or the runtime returned with it running). */
  protected checkWorkload(): void {
    const w = this.workload;
    if (w.image) throw new Error(`${this.model} runs the probe's busybox rootfs only; leave workload.image out`);
    if (w.readiness.kind !== 'exit' && w.readiness.kind !== 'running') {
      throw new Error(`${this.model}'s timing shell times workloads ready at their exit or once running; this one is ready by ${w.readiness.kind}`);
    }
  }

  async environment() {
    return { ociRuntime: { name: this.name, version: this.version } };
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    const w = this.workload;
    const dir = this.dir!;
    const { clock, overheadMs } = this.timing!;
    const id = ociContainerId(++this.seq);
    const config = ociConfig({ rootfs: `${dir}/rootfs`, id, args: w.command, network: w.network, runId: this.runId, ownerPid: process.pid, ownerHost: this.ownerHost });
    const script = startScript({ runtime: this.runtime, globalArgs: this.globalArgs(), dir, id, config, readiness: w.readiness.kind as 'exit' | 'running', clock });
    this.unsettled.add(id);
    // Not raced with the abort: the start ends (and removes its container) inside its exec, so a cancel waits for it.
    const timeoutMs = w.timeoutMs + 15_000;
    const r = await this.execStart(script, timeoutMs);
    // A shell killed by its timeout (or a signal) printed no timing line: say that, not that the line is missing.
    if (r.code === null && !r.stdout.includes('isolab-oci ')) throw new Error(`${this.name}'s start did not end within ${timeoutMs} ms${this.where}`);
    const { marks, rc } = parseStart(r.stdout, clock, overheadMs, this.where);
    this.unsettled.delete(id);
    if (rc !== 0) throw new Error(`${this.name} run failed (${rc})${this.where}: ${r.stderr.trim().split('\n').slice(-2).join(' ') || 'no message'}`);
    ctx.onPhase('create');
    ctx.onPhase('ready');
    ctx.onPhase('delete');
    if (ctx.signal.aborted) throw new CancelledError();
    return marks;
  }
}
