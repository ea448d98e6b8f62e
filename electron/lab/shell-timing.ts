import { spawn } from 'node:child_process';
import { note, type Note } from '../../shared/notes';
import { medianOf } from '../../shared/stats';
import type { Marks } from './targets/target';

/**
 * The floor's one instrument, on this machine and on a remote host alike: a small shell started once per start
 * reads the clock, forks and execs the program, reads the clock again and prints both readings. The interval is
 * read inside the shell, so what brings the shell up (Node's spawn and pipes here, an SSH exec there) is outside
 * every figure; the shell's own cost (two back-to-back readings) is measured the same way and taken off.
 *
 * The clock: bash's (or busybox ash's) $EPOCHREALTIME, no process started to read it; else `date +%s%N`, one
 * process per reading, whose cost the back-to-back readings measure.
 */
export type ShellClock = 'epochrealtime' | 'date';

/** What the timing shell costs and how it reads the clock: recorded beside the figures. */
export interface ShellTiming {
  clock: ShellClock;
  /** Median of back-to-back clock readings with nothing between them: subtracted from every interval. */
  overheadMs: number;
  /** Wall time of one exec of a shell that does nothing (SSH exec there, Node's spawn here): in no figure. */
  execRoundTripMs: number;
}

/** One exec of a shell script: the local child_process (`localShellExec`) or the SSH connection's exec. */
export type ShellExec = (script: string, o?: { timeoutMs?: number; signal?: AbortSignal }) => Promise<{ stdout: string; stderr: string; code: number | null; ms: number }>;

const CLOCK_EXPR: Record<ShellClock, string> = { epochrealtime: '$EPOCHREALTIME', date: '$(date +%s%N)' };
const OVERHEAD_SAMPLES = 7;

/** A figure of a shell-clock note, to the µs (the clock's own resolution). */
export const toMicros = (ms: number): number => Math.round(ms * 1000) / 1000;

/** The note a figure timed by a remote host's timing shell carries: which clock, and what a pair of readings cost. */
export function remoteShellClockNote(t: ShellTiming): Note {
  return note('remote-shell-clock', { clock: t.clock, overheadMs: toMicros(t.overheadMs) });
}

/** The shell expression that reads the clock. */
export const clockExpr = (clock: ShellClock): string => CLOCK_EXPR[clock];

/** A word the shell takes literally (single quotes, with a quote inside closed, escaped and reopened). */
export function shellQuote(s: string): string {
  return `'${s.split("'").join(`'\\''`)}'`;
}

/** A clock reading in ms: EPOCHREALTIME is seconds with a decimal separator (a comma in some locales), date is ns. */
export function clockMs(reading: string, clock: ShellClock): number {
  if (clock === 'date') {
    if (!/^\d{10,}$/.test(reading)) throw new Error(`the shell's clock gave "${reading.slice(0, 40)}", not nanoseconds (does its date know %N?)`);
    // Keep precision: split before turning into a float.
    return Number(reading.slice(0, -6)) + Number(reading.slice(-6)) / 1e6;
  }
  const m = /^(\d+)[.,](\d{1,9})$/.exec(reading);
  if (!m) throw new Error(`the shell's clock gave "${reading.slice(0, 40)}", not seconds.microseconds`);
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
  if (!line) throw new Error(`the timing shell printed no timing line: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  const [, a, b, rc, c] = line.trim().split(/\s+/);
  const t0 = clockMs(a, clock);
  const ready = Math.max(0, clockMs(b, clock) - t0 - overheadMs);
  const reap = c === undefined ? ready : Math.max(ready, clockMs(c, clock) - t0 - 2 * overheadMs);
  return { marks: { ready, reap }, rc: Number(rc) };
}

/** Which clock the shell reads, what a pair of readings costs (back-to-back) and what one exec of it takes. */
export async function probeShellTiming(exec: ShellExec, where = 'the host'): Promise<ShellTiming> {
  const probe = await exec('echo "${EPOCHREALTIME:-none}"; date +%s%N');
  const [epoch, date] = probe.stdout.trim().split('\n');
  const clock: ShellClock = /^\d+[.,]\d+$/.test(epoch ?? '') ? 'epochrealtime' : 'date';
  if (clock === 'date' && !/^\d{10,}$/.test(date ?? '')) throw new Error(`${where}'s date cannot give nanoseconds (it printed "${(date ?? '').slice(0, 40)}")`);
  const t = CLOCK_EXPR[clock];
  const gaps: number[] = [];
  for (let i = 0; i < OVERHEAD_SAMPLES; i++) {
    const r = await exec(`t0=${t}; t1=${t}; echo "isolab-t $t0 $t1 0"`);
    gaps.push(parseTiming(r.stdout, clock, 0).marks.ready);
  }
  const trips: number[] = [];
  for (let i = 0; i < 3; i++) trips.push((await exec('true')).ms);
  return { clock, overheadMs: medianOf(gaps) ?? 0, execRoundTripMs: medianOf(trips) ?? 0 };
}

/** Output a local timing shell may print before isolab stops reading it (a timing line is one short line). */
const OUTPUT_CAP = 64 * 1024;

/**
 * An exec on this machine: `shell -c script`, in its own process group (a cancel or a timeout kills the shell
 * and whatever it started), its environment the PATH and `env` (the floor's process markers, for the sweep).
 */
export function localShellExec(shell: string, env: Record<string, string> = {}): ShellExec {
  return (script, o = {}) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(shell, ['-c', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
        detached: process.platform !== 'win32',
      });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => {
        if (stdout.length < OUTPUT_CAP) stdout += c.toString('utf8');
      });
      child.stderr!.on('data', (c: Buffer) => {
        if (stderr.length < OUTPUT_CAP) stderr += c.toString('utf8');
      });
      const kill = () => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const timer = o.timeoutMs ? setTimeout(kill, o.timeoutMs) : undefined;
      timer?.unref();
      o.signal?.addEventListener('abort', kill, { once: true });
      const done = () => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', kill);
      };
      child.once('error', (err) => {
        done();
        reject(new Error(`could not start ${shell}: ${err.message}`));
      });
      child.once('close', (code) => {
        done();
        resolve({ stdout, stderr, code, ms: performance.now() - t0 });
      });
    });
}

/**
 * This machine's timing shell: bash where it has $EPOCHREALTIME (no process per reading), else /bin/sh with
 * the `date` clock (probeShellTiming then measures and takes off what each reading costs).
 */
export async function localTimingShell(): Promise<string> {
  try {
    const r = await localShellExec('bash')('echo "${EPOCHREALTIME:-none}"');
    if (r.code === 0 && /^\d+[.,]\d+$/.test(r.stdout.trim())) return 'bash';
  } catch {
    // No bash here: the POSIX shell with the date clock.
  }
  return '/bin/sh';
}
