import type { ResolvedWorkload } from '../../../../shared/plan';
import type { StartupClock } from '../../../../shared/compare';
import { note, type Note } from '../../../../shared/notes';
import { BUSYBOX_HELP, findStaticBusybox } from '../../images/busybox';
import { localShellExec, localTimingShell } from '../../shell-timing';
import { ShellProcessTarget, shellTimable } from '../../targets/shell-process';
import type { Target } from '../../targets/target';
import { ProcessDriver } from '../../workloads/process-driver';
import { markerEnv } from '../../workloads/process-sweep';
import { WorkloadTarget } from '../../workloads/target';

/**
 * The floor's starts on this machine, for a comparison. The floor is the cost of starting a process with no
 * isolation; Node's spawn and pipe handling around it are the instrument's cost, not the process's. So a workload
 * the timing shell can see ready (its exit, or its process forked), one at a time, is timed by that shell, the
 * same instrument as on a remote host: one shell started per start, the interval read inside it. Otherwise (ready
 * by a log line or a TCP accept, k at a time) isolab's own spawn times it, as before, and a note says so.
 */
export function localFloorTarget(w: ResolvedWorkload, concurrency: number): Target {
  if (shellTimable(w) && concurrency <= 1) {
    return new ShellProcessTarget({ where: 'local', workload: w, exec: async () => localShellExec(await localTimingShell(), markerEnv()), findBusybox: staticBusybox });
  }
  return new SpawnFloorTarget(new ProcessDriver(w), concurrency);
}

/** The clock a local floor target timed on: `local-shell` for the timing shell, none for isolab's spawn. */
export function localFloorClock(t: Target | undefined): StartupClock | undefined {
  const k = t instanceof ShellProcessTarget ? t.timing : undefined;
  return k && { clock: 'local-shell', shell: k.clock, overheadMs: k.overheadMs, roundTripMs: k.execRoundTripMs, sshAllowanceMs: 0 };
}

/** The floor timed by isolab's own spawn (a workload the shell cannot see ready), saying so. */
class SpawnFloorTarget extends WorkloadTarget {
  constructor(
    private readonly spawnDriver: ProcessDriver,
    private readonly k: number,
  ) {
    super(spawnDriver, k);
  }

  override notes(): Note[] {
    return [...super.notes(), note('process-spawn-clock', { readiness: this.spawnDriver.workload.readiness.kind, concurrency: this.k })];
  }
}

async function staticBusybox(): Promise<string> {
  const found = await findStaticBusybox();
  if (!found.path) throw new Error(`no static busybox on this host for the process floor. ${BUSYBOX_HELP}`);
  return found.path;
}
