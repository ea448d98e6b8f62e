import os from 'node:os';
import type { Owner } from '../../shared/run';
import { isAlive } from './labels';

/** This isolab process, as recorded in the documents it writes (the same pid and host its containers carry). */
export function thisOwner(): Owner {
  return { pid: process.pid, host: os.hostname() };
}

/**
 * True when the owner was an isolab process of this host that has ended. An owner on another host (a data
 * directory on a shared disk) or still running is never judged gone; neither is a document with no owner.
 */
export function ownerGone(owner: Owner | undefined): boolean {
  if (!owner || owner.host !== os.hostname()) return false;
  if (owner.pid === process.pid) return false;
  return !isAlive(owner.pid);
}
