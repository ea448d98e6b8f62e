import { z } from 'zod';
import { engineTimeMs, TASK_FAILED_STATES, TASK_STATES, type TaskMark, type TaskState, type TaskTimeline } from '../../../shared/swarm';

/**
 * A task as `GET /tasks` returns it, the fields isolab reads. The engine keeps one status per task (its current
 * state and the time it entered it), not a history: a timeline is what successive polls saw, each state stamped
 * with the engine's own timestamp for it.
 */
export const EngineTask = z.object({
  ID: z.string(),
  ServiceID: z.string().optional(),
  Slot: z.number().int().optional(),
  CreatedAt: z.string(),
  DesiredState: z.string().optional(),
  Status: z.object({
    Timestamp: z.string().optional(),
    State: z.string(),
    Message: z.string().optional(),
    Err: z.string().optional(),
    ContainerStatus: z.object({ ContainerID: z.string().optional() }).optional(),
  }),
});
export type EngineTask = z.infer<typeof EngineTask>;

/** States between new and running a poll may miss; `allocated` is in the API but today's swarmkit skips it. */
const EXPECTED: TaskState[] = ['pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting'];

interface Tracked {
  id: string;
  slot?: number;
  createdAtText: string;
  /** Engine clock, ms since the epoch. */
  createdAt: number;
  /** Each state the first time a poll saw it: its engine timestamp (epoch ms) and isolab's clock then. */
  states: Map<TaskState, { at: number; seenMs: number }>;
  current: string;
  desired?: string;
  err?: string;
  message?: string;
  containerId?: string;
}

export interface TaskFailure {
  id: string;
  state: string;
  err?: string;
  message?: string;
}

/** Times a container's Created and State.StartedAt on the engine clock (epoch ms), from its inspect. */
export interface ContainerTimes {
  created: number;
  started: number;
}

/** Builds task timelines from successive polls of one service's tasks. */
export class TaskTracker {
  private readonly tasks = new Map<string, Tracked>();

  /** Parses one poll's answer (engine data: checked at this boundary) and records what changed. */
  observe(raw: unknown[], seenMs: number): void {
    for (const item of raw) {
      const parsed = EngineTask.safeParse(item);
      if (parsed.success) this.record(parsed.data, seenMs);
    }
  }

  private record(t: EngineTask, seenMs: number): void {
    let tracked = this.tasks.get(t.ID);
    if (!tracked) {
      tracked = { id: t.ID, slot: t.Slot, createdAtText: t.CreatedAt, createdAt: engineTimeMs(t.CreatedAt), states: new Map(), current: t.Status.State };
      this.tasks.set(t.ID, tracked);
    }
    tracked.current = t.Status.State;
    tracked.desired = t.DesiredState;
    tracked.err = t.Status.Err || tracked.err;
    tracked.message = t.Status.Message;
    tracked.containerId = t.Status.ContainerStatus?.ContainerID || tracked.containerId;
    const state = t.Status.State as TaskState;
    // `new` is the task's CreatedAt; later states keep the first timestamp seen (the time the task entered them).
    if (state !== 'new' && TASK_STATES.includes(state) && !tracked.states.has(state)) {
      tracked.states.set(state, { at: engineTimeMs(t.Status.Timestamp), seenMs });
    }
  }

  ids(): string[] {
    return [...this.tasks.keys()];
  }

  /** Tasks meant to run (desired state running) and, of those, the ones running now. */
  counts(only?: (id: string) => boolean): { wanted: number; running: number } {
    let wanted = 0;
    let running = 0;
    for (const t of this.tasks.values()) {
      if (only && !only(t.id)) continue;
      if (t.desired !== undefined && t.desired !== 'running') continue;
      wanted++;
      if (t.current === 'running') running++;
    }
    return { wanted, running };
  }

  /** Tasks that ended without running (or stopped): the engine's error says why (no image, no suitable node ...). */
  failures(): TaskFailure[] {
    return [...this.tasks.values()]
      .filter((t) => (TASK_FAILED_STATES as readonly string[]).includes(t.current))
      .map((t) => ({ id: t.id, state: t.current, err: t.err, message: t.message }));
  }

  /** Why tasks are still waiting, as the engine says it (a pending task's "no suitable node ..."). */
  waiting(): string[] {
    return [...new Set([...this.tasks.values()].filter((t) => t.current !== 'running' && t.err).map((t) => `${t.current}: ${t.err}`))];
  }

  containerIds(only?: (id: string) => boolean): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of this.tasks.values()) if ((!only || only(t.id)) && t.containerId) out.set(t.id, t.containerId);
    return out;
  }

  /** The last running timestamp among these tasks (engine clock, epoch ms), and the first CreatedAt. */
  span(only?: (id: string) => boolean): { firstCreated: number; lastRunning: number } {
    let firstCreated = Infinity;
    let lastRunning = -Infinity;
    for (const t of this.tasks.values()) {
      if (only && !only(t.id)) continue;
      firstCreated = Math.min(firstCreated, t.createdAt);
      const running = t.states.get('running');
      if (running) lastRunning = Math.max(lastRunning, running.at);
    }
    return { firstCreated, lastRunning };
  }

  /** Each task's timeline (engine clock, ms from its CreatedAt), with its container's marks when given. */
  timelines(only?: (id: string) => boolean, containers?: Map<string, ContainerTimes>): TaskTimeline[] {
    const out: TaskTimeline[] = [];
    for (const t of this.tasks.values()) {
      if (only && !only(t.id)) continue;
      out.push(toTimeline(t, t.containerId ? containers?.get(t.containerId) : undefined));
    }
    return out.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || a.createdAt.localeCompare(b.createdAt));
  }
}

function toTimeline(t: Tracked, container: ContainerTimes | undefined): TaskTimeline {
  const marks: (TaskMark & { order: number })[] = [{ name: 'new', ms: 0, order: 0 }];
  for (const [state, { at, seenMs }] of t.states) {
    if (Number.isFinite(at)) marks.push({ name: state, ms: at - t.createdAt, seenMs, order: TASK_STATES.indexOf(state) });
  }
  if (container) {
    // Between preparing and ready (create), between starting and running (start): ordered by time, ties after states.
    if (Number.isFinite(container.created)) marks.push({ name: 'containerCreated', ms: container.created - t.createdAt, order: TASK_STATES.indexOf('preparing') + 0.5 });
    if (Number.isFinite(container.started)) marks.push({ name: 'containerStarted', ms: container.started - t.createdAt, order: TASK_STATES.indexOf('starting') + 0.5 });
  }
  marks.sort((a, b) => a.ms - b.ms || a.order - b.order);
  return {
    id: t.id,
    slot: t.slot,
    createdAt: t.createdAtText,
    marks: marks.map(({ order: _order, ...m }) => m),
    missed: EXPECTED.filter((s) => !t.states.has(s)),
    containerId: t.containerId,
  };
}
