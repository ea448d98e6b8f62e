import type Docker from 'dockerode';
import { isOrphaned, LABEL_MANAGED } from '../labels';

/**
 * Removes the containers a crashed isolab left behind: labelled isolab.managed=true and owned by a process of
 * this host that no longer runs. Containers of a live isolab, of another host, or without the label stay.
 */
export async function sweepContainers(docker: Docker): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
  const removed: string[] = [];
  for (const c of list) {
    if (!isOrphaned(c.Labels)) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
      removed.push(c.Id);
    } catch (err) {
      // Already gone (another sweeper won the race) is fine.
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return removed;
}
