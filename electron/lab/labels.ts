import os from 'node:os';

/**
 * Every container, image and VM isolab creates carries these labels. Cleanup keys on them: a resource without
 * `isolab.managed=true` is never touched, and one whose owner process is still alive is left to its owner.
 */
export const LABEL_MANAGED = 'isolab.managed';
export const LABEL_OWNER_PID = 'isolab.owner-pid';
export const LABEL_OWNER_HOST = 'isolab.owner-host';
export const LABEL_RUN = 'isolab.run';
/** On images isolab builds (never isolab.managed, which containers would inherit). */
export const LABEL_IMAGE = 'isolab.image';

export function ownerLabels(runId: string): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_OWNER_PID]: String(process.pid),
    [LABEL_OWNER_HOST]: os.hostname(),
    [LABEL_RUN]: runId,
  };
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when a labelled resource was left by an isolab process of this host that is gone. */
export function isOrphaned(labels: Record<string, string> | undefined): boolean {
  if (!labels || labels[LABEL_MANAGED] !== 'true') return false;
  if (labels[LABEL_OWNER_HOST] !== os.hostname()) return false;
  // No owner recorded: not a container this code created, so not ours to remove.
  if (!labels[LABEL_OWNER_PID]) return false;
  const pid = Number(labels[LABEL_OWNER_PID]);
  if (pid === process.pid) return false;
  return !isAlive(pid);
}
