import type { ResolvedWorkload } from '../../../../shared/plan';
import type { StartupClock } from '../../../../shared/compare';
import { note } from '../../../../shared/notes';
import { BUSYBOX_HELP, findStaticBusybox } from '../../images/busybox';
import { localShellExec, localTimingShell } from '../../shell-timing';
import { ShellProcessTarget, shellTimable } from '../../targets/shell-process';
import type { Target } from '../../targets/target';
import { ProcessDriver } from '../../workloads/process-driver';
import { markerEnv } from '../../workloads/process-sweep';
import { NotedWorkloadTarget } from '../../workloads/target';

/**
 * The floor's starts on this machine, for a comparison. The floor is the cost of starting a process with no
 * isolation; Node's spawn and pipe handling around it are the instrument's cost, not the process's. So a workload
 * the timing shell can see ready (its exit, or its process forked), one at a time, is timed by that shell, the
 * same instrument as on a remote host: one shell started per start, the interval read inside it. Otherwise (ready
 * by a log line or a TCP accept, k at a time) isolab's own spawn times it, as before, and a note says so.
 */
export function localFloorTarget(w: ResolvedWorkload, concurrency: number, here?: TimingShellHere): Target {
  if (here && 'reason' in here) return new NotedWorkloadTarget(new ProcessDriver(w), concurrency, note('process-no-timing-shell', { reason: here.reason }));
  if (shellTimable(w) && concurrency <= 1) {
    return new ShellProcessTarget({ where: 'local', workload: w, exec: async () => localShellExec(here?.shell ?? (await localTimingShell()), markerEnv()), findBusybox: staticBusybox });
  }
  return new NotedWorkloadTarget(new ProcessDriver(w), concurrency, note('process-spawn-clock', { readiness: w.readiness.kind, concurrency }));
}

/** The shell that can time the floor here, or why none can (then isolab's spawn times it, and says so). */
export type TimingShellHere = { shell: string } | { reason: string };

/**
 * Whether this machine has a timing shell: bash with $EPOCHREALTIME, or a /bin/sh whose date gives nanoseconds.
 * Some have neither (macOS: bash 3.2, BSD date): the floor then keeps isolab's spawn rather than failing.
 */
export async function timingShellHere(): Promise<TimingShellHere> {
  const shell = await localTimingShell();
  if (shell === 'bash') return { shell };
  try {
    const r = await localShellExec(shell)('date +%s%N');
    const out = r.stdout.trim();
    return r.code === 0 && /^\d{10,}$/.test(out) ? { shell } : { reason: `no bash with $EPOCHREALTIME, and ${shell}'s date +%s%N printed "${out.slice(0, 40)}", not nanoseconds` };
  } catch (err) {
    return { reason: (err as Error).message };
  }
}

/** The clock a local floor target timed on: `local-shell` for the timing shell, none for isolab's spawn. */
export function localFloorClock(t: Target | undefined): StartupClock | undefined {
  const k = t instanceof ShellProcessTarget ? t.timing : undefined;
  return k && { clock: 'local-shell', shell: k.clock, overheadMs: k.overheadMs, roundTripMs: k.execRoundTripMs, sshAllowanceMs: 0 };
}

async function staticBusybox(): Promise<string> {
  const found = await findStaticBusybox();
  if (!found.path) throw new Error(`no static busybox on this host for the process floor. ${BUSYBOX_HELP}`);
  return found.path;
}
