import type Docker from 'dockerode';
import { engineTimeMs, type CleanupPhase, type ServicePhase } from '../../../shared/swarm';
import { describe } from '../docker/engine';
import { LABEL_TASK_SERVICE, swarmLabels } from './labels';
import { type ContainerTimes, TaskTracker } from './timeline';
import { elapsed, pause, statusCode, throwIfAborted } from './util';

/** The program every task and bare container runs: it stays up until removed, and prints nothing. */
export const SWARM_COMMAND = ['sleep', '3600'];
/** Swarm services cannot use `none` (moby#44403): tasks share the host's stack, and send nothing. */
export const SWARM_NETWORK = 'host';

export interface ServiceSpecInput {
  name: string;
  runId: string;
  /** The image's ID (sha256:…): a node's agent pulls a tag from its registry before each task, never an ID. */
  imageId: string;
  replicas: number;
  /** The node the tasks are pinned to: this engine, also in a swarm of several nodes. */
  nodeId: string;
}

/**
 * The service isolab creates. The image is named by its ID so no node ever contacts a registry for it; tasks
 * join the predefined `host` network (no bridge, no veth, no ingress: no published ports); they are killed at
 * once on removal (SIGKILL, as `docker rm -f` does to the bare containers) and never restarted (a task that
 * stops is an error to report, not something to hide).
 */
export function serviceSpec(o: ServiceSpecInput): Docker.CreateServiceOptions {
  return {
    Name: o.name,
    Labels: swarmLabels(o.runId, 'service'),
    TaskTemplate: {
      ContainerSpec: {
        Image: o.imageId,
        Command: SWARM_COMMAND,
        Labels: swarmLabels(o.runId, 'task'),
        StopSignal: 'SIGKILL',
        StopGracePeriod: 0,
      },
      Networks: [{ Target: SWARM_NETWORK }],
      Placement: { Constraints: [`node.id==${o.nodeId}`] },
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { Replicated: { Replicas: o.replicas } },
  };
}

/** A task that ended instead of running: the engine's own reason. */
class SwarmTaskError extends Error {
  readonly code = 'swarm-task-failed';
  constructor(message: string) {
    super(message);
    this.name = 'SwarmTaskError';
  }
}

export interface PollOptions {
  pollMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onPoll?: (running: number, wanted: number) => void;
}

/** One service isolab created, timed through create, scale-out and removal. */
export class TimedService {
  private readonly tracker = new TaskTracker();
  private createdAt = NaN;
  private removed = false;

  private constructor(
    private readonly docker: Docker,
    readonly id: string,
    readonly name: string,
  ) {}

  /** Creates the service and waits until its N tasks run: the create phase. */
  static async create(docker: Docker, spec: Docker.CreateServiceOptions, poll: PollOptions): Promise<{ service: TimedService; phase: ServicePhase }> {
    throwIfAborted(poll.signal);
    const t0 = performance.now();
    const { id } = await docker.createService(spec);
    const callMs = elapsed(t0);
    if (!id) throw new Error(`the engine created service ${spec.Name} but did not say its id`);
    const service = new TimedService(docker, id, spec.Name ?? id);
    const replicas = spec.Mode?.Replicated?.Replicas ?? 1;
    try {
      const info = await docker.getService(id).inspect();
      service.createdAt = engineTimeMs(info.CreatedAt);
      const phase = await service.waitRunning(t0, callMs, { kind: 'create', from: 0, to: replicas }, () => true, poll);
      return { service, phase };
    } catch (err) {
      // The caller has no service to remove yet: remove it here, and wait for its tasks to go (also after a
      // cancel), before passing the error on.
      await service.remove({ ...poll, signal: undefined }).catch(() => {});
      throw err;
    }
  }

  /** Scales out from N to M and waits until all M run: the scale phase, timed on the new tasks. */
  async scale(from: number, to: number, poll: PollOptions): Promise<ServicePhase> {
    throwIfAborted(poll.signal);
    const before = new Set(this.tracker.ids());
    const info = await this.docker.getService(this.id).inspect();
    const spec = { ...info.Spec, Mode: { Replicated: { Replicas: to } } };
    const t0 = performance.now();
    await this.docker.getService(this.id).update({ _query: { version: info.Version?.Index }, _body: spec });
    const callMs = elapsed(t0);
    return this.waitRunning(t0, callMs, { kind: 'scale', from, to }, (id) => !before.has(id), poll);
  }

  private async waitRunning(
    t0: number,
    callMs: number,
    phase: Pick<ServicePhase, 'kind' | 'from' | 'to'>,
    mine: (taskId: string) => boolean,
    poll: PollOptions,
  ): Promise<ServicePhase> {
    let polls = 0;
    let isolabMs: number;
    for (;;) {
      const tasks = await this.docker.listTasks({ filters: { service: [this.id] } });
      isolabMs = elapsed(t0);
      polls++;
      this.tracker.observe(tasks, isolabMs);
      const failed = this.tracker.failures();
      if (failed.length) {
        const f = failed[0];
        throw new SwarmTaskError(`a task of service ${this.name} ${f.state} instead of running: ${f.err || f.message || 'the engine gave no reason'}`);
      }
      const { wanted, running } = this.tracker.counts();
      poll.onPoll?.(running, phase.to);
      if (wanted >= phase.to && running >= phase.to) break;
      if (isolabMs > poll.timeoutMs) {
        const why = this.tracker.waiting();
        throw new Error(`${running} of ${phase.to} tasks of service ${this.name} were running after ${Math.round(isolabMs / 1000)} s${why.length ? ` (${why.join('; ')})` : ''}`);
      }
      await pause(poll.pollMs, poll.signal);
    }
    const containers = await this.containerTimes(mine);
    const span = this.tracker.span(mine);
    const from = phase.kind === 'create' ? this.createdAt : span.firstCreated;
    const engineMs = span.lastRunning - from;
    return {
      ...phase,
      callMs,
      isolabMs,
      engineMs: Number.isFinite(engineMs) ? engineMs : undefined,
      polls,
      tasks: this.tracker.timelines(mine, containers),
    };
  }

  /** Each task container's Created and StartedAt (engine clock), read once the tasks run. */
  private async containerTimes(mine: (taskId: string) => boolean): Promise<Map<string, ContainerTimes>> {
    const out = new Map<string, ContainerTimes>();
    await Promise.all(
      [...this.tracker.containerIds(mine).values()].map(async (cid) => {
        try {
          const info = await this.docker.getContainer(cid).inspect();
          out.set(cid, { created: engineTimeMs(info.Created), started: engineTimeMs(info.State?.StartedAt) });
        } catch {
          // gone already: the timeline keeps the task states
        }
      }),
    );
    return out;
  }

  /**
   * Removes the service and waits until none of its task containers is left: the cleanup phase. Safe to call
   * again (a service already gone is fine); with `poll.signal` already fired it still removes, without waiting.
   */
  async remove(poll: Omit<PollOptions, 'signal'> & { signal?: AbortSignal }): Promise<CleanupPhase> {
    const containers = (await this.taskContainers()).length;
    const t0 = performance.now();
    if (!this.removed) {
      try {
        await this.docker.getService(this.id).remove();
      } catch (err) {
        if (statusCode(err) !== 404) throw new Error(`could not remove service ${this.name}: ${describe(err)}`);
      }
      this.removed = true;
    }
    const callMs = elapsed(t0);
    let stoppedMs: number | undefined;
    for (;;) {
      const left = await this.taskContainers();
      const isolabMs = elapsed(t0);
      if (stoppedMs === undefined && !left.some((c) => c.State === 'running')) stoppedMs = isolabMs;
      if (!left.length) return { callMs, stoppedMs, isolabMs, containers };
      if (isolabMs > poll.timeoutMs) throw new Error(`${left.length} container(s) of service ${this.name} were still there ${Math.round(isolabMs / 1000)} s after it was removed`);
      if (poll.signal?.aborted) return { callMs, stoppedMs, isolabMs, containers };
      await pause(poll.pollMs);
    }
  }

  private async taskContainers(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [`${LABEL_TASK_SERVICE}=${this.id}`] } });
  }

  get isRemoved(): boolean {
    return this.removed;
  }
}
