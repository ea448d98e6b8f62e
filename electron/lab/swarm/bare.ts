import type Docker from 'dockerode';
import { engineTimeMs, type BareContainer, type BareGroup, type CleanupPhase } from '../../../shared/swarm';
import { removeContainer } from '../docker/remove';
import { swarmLabels } from './labels';
import { SWARM_COMMAND, SWARM_NETWORK } from './service';
import { elapsed, throwIfAborted } from './util';

/**
 * N bare containers started at once on the same engine, with the tasks' image, program and network: the same
 * work without the orchestrator. Timed on isolab's clock from the moment all N create requests go out, and on
 * the engine's clock from each container's Created to its StartedAt.
 */
export class BareGroupRun {
  private readonly live = new Set<string>();

  constructor(
    private readonly docker: Docker,
    private readonly runId: string,
    private readonly imageId: string,
  ) {}

  async start(n: number, signal?: AbortSignal): Promise<Omit<BareGroup, 'cleanup'>> {
    throwIfAborted(signal);
    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: n }, () => this.startOne(t0)));
    const isolabMs = elapsed(t0);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const started = results.map((r) => (r as PromiseFulfilledResult<{ id: string; createMs: number; startMs: number }>).value);
    const containers: BareContainer[] = await Promise.all(
      started.map(async ({ id, createMs, startMs }) => {
        const info = await this.docker.getContainer(id).inspect();
        const engineMs = engineTimeMs(info.State?.StartedAt) - engineTimeMs(info.Created);
        return { createMs, startMs, engineMs: Number.isFinite(engineMs) ? engineMs : undefined };
      }),
    );
    return { n, isolabMs, containers };
  }

  private async startOne(t0: number): Promise<{ id: string; createMs: number; startMs: number }> {
    const container = await this.docker.createContainer({
      Image: this.imageId,
      Entrypoint: SWARM_COMMAND,
      Labels: swarmLabels(this.runId, 'bare'),
      StopSignal: 'SIGKILL',
      HostConfig: { NetworkMode: SWARM_NETWORK },
    });
    this.live.add(container.id);
    const createMs = elapsed(t0);
    await container.start();
    return { id: container.id, createMs, startMs: elapsed(t0) };
  }

  /** Removes every container of the group at once (`docker rm -f`): the bare cleanup. */
  async remove(): Promise<CleanupPhase> {
    const ids = [...this.live];
    const t0 = performance.now();
    const gone = await Promise.all(ids.map((id) => removeContainer(this.docker, id)));
    const ms = elapsed(t0);
    ids.forEach((id, i) => gone[i] && this.live.delete(id));
    if (this.live.size) throw new Error(`${this.live.size} bare container(s) could not be removed; the next isolab start removes them`);
    return { callMs: ms, isolabMs: ms, containers: ids.length };
  }

  get liveCount(): number {
    return this.live.size;
  }
}
