import type Docker from 'dockerode';
import { describe } from './engine';

/**
 * Force-removes a container isolab created (and its anonymous volumes). True when it is gone, also when it
 * was gone already; false, after logging why, when the engine kept it (the next start's sweep retries).
 */
export async function removeContainer(docker: Docker, id: string, log?: (line: string) => void): Promise<boolean> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) {
      log?.(`could not remove container ${id.slice(0, 12)}: ${describe(err)}`);
      return false;
    }
  }
  return true;
}
