import { z } from 'zod';
import { Ratio } from './compare';
import { EngineFacts, HostFacts, Owner, PhaseSummary, RunStatus } from './run';
import { Note } from './note-schema';
import { ratioOfMedians, summarize } from './stats';

/**
 * The Swarm document: an orchestrated model, a Docker Swarm service on the local engine, measured against N bare
 * container starts on the same engine in the same session (what the orchestrator adds).
 *
 * Two clocks, never mixed in one subtraction:
 * - the engine's clock: task status timestamps, a task's CreatedAt, a service's CreatedAt/UpdatedAt, a container's
 *   Created/StartedAt. On a local engine it is the host's wall clock (not monotonic). Fields named `engine…`
 *   and every task mark are differences of two of its readings;
 * - isolab's monotonic clock: from the moment isolab sent a request to the moment it saw the answer (a call
 *   returned, a poll saw every task running). Fields named `isolab…` and `callMs` are differences of its readings.
 * Ratios divide two durations each taken on one clock, and say which.
 */
export const SWARM_SCHEMA = 'isolab.swarm/1' as const;

/** Swarm task states up to running, in the order swarmkit moves a task through them. */
export const TASK_STATES = ['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running'] as const;
export type TaskState = (typeof TASK_STATES)[number];
/** Where a task ends when it does not run: the engine's verdict, with its error. */
export const TASK_FAILED_STATES = ['failed', 'rejected', 'shutdown', 'complete', 'orphaned', 'remove'] as const;

/**
 * Stages a chart can stack, each between two task states when both were seen: who spends the time.
 * orchestrate: the manager (orchestrator, allocator, scheduler); dispatch: the dispatcher hands the task to the
 * node's agent; prepare: the agent creates the container; start: it starts it and reports it running.
 */
export const TASK_STAGES = [
  { name: 'orchestrate', from: 'new', to: 'assigned' },
  { name: 'dispatch', from: 'assigned', to: 'preparing' },
  { name: 'prepare', from: 'preparing', to: 'starting' },
  { name: 'start', from: 'starting', to: 'running' },
] as const satisfies readonly { name: string; from: TaskState; to: TaskState }[];

export const SwarmRequest = z
  .object({
    /** Tasks the service is created with (N). */
    replicas: z.number().int().min(1).max(100).default(3),
    /** Tasks it is then scaled out to (M > N); left out: no scale-out. */
    scaleTo: z.number().int().min(2).max(200).optional(),
    /** Timed rounds; each runs the service (create, scale, remove) and the N bare containers, in alternating order. */
    rounds: z.number().int().min(1).max(50).default(3),
    /** Untimed rounds first: the first tasks on a fresh swarm also set up its ingress sandbox. */
    warmup: z.number().int().min(0).max(10).default(1),
    /** Also start N bare containers in each round: the comparison. */
    bare: z.boolean().default(true),
    /** Consent to create a single-node swarm when the engine is in none (it is left again at the end). */
    createSwarm: z.boolean().default(false),
    /** Pause between two task polls (ms): the isolab-clock times are late by up to this much plus one poll. */
    pollMs: z.number().int().min(5).max(1000).default(20),
    /** Longest wait for one phase (all tasks running, all containers gone). */
    timeoutMs: z.number().int().min(1000).max(3_600_000).default(180_000),
  })
  .refine((r) => r.scaleTo === undefined || r.scaleTo > r.replicas, { message: 'scaleTo must be more than replicas', path: ['scaleTo'] });
export type SwarmRequest = z.input<typeof SwarmRequest>;
export type SwarmPlan = z.output<typeof SwarmRequest>;

export const TaskMark = z.object({
  /** A task state (from its status timestamp) or a container mark (from the container's inspect). */
  name: z.string(),
  /** Engine clock: ms from the task's CreatedAt. */
  ms: z.number(),
  /** isolab clock: ms from the phase's request to the poll that first saw this state (task states only). */
  seenMs: z.number().optional(),
});
export type TaskMark = z.infer<typeof TaskMark>;

export const TaskTimeline = z.object({
  id: z.string(),
  slot: z.number().int().optional(),
  /** The task's CreatedAt as the engine wrote it (RFC 3339, ns): the zero of its marks; it is the `new` state. */
  createdAt: z.string(),
  /** In time order (ties in the order the states come). States a poll never saw are not here (see `missed`). */
  marks: z.array(TaskMark),
  /** States between new and running that no poll caught: the task went through them between two polls. */
  missed: z.array(z.string()),
  containerId: z.string().optional(),
});
export type TaskTimeline = z.infer<typeof TaskTimeline>;

export const ServicePhase = z.object({
  kind: z.enum(['create', 'scale']),
  from: z.number().int(),
  to: z.number().int(),
  /** isolab clock: the request to the answer of the create/update call. */
  callMs: z.number(),
  /** isolab clock: the request to the first poll that saw every task running. */
  isolabMs: z.number(),
  /** Engine clock: the service's CreatedAt (create) or the first new task's CreatedAt (scale) to the last task's running timestamp. */
  engineMs: z.number().optional(),
  polls: z.number().int(),
  /** The tasks this phase started (a scale-out: only the new ones). */
  tasks: z.array(TaskTimeline),
});
export type ServicePhase = z.infer<typeof ServicePhase>;

export const CleanupPhase = z.object({
  /** isolab clock: the request to the answer of the remove call(s). */
  callMs: z.number(),
  /** isolab clock: the request to the first poll that found none of its containers running (a service's tasks are stopped, then removed). */
  stoppedMs: z.number().optional(),
  /** isolab clock: the request to the first poll that found none of its containers left. */
  isolabMs: z.number(),
  containers: z.number().int(),
});
export type CleanupPhase = z.infer<typeof CleanupPhase>;

export const BareContainer = z.object({
  /** isolab clock, from the group's request: create answered, start answered. */
  createMs: z.number(),
  startMs: z.number(),
  /** Engine clock: the container's Created to its State.StartedAt. */
  engineMs: z.number().optional(),
});
export type BareContainer = z.infer<typeof BareContainer>;

export const BareGroup = z.object({
  n: z.number().int(),
  /** isolab clock: the first create request (all N are sent at once) to the last start call's answer. */
  isolabMs: z.number(),
  containers: z.array(BareContainer),
  cleanup: CleanupPhase.optional(),
});
export type BareGroup = z.infer<typeof BareGroup>;

export const SwarmRound = z.object({
  index: z.number().int(),
  warmup: z.boolean(),
  order: z.array(z.enum(['service', 'bare'])),
  service: z
    .object({
      id: z.string(),
      name: z.string(),
      create: ServicePhase.optional(),
      scale: ServicePhase.optional(),
      cleanup: CleanupPhase.optional(),
    })
    .optional(),
  bare: BareGroup.optional(),
});
export type SwarmRound = z.infer<typeof SwarmRound>;

/** What isolab found on the engine and what it did to it; `restored` says it was left as found. */
export const SwarmState = z.object({
  found: z.string(),
  created: z.boolean(),
  nodeId: z.string().optional(),
  /** isolab clock: `swarm init` and `swarm leave` calls, when isolab made them. */
  initMs: z.number().optional(),
  leaveMs: z.number().optional(),
  /** docker_gwbridge before the run: there already, or absent (then isolab created it, labelled, and removes it). */
  gwbridge: z.enum(['existed', 'created', 'absent']).optional(),
  restored: z.boolean().optional(),
});
export type SwarmState = z.infer<typeof SwarmState>;


export const SwarmSummary = z.object({
  service: z.object({
    allRunning: PhaseSummary,
    allRunningEngine: PhaseSummary,
    taskCreateToRunning: PhaseSummary,
    stages: z.record(z.string(), PhaseSummary),
  }),
  scale: z.object({ allRunning: PhaseSummary, allRunningEngine: PhaseSummary, taskCreateToRunning: PhaseSummary }).optional(),
  cleanup: PhaseSummary,
  /** isolab clock: service rm to none of its containers running (they are removed after). */
  cleanupStopped: PhaseSummary.optional(),
  bare: z.object({ allRunning: PhaseSummary, createdToStarted: PhaseSummary, cleanup: PhaseSummary }).optional(),
  /**
   * Service over bare, each a ratio of medians with a bootstrap interval: allRunning (isolab clock, per round),
   * perInstance (engine clock: a task's CreatedAt→running over a bare container's Created→StartedAt), cleanup
   * (isolab clock, per round).
   */
  ratios: z.object({ allRunning: Ratio, perInstance: Ratio, cleanup: Ratio }).optional(),
});
export type SwarmSummary = z.infer<typeof SwarmSummary>;

export const SwarmDoc = z.object({
  schema: z.literal(SWARM_SCHEMA),
  id: z.string().min(1),
  model: z.literal('swarm'),
  status: RunStatus,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  owner: Owner.optional(),
  request: z.record(z.string(), z.unknown()),
  environment: z.object({ host: HostFacts.optional(), engine: EngineFacts.optional(), isolabVersion: z.string().optional() }),
  swarm: SwarmState.optional(),
  /** The network tasks and bare containers use: `host` (swarm services have no `none`; moby#44403). */
  network: z.string(),
  image: z.object({ ref: z.string(), id: z.string() }).optional(),
  rounds: z.array(SwarmRound),
  summary: SwarmSummary.optional(),
  notes: z.array(Note),
  error: z.string().optional(),
  errorCode: z.string().optional(),
});
export type SwarmDoc = z.infer<typeof SwarmDoc>;

export const SwarmListItem = z.object({
  id: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  replicas: z.number().int().optional(),
  scaleTo: z.number().int().optional(),
  medianAllRunningMs: z.number().optional(),
});
export type SwarmListItem = z.infer<typeof SwarmListItem>;

export function toSwarmListItem(d: SwarmDoc): SwarmListItem {
  const r = d.request as { replicas?: number; scaleTo?: number };
  return { id: d.id, status: d.status, startedAt: d.startedAt, replicas: r.replicas, scaleTo: r.scaleTo, medianAllRunningMs: d.summary?.service.allRunning.median };
}

// ---- consent --------------------------------------------------------------------------------------------------

const SWARM_NEEDS_CONSENT = 'swarm-needs-consent' as const;

/**
 * The engine is in no swarm and the user did not agree to create one. Faces render `code`: the CLI names
 * --create-swarm, the UI asks. The message starts with the code, so a face that only gets the text still knows.
 */
export class SwarmNeedsConsentError extends Error {
  readonly code = SWARM_NEEDS_CONSENT;
  constructor(readonly endpoint: string) {
    super(
      `${SWARM_NEEDS_CONSENT}: the Docker engine (${endpoint}) is in no swarm. isolab creates a single-node swarm ` +
        '(on 127.0.0.1) only with your consent, and leaves it again at the end',
    );
    this.name = 'SwarmNeedsConsentError';
  }
}

export function isSwarmNeedsConsent(err: unknown): boolean {
  return ((err as Error)?.message ?? String(err)).includes(`${SWARM_NEEDS_CONSENT}:`);
}

// ---- engine time ----------------------------------------------------------------------------------------------

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

/**
 * An engine timestamp (RFC 3339 with up to nanoseconds, as Go writes it: trailing zeros dropped) as ms since the
 * epoch with its fraction (µs kept; a double holds them at today's epoch). NaN when it is not one; Go's zero
 * time (0001-01-01) is NaN too: the engine's way of saying "never".
 */
export function engineTimeMs(text: string | undefined): number {
  const m = text ? RFC3339.exec(text) : null;
  if (!m || m[1].startsWith('0001-')) return NaN;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  const fraction = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return whole + fraction;
}

// ---- timeline checks ------------------------------------------------------------------------------------------

/**
 * What is wrong with a task timeline's order, in words (empty when nothing): its states must come in swarmkit's
 * order, each at or after the one before it; the container must start at or after it was created and before the
 * task is reported running. Ties are allowed: the engine stamps some transitions with one timestamp.
 */
export function timelineIssues(t: TaskTimeline): string[] {
  const issues: string[] = [];
  const states = t.marks.filter((m) => (TASK_STATES as readonly string[]).includes(m.name));
  for (let i = 1; i < states.length; i++) {
    const a = states[i - 1];
    const b = states[i];
    if (TASK_STATES.indexOf(b.name as TaskState) < TASK_STATES.indexOf(a.name as TaskState)) issues.push(`${b.name} came after ${a.name}`);
    if (b.ms < a.ms) issues.push(`${b.name} (${b.ms.toFixed(3)} ms) is before ${a.name} (${a.ms.toFixed(3)} ms)`);
  }
  if (states[0]?.name !== 'new') issues.push('no new state');
  if (states.at(-1)?.name !== 'running') issues.push('not running');
  const at = (name: string) => t.marks.find((m) => m.name === name)?.ms;
  const created = at('containerCreated');
  const started = at('containerStarted');
  const running = at('running');
  if (created !== undefined && started !== undefined && started < created) issues.push('the container started before it was created');
  if (started !== undefined && running !== undefined && running < started) issues.push('running was reported before the container started');
  return issues;
}

/** A stage's duration on the engine clock, when the task's timeline has both ends. */
function stageMs(t: TaskTimeline, stage: (typeof TASK_STAGES)[number]): number | undefined {
  const from = t.marks.find((m) => m.name === stage.from);
  const to = t.marks.find((m) => m.name === stage.to);
  return from && to ? to.ms - from.ms : undefined;
}

function createToRunningMs(t: TaskTimeline): number | undefined {
  return t.marks.find((m) => m.name === 'running')?.ms;
}

// ---- summary --------------------------------------------------------------------------------------------------

const defined = (xs: (number | undefined)[]): number[] => xs.filter((x): x is number => x !== undefined && Number.isFinite(x));

/** The summary of the timed (non-warmup) rounds; undefined when no round finished its service's create phase. */
export function summarizeSwarm(rounds: SwarmRound[]): SwarmSummary | undefined {
  const timed = rounds.filter((r) => !r.warmup);
  const creates = timed.map((r) => r.service?.create).filter((p): p is ServicePhase => !!p);
  if (!creates.length) return undefined;
  const createTasks = creates.flatMap((p) => p.tasks);
  const stages: Record<string, PhaseSummary> = {};
  for (const stage of TASK_STAGES) {
    const values = defined(createTasks.map((t) => stageMs(t, stage)));
    if (values.length) stages[stage.name] = summarize(values);
  }
  const scales = timed.map((r) => r.service?.scale).filter((p): p is ServicePhase => !!p);
  const cleanups = defined(timed.map((r) => r.service?.cleanup?.isolabMs));
  const summary: SwarmSummary = {
    service: {
      allRunning: summarize(creates.map((p) => p.isolabMs)),
      allRunningEngine: summarize(defined(creates.map((p) => p.engineMs))),
      taskCreateToRunning: summarize(defined(createTasks.map(createToRunningMs))),
      stages,
    },
    cleanup: summarize(cleanups),
  };
  const stopped = defined(timed.map((r) => r.service?.cleanup?.stoppedMs));
  if (stopped.length) summary.cleanupStopped = summarize(stopped);
  if (scales.length) {
    summary.scale = {
      allRunning: summarize(scales.map((p) => p.isolabMs)),
      allRunningEngine: summarize(defined(scales.map((p) => p.engineMs))),
      taskCreateToRunning: summarize(defined(scales.flatMap((p) => p.tasks.map(createToRunningMs)))),
    };
  }
  const bares = timed.map((r) => r.bare).filter((b): b is BareGroup => !!b);
  if (bares.length) {
    const bareAll = bares.map((b) => b.isolabMs);
    const bareEngine = defined(bares.flatMap((b) => b.containers.map((c) => c.engineMs)));
    const bareCleanup = defined(bares.map((b) => b.cleanup?.isolabMs));
    summary.bare = { allRunning: summarize(bareAll), createdToStarted: summarize(bareEngine), cleanup: summarize(bareCleanup) };
    const perTask = summary.service.taskCreateToRunning;
    if (perTask.n && bareEngine.length && cleanups.length && bareCleanup.length) {
      summary.ratios = {
        allRunning: ratioOfMedians(creates.map((p) => p.isolabMs), bareAll),
        perInstance: ratioOfMedians(defined(createTasks.map(createToRunningMs)), bareEngine),
        cleanup: ratioOfMedians(cleanups, bareCleanup),
      };
    }
  }
  return summary;
}

// ---- progress -------------------------------------------------------------------------------------------------

/** What a swarm run is doing, for a progress line or bar. `running`/`wanted` count tasks (or bare containers). */
export interface SwarmProgress {
  step: 'prepare' | 'swarm-init' | 'bare' | 'create' | 'scale' | 'cleanup' | 'bare-cleanup' | 'swarm-leave' | 'done';
  round?: number;
  rounds?: number;
  warmup?: boolean;
  running?: number;
  wanted?: number;
}
