import type { ResolvedWorkload } from '../../../shared/plan';
import { note, type Note } from '../../../shared/notes';
import { parseTiming, probeShellTiming, remoteShellClockNote, timingScript, toMicros, type ShellExec, type ShellTiming } from '../shell-timing';
import { CancelledError, throwIfAborted, type IterationContext, type Marks, type Target } from './target';

/** Readiness kinds the timing shell can see: the program's exit, or its process forked. */
export type ShellReadiness = 'exit' | 'running';

/** Whether the floor of this workload can be timed by the timing shell (else isolab's own spawn times it). */
export function shellTimable(w: ResolvedWorkload): w is ResolvedWorkload & { readiness: { kind: ShellReadiness } } {
  return !w.image && (w.readiness.kind === 'exit' || w.readiness.kind === 'running');
}

/**
 * The floor's starts, timed by a shell (`electron/lab/shell-timing.ts`): one exec per start of a shell that reads
 * its clock around the fork and exec of the workload's busybox program. The same target on this machine (the
 * exec is a local child process) and on a remote host (the exec goes over the SSH connection), so both floors are
 * the same instrument. Phases `ready` and `reap` (a running program killed and waited for inside the shell).
 */
export class ShellProcessTarget implements Target {
  readonly model = 'process';
  readonly phases = ['ready', 'reap'] as const;
  timing?: ShellTiming;
  private busybox?: string;

  constructor(
    private readonly o: {
      where: 'local' | 'remote';
      workload: ResolvedWorkload;
      /** The shell's exec: made once prepare knows which shell (this machine picks bash or sh). */
      exec: () => Promise<ShellExec>;
      findBusybox: () => Promise<string>;
    },
  ) {}

  private shell?: ShellExec;

  async prepare(signal: AbortSignal): Promise<void> {
    const w = this.o.workload;
    if (w.image) throw new Error(`the process floor cannot run image ${w.image}: it runs busybox programs only; leave workload.image out to compare against the floor`);
    if (!shellTimable(w)) throw new Error(`the process floor on a remote host times workloads ready at their exit or once running; this one is ready by ${w.readiness.kind}`);
    this.busybox = await this.o.findBusybox();
    throwIfAborted(signal);
    this.shell = await this.o.exec();
    this.timing = await probeShellTiming(this.shell, this.o.where === 'remote' ? 'the remote host' : 'this machine');
  }

  async environment() {
    return {};
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    const w = this.o.workload;
    const script = timingScript({ busybox: this.busybox!, argv: w.command, readiness: w.readiness.kind as ShellReadiness, clock: this.timing!.clock });
    const r = await this.shell!(script, { timeoutMs: w.timeoutMs + 10_000, signal: ctx.signal });
    if (ctx.signal.aborted) throw new CancelledError();
    const { marks, rc } = parseTiming(r.stdout, this.timing!.clock, this.timing!.overheadMs);
    if (rc !== 0) throw new Error(`${w.command.join(' ')} exited with ${rc}${this.o.where === 'remote' ? ' on the remote host' : ''}${r.stderr.trim() ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`);
    ctx.onPhase('ready');
    ctx.onPhase('reap');
    return marks;
  }

  notes(): Note[] {
    const t = this.timing;
    if (!t) return [];
    return [this.o.where === 'remote' ? remoteShellClockNote(t) : note('local-shell-clock', { clock: t.clock, overheadMs: toMicros(t.overheadMs), spawnMs: toMicros(t.execRoundTripMs) })];
  }

  async dispose(): Promise<void> {
    // Each start ends inside its own exec (a running one is killed and reaped there): nothing is left behind.
  }
}
