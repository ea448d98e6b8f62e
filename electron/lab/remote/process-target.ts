import { medianOf } from '../../../shared/stats';
import type { ResolvedWorkload } from '../../../shared/plan';
import { note, type Note } from '../../../shared/notes';
import { CancelledError, throwIfAborted, type IterationContext, type Marks, type Target } from '../targets/target';
import type { SshConnection } from './connect';

/**
 * How the remote floor reads the remote host's clock inside its timing shell: bash's $EPOCHREALTIME (no
 * process started to read it), else `date +%s%N` (one process per reading, whose cost is measured and taken
 * off). Either way the interval is taken on the remote host, so no SSH round trip is in it.
 */
export type ShellClock = 'epochrealtime' | 'date';

/** What the timing shell costs and how it reads the clock: recorded beside the figures. */
export interface ShellTiming {
  clock: ShellClock;
  /** Median of back-to-back clock readings with nothing between them: subtracted from every interval. */
  overheadMs: number;
  /** Wall time of one exec round trip on the connection (not in any figure: the figures are remote intervals). */
  execRoundTripMs: number;
}

const CLOCK_EXPR: Record<ShellClock, string> = { epochrealtime: '$EPOCHREALTIME', date: '$(date +%s%N)' };
const OVERHEAD_SAMPLES = 7;
/** The remote busybox: on PATH, else where minimal systems keep it (an SSH session's PATH can be short). */
const FIND_BUSYBOX = 'for b in "$(command -v busybox 2>/dev/null)" /bin/busybox /usr/bin/busybox /sbin/busybox /usr/local/bin/busybox; do [ -n "$b" ] && [ -x "$b" ] && { echo "$b"; exit 0; }; done; exit 1';

/** A word the shell takes literally (single quotes, with a quote inside closed, escaped and reopened). */
export function shellQuote(s: string): string {
  return `'${s.split("'").join(`'\\''`)}'`;
}

/** A clock reading in ms: EPOCHREALTIME is seconds with a decimal separator (a comma in some locales), date is ns. */
export function clockMs(reading: string, clock: ShellClock): number {
  if (clock === 'date') {
    if (!/^\d{10,}$/.test(reading)) throw new Error(`the remote clock gave "${reading.slice(0, 40)}", not nanoseconds (does its date know %N?)`);
    // Keep precision: split before turning into a float.
    return Number(reading.slice(0, -6)) + Number(reading.slice(-6)) / 1e6;
  }
  const m = /^(\d+)[.,](\d{1,9})$/.exec(reading);
  if (!m) throw new Error(`the remote clock gave "${reading.slice(0, 40)}", not seconds.microseconds`);
  return Number(m[1]) * 1000 + Number(`0.${m[2]}`) * 1000;
}

/**
 * The timing shell of one start: the workload's command between two clock readings, all in one exec.
 * `exit` workloads: ready (and reaped) when the command returns. `running` ones: ready once the shell forked
 * it, then killed and reaped (`reap`). The output line is `isolab-t T0 T1 RC [T2]`.
 */
export function timingScript(o: { busybox: string; argv: string[]; readiness: 'exit' | 'running'; clock: ShellClock }): string {
  const t = CLOCK_EXPR[o.clock];
  const cmd = [o.busybox, ...o.argv].map(shellQuote).join(' ');
  if (o.readiness === 'exit') return `t0=${t}; ${cmd} </dev/null >/dev/null 2>&1; rc=$?; t1=${t}; echo "isolab-t $t0 $t1 $rc"`;
  return `t0=${t}; ${cmd} </dev/null >/dev/null 2>&1 & p=$!; t1=${t}; kill -9 $p; wait $p 2>/dev/null; t2=${t}; echo "isolab-t $t0 $t1 0 $t2"`;
}

/** The marks of one start from the timing shell's line, less the shell's own cost (never below zero). */
export function parseTiming(stdout: string, clock: ShellClock, overheadMs: number): { marks: Marks; rc: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('isolab-t '));
  if (!line) throw new Error(`the remote timing shell printed no timing line: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  const [, a, b, rc, c] = line.trim().split(/\s+/);
  const t0 = clockMs(a, clock);
  const ready = Math.max(0, clockMs(b, clock) - t0 - overheadMs);
  const reap = c === undefined ? ready : Math.max(ready, clockMs(c, clock) - t0 - 2 * overheadMs);
  return { marks: { ready, reap }, rc: Number(rc) };
}

/** The remote host's busybox, or an error that says how to install one. */
export async function remoteBusybox(conn: SshConnection): Promise<string> {
  const found = await conn.exec(FIND_BUSYBOX);
  const path = found.stdout.trim().split('\n')[0];
  if (found.code !== 0 || !path.startsWith('/')) {
    throw new Error(`no busybox on the remote host for the process floor (install busybox there, e.g. \`apt-get install busybox-static\`)${found.stderr.trim() ? `: ${found.stderr.trim().slice(0, 200)}` : ''}`);
  }
  return path;
}

/** Which clock the remote shell reads, what a reading costs (back-to-back readings) and an exec round trip. */
export async function remoteShellTiming(conn: SshConnection): Promise<ShellTiming> {
  const probe = await conn.exec('echo "${EPOCHREALTIME:-none}"; date +%s%N');
  const [epoch, date] = probe.stdout.trim().split('\n');
  const clock: ShellClock = /^\d+[.,]\d+$/.test(epoch ?? '') ? 'epochrealtime' : 'date';
  if (clock === 'date' && !/^\d{10,}$/.test(date ?? '')) throw new Error(`the remote host's date cannot give nanoseconds (it printed "${(date ?? '').slice(0, 40)}")`);
  const t = CLOCK_EXPR[clock];
  const gaps: number[] = [];
  for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
    const r = await conn.exec(`t0=${t}; t1=${t}; echo "isolab-t $t0 $t1 0"`);
    gaps.push(parseTiming(r.stdout, clock, 0).marks.ready);
  }
  const trips: number[] = [];
  for (let i = 0; i < 3; i++) trips.push((await conn.exec('true')).ms);
  return { clock, overheadMs: medianOf(gaps) ?? 0, execRoundTripMs: medianOf(trips) ?? 0 };
}

/** The shell expression that reads the remote clock. */
export const clockExpr = (clock: ShellClock): string => CLOCK_EXPR[clock];

/**
 * The floor on a remote host: the workload's program run there by the host's busybox, timed by a small shell
 * on the remote clock (one exec per start on the kept SSH connection). Its footprint and density come from
 * `RemoteProcessDriver` (instances left running there, read through the remote /proc).
 */
export class RemoteProcessTarget implements Target {
  readonly model = 'process';
  readonly phases = ['ready', 'reap'] as const;
  timing?: ShellTiming;
  private busybox?: string;

  constructor(private readonly o: { conn: SshConnection; workload: ResolvedWorkload }) {}

  async prepare(signal: AbortSignal): Promise<void> {
    const w = this.o.workload;
    if (w.image) throw new Error(`the process floor cannot run image ${w.image}: it runs busybox programs only; leave workload.image out to compare against the floor`);
    if (w.readiness.kind !== 'exit' && w.readiness.kind !== 'running') {
      throw new Error(`the process floor on a remote host times workloads ready at their exit or once running; this one is ready by ${w.readiness.kind}`);
    }
    this.busybox = await remoteBusybox(this.o.conn);
    throwIfAborted(signal);
    this.timing = await remoteShellTiming(this.o.conn);
  }

  async environment() {
    return {};
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    const w = this.o.workload;
    const script = timingScript({ busybox: this.busybox!, argv: w.command, readiness: w.readiness.kind as 'exit' | 'running', clock: this.timing!.clock });
    const r = await this.o.conn.exec(script, { timeoutMs: w.timeoutMs + 10_000 });
    const { marks, rc } = parseTiming(r.stdout, this.timing!.clock, this.timing!.overheadMs);
    if (rc !== 0) throw new Error(`${w.command.join(' ')} exited with ${rc} on the remote host${r.stderr.trim() ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`);
    ctx.onPhase('ready');
    ctx.onPhase('reap');
    if (ctx.signal.aborted) throw new CancelledError();
    return marks;
  }

  notes(): Note[] {
    const t = this.timing;
    return t ? [note('remote-shell-clock', { clock: t.clock, overheadMs: round(t.overheadMs) })] : [];
  }

  async dispose(): Promise<void> {
    // Each start ends inside its own exec (a running one is killed and reaped there): nothing is left on the host.
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
