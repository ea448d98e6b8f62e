import type { BootTimeline, RebootResult, Virtualization } from '../../../shared/api-hosts';
import type { Run } from '../../../shared/run';

/** What a bench:host run carries beyond the Run schema (environment.remote, footprint.os), read safely. */
export interface HostRunView {
  resolved?: string;
  virtualization?: Virtualization;
  boot?: BootTimeline;
  reboot?: RebootResult;
  memoryUsed?: number;
  memoryTotal?: number;
  diskUsed?: number;
  processes?: number;
}

export function hostRunView(run: Run): HostRunView {
  const remote = (run.environment.remote ?? {}) as { resolved?: string; virtualization?: Virtualization; boot?: BootTimeline; reboot?: RebootResult };
  const fp = (run.footprint ?? {}) as { memory?: { used?: number; total?: number }; disk?: { used?: number }; os?: { processes?: number } };
  return {
    resolved: remote.resolved,
    virtualization: remote.virtualization,
    boot: remote.boot,
    reboot: remote.reboot,
    memoryUsed: fp.memory?.used,
    memoryTotal: fp.memory?.total,
    diskUsed: fp.disk?.used,
    processes: fp.os?.processes,
  };
}
