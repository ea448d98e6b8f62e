import os from 'node:os';
import type { ResolvedWorkload } from '../../../shared/plan';
import { isAlive } from '../labels';
import { throwIfAborted } from '../targets/target';
import type { Instance, InstanceDriver } from '../workloads/instance';
import { PROCESS_MARKER, PROCESS_OWNER, PROCESS_OWNER_HOST } from '../workloads/process-sweep';
import type { SshConnection } from './connect';
import { clockExpr, clockMs, shellQuote, type ShellTiming } from '../shell-timing';
import { remoteBusybox, remoteShellTiming } from './process-target';

/** How long a stop waits for a killed instance to be gone from the remote /proc (reaped by the host's init). */
const GONE_WITHIN_S = 5;

/**
 * The floor's instances on a remote host, for footprint and density (its startup is `RemoteProcessTarget`'s):
 * the workload's program left running there, each in its own session (busybox setsid), started by one exec that
 * reads the remote clock around the fork and prints the pid. Footprint reads that pid's /proc through the
 * comparison's remote filesystem. Instances carry isolab's process marker with this machine's hostname and pid
 * as owner, so the next comparison from here ends what a crashed one left (`sweepRemoteProcesses`).
 */
export class RemoteProcessDriver implements InstanceDriver {
  readonly model = 'process';
  readonly phases = ['spawn', 'ready'] as const;
  readonly stopPhase = 'reap';
  private busybox?: string;
  private timing?: ShellTiming;
  private readonly live = new Set<number>();

  constructor(private readonly o: { conn: SshConnection; workload: ResolvedWorkload }) {}

  get workload(): ResolvedWorkload {
    return this.o.workload;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    const w = this.o.workload;
    if (w.image) throw new Error(`the process floor cannot run image ${w.image}: it runs busybox programs only`);
    // Footprint and density keep instances idle: a workload that is ready once running (the idle sleep).
    if (w.readiness.kind !== 'running') throw new Error(`the process floor on a remote host keeps instances running only for workloads ready once running; this one is ready by ${w.readiness.kind}`);
    this.busybox = await remoteBusybox(this.o.conn);
    throwIfAborted(signal);
    this.timing = await remoteShellTiming(this.o.conn);
    await sweepRemoteProcesses(this.o.conn);
  }

  async environment() {
    return {};
  }

  async start(signal: AbortSignal): Promise<Instance> {
    throwIfAborted(signal);
    const script = startScript({ busybox: this.busybox!, argv: this.o.workload.command, clock: clockExpr(this.timing!.clock) });
    const r = await this.o.conn.exec(script, { timeoutMs: this.o.workload.timeoutMs + 10_000 });
    const { pid, spawnMs } = parseStart(r.stdout, (s) => clockMs(s, this.timing!.clock), this.timing!.overheadMs);
    this.live.add(pid);
    if (signal.aborted) {
      await this.stop({ id: String(pid), pid, marks: {} });
      throwIfAborted(signal);
    }
    return { id: String(pid), pid, marks: { spawn: spawnMs, ready: spawnMs } };
  }

  async stop(instance: Instance): Promise<void> {
    const pid = Number(instance.id);
    if (!this.live.has(pid)) return;
    await this.o.conn.exec(stopScript(pid), { timeoutMs: (GONE_WITHIN_S + 10) * 1000 });
    this.live.delete(pid);
  }

  liveCount(): number {
    return this.live.size;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.live].map((pid) => this.stop({ id: String(pid), marks: {} }).catch(() => {})));
  }
}

/**
 * One instance's start: the program in its own session with isolab's marker, stdio detached so the exec ends at
 * once; the remote clock read before the fork and after it. Prints `isolab-s PID T0 T1`.
 */
export function startScript(o: { busybox: string; argv: string[]; clock: string }): string {
  const marker = `${PROCESS_MARKER}=true ${PROCESS_OWNER}=${process.pid} ${PROCESS_OWNER_HOST}=${shellQuote(os.hostname())}`;
  const cmd = [o.busybox, 'setsid', o.busybox, ...o.argv].map(shellQuote).join(' ');
  return `t0=${o.clock}; env ${marker} ${cmd} </dev/null >/dev/null 2>&1 & p=$!; t1=${o.clock}; echo "isolab-s $p $t0 $t1"`;
}

export function parseStart(stdout: string, toMs: (reading: string) => number, overheadMs: number): { pid: number; spawnMs: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('isolab-s '));
  const [, p, a, b] = line?.trim().split(/\s+/) ?? [];
  const pid = Number(p);
  if (!line || !Number.isInteger(pid) || pid <= 1) throw new Error(`the remote start printed no pid: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  return { pid, spawnMs: Math.max(0, toMs(b) - toMs(a) - overheadMs) };
}

/** Kills the instance's session (its process group) and waits until the pid is gone from /proc, or a zombie. */
export function stopScript(pid: number): string {
  const n = Math.trunc(pid);
  // A zombie counts as gone: it holds no memory, and the host's init reaps it in its own time.
  return `kill -9 -- -${n} 2>/dev/null || kill -9 ${n} 2>/dev/null; i=0; while [ -e /proc/${n} ] && ! grep -q '^State:.*Z' /proc/${n}/status 2>/dev/null && [ $i -lt ${GONE_WITHIN_S * 100} ]; do sleep 0.01 2>/dev/null || sleep 1; i=$((i+1)); done; true`;
}

/**
 * Ends the floor instances an isolab of THIS machine left on the remote host and no longer runs (its marker names
 * this hostname and a pid that is not alive here). Processes of another owner, or unmarked, are never touched.
 */
async function sweepRemoteProcesses(conn: SshConnection): Promise<number[]> {
  const list = await conn.exec(
    `for d in /proc/[0-9]*; do e=$(tr '\\0' '\\n' < "$d/environ" 2>/dev/null) || continue; case "$e" in *${PROCESS_MARKER}=true*) echo "\${d#/proc/} $(printf '%s\\n' "$e" | grep '^${PROCESS_OWNER}=' | cut -d= -f2) $(printf '%s\\n' "$e" | grep '^${PROCESS_OWNER_HOST}=' | cut -d= -f2-)";; esac; done`,
  );
  const orphans = orphanedRemote(list.stdout, os.hostname(), isAlive);
  if (orphans.length) await conn.exec(orphans.map((p) => `kill -9 -- -${p} 2>/dev/null || kill -9 ${p} 2>/dev/null`).join('; ') + '; true');
  return orphans;
}

/** From `PID OWNER_PID OWNER_HOST` lines: the pids whose owner was an isolab of `host` that no longer runs. */
export function orphanedRemote(lines: string, host: string, alive: (pid: number) => boolean): number[] {
  const out: number[] = [];
  for (const line of lines.split('\n')) {
    const [p, owner, ...rest] = line.trim().split(' ');
    const pid = Number(p);
    const ownerPid = Number(owner);
    if (!Number.isInteger(pid) || pid <= 1 || !Number.isInteger(ownerPid) || ownerPid <= 0) continue;
    if (rest.join(' ') !== host || ownerPid === process.pid || alive(ownerPid)) continue;
    out.push(pid);
  }
  return out;
}
