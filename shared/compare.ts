import { z } from 'zod';
import { ComparisonAdditions, ModelResultAdditions } from './adaptive/schema';
import type { Run } from './run';
import { ImportOrigin } from './import';
import type { StartCallLag as StartCallLagShape } from './readiness';
import { Environment, Owner, PhaseSummary, RunStatus } from './run';
import { Note } from './note-schema';
import { note } from './notes';
import { medianOf } from './stats';

export { hostBytesBelowNoise } from './host-memory';

/** shared/readiness.ts `StartCallLag`, as stored. */
const StartCallLag = z.object({
  /** Median of (the engine's answer to the start call − ready), ms: > 0 when the answer came after the output. */
  medianMs: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
  n: z.number().int(),
  /** Timed iterations whose workload was ready before the engine answered. */
  readyFirst: z.number().int(),
});
// The schema reads exactly the shape shared/readiness.ts declares.
const lagShape: [z.infer<typeof StartCallLag>, StartCallLagShape] extends [StartCallLagShape, z.infer<typeof StartCallLag>] ? true : never = true;
void lagShape;

/**
 * The Comparison document: every isolation model available on a host, measured with the same plan back to back
 * and put side by side. Startup times are ratios against the floor (the process on the host) with bootstrap
 * intervals from ratioOfMedians; memory is measured three ways, each named for how it was measured.
 */
export const COMPARISON_SCHEMA = 'isolab.comparison/1' as const;

export const Ratio = z.object({ ratio: z.number(), ci95: z.tuple([z.number(), z.number()]) });
export type Ratio = z.infer<typeof Ratio>;

export const FootprintResult = z.object({
  /** Idle instances held at once while memory was read. */
  instances: z.number().int(),
  memory: z.object({
    /** The container's own cgroup usage (usage_in_bytes / memory.current), median per instance. */
    cgroupBytes: z.number().optional(),
    /** Its anonymous part (rss / anon): the workload's own pages, without page cache. */
    cgroupAnonBytes: z.number().optional(),
    /** The host-side cost: the drop in MemAvailable across N idle instances, divided by N, less unrelated programs' change. */
    hostBytes: z.number().optional(),
    /** The host-side figure of each round (start N, read, remove N): its spread is its uncertainty. */
    hostBytesRounds: z.array(z.number()).optional(),
    /** The same without taking out unrelated programs' change: the plain MemAvailable drop / N of each round. */
    hostBytesRawRounds: z.array(z.number()).optional(),
    /** PSS of the processes serving the instance outside its cgroup (shim, sandbox, VMM), per instance. */
    helperPssBytes: z.number().optional(),
    /** PSS of the workload's own first process (the only figure a bare process has besides the host-side one). */
    processPssBytes: z.number().optional(),
    memAvailableBeforeBytes: z.number().optional(),
    memAvailableAfterBytes: z.number().optional(),
  }),
  cpu: z.object({
    /** Busy CPU of the whole host while one instance started (dockerd, containerd, shim, runtime, workload), median. */
    hostStartupMs: z.number().optional(),
    /**
     * CPU the start took, attributed: isolab itself (with the runtime it reaped), the engine's daemons, the new
     * shim or sandbox (with the runc it reaped) and the workload's cgroup, from /proc/PID/stat; median.
     */
    startupMs: z.number().optional(),
    /** CPU the instance's own cgroup used up to ready, median. */
    cgroupStartupMs: z.number().optional(),
  }),
  disk: z.record(z.string(), z.number()),
  /** ms from request to ready of each of the N starts, in order. */
  startupMs: z.array(z.number()),
  helperProcesses: z.array(z.string()).optional(),
  notes: z.array(Note).default([]),
});
export type FootprintResult = z.infer<typeof FootprintResult>;

export const DensityPoint = z.object({
  /** Instances already running when this one was asked for. */
  running: z.number().int(),
  latencyMs: z.number(),
});
export type DensityPoint = z.infer<typeof DensityPoint>;

export const DensityStep = z.object({
  /** Instances running at the end of the step (1, 2, 4 …). */
  count: z.number().int(),
  medianLatencyMs: z.number(),
  /** Drop in MemAvailable since before the first instance. */
  memAvailableDropBytes: z.number(),
  /** The drop this step added, divided by the instances it added. */
  memPerNewInstanceBytes: z.number(),
  elapsedMs: z.number(),
});
export type DensityStep = z.infer<typeof DensityStep>;

export const DensityResult = z.object({
  concurrency: z.number().int(),
  points: z.array(DensityPoint),
  steps: z.array(DensityStep),
  /** Why it stopped growing: "count", "memory", "time", "precision" (its slopes were known), "error: …" */
  stoppedBy: z.string(),
  /** Instances still present after cleanup: 0 unless something went wrong (then it is named in notes). */
  leftBehind: z.number().int(),
});
export type DensityResult = z.infer<typeof DensityResult>;

/** skipped: an adaptive comparison's budget ran out before the model's first start. */
const ModelStatus = z.enum(['ok', 'unavailable', 'failed', 'cancelled', 'skipped']);

/**
 * Which clock timed one phase of a container start, and the SSH round trips still inside it: on a remote host
 * `remote-engine`, `local-through-ssh` or `remote-shell`; here `local-engine` (this machine's engine's event stream)
 * or `local` (this machine's clock around isolab's own call, a phase no engine event ends).
 */
const PhaseClock = z.object({
  clock: z.enum(['remote-engine', 'local-through-ssh', 'remote-shell', 'local-engine', 'local']),
  /** Absent when the count is not fixed (isolab's own reads of the instance over SSH are inside the phase). */
  sshRoundTrips: z.number().int().optional(),
  /**
   * A phase timed another way than locally, under the same name (a VM on a remote host): `ssh-banner`, the guest's SSH
   * banner read on the remote host (no login, no exec); `qemu-terminated`, QEMU stopped by a signal and reaped (no
   * guest poweroff).
   */
  measures: z.enum(['ssh-banner', 'qemu-terminated']).optional(),
});
export type PhaseClock = z.infer<typeof PhaseClock>;

/**
 * How a model's starts were timed. `local-shell` (this machine's floor) and `remote-shell` (on a remote host): one
 * instrument, intervals read by a shell started once per start around its fork and exec of the program (`shell`:
 * its clock, `overheadMs`: its own cost, taken off; `roundTripMs`: one exec of an idle shell, Node's spawn here or
 * an SSH exec there, outside the figure). A local floor without a clock (documents before the timing shell, or a
 * workload ready by a log line or TCP) was timed by isolab's own spawn, Node's spawn and pipes inside each figure. `remote-engine`: a container's phases
 * from its engine's event stream (`timeNano`, the remote engine's clock), from the container's `create` event to
 * the event ending each phase, added to the create call as this machine saw it; `phases` says which clock timed
 * each phase (one no engine event ends stays local), `engineEvents` how many samples had their events.
 * `local-through-ssh`: the same engine calls as on this machine, timed on this machine's clock; each call crosses
 * the SSH channel once. `local-engine`: a container here, timed as `remote-engine` is on a remote host but on this
 * machine's engine's event stream (one instrument both ways; no SSH, so `sshAllowanceMs` 0); a local container
 * without a clock (documents before it, or no event came) was timed at the engine's answers. In every case `sshAllowanceMs` (= roundTripMs x roundTripsToReady) is what SSH adds to
 * time-to-ready.
 */
export const StartupClock = z.object({
  clock: z.enum(['local-shell', 'remote-shell', 'local-through-ssh', 'remote-engine', 'local-engine']),
  shell: z.enum(['epochrealtime', 'date']).optional(),
  overheadMs: z.number().optional(),
  /** Median round trip of the channel (an engine ping, or an exec) measured before the starts. */
  roundTripMs: z.number().optional(),
  roundTripsToReady: z.number().int().optional(),
  sshAllowanceMs: z.number(),
  /** remote-engine, local-engine: the clock of each phase (create, started, ready, remove). */
  phases: z.record(z.string(), PhaseClock).optional(),
  /**
   * The engine events behind the figures: timed samples, those that kept this machine's clock because an event
   * had not come within `waitBoundMs` of the container's removal (and which events were missing, how often).
   */
  engineEvents: z
    .object({
      samples: z.number().int(),
      localFallback: z.number().int(),
      waitBoundMs: z.number(),
      missing: z.record(z.string(), z.number().int()).optional(),
      /**
       * The median time to ready of the same timed samples as this machine saw it (SSH included on a remote host; here,
       * at the engine's answers): what the engine clock took out.
       */
      throughSshReadyMedianMs: z.number().optional(),
    })
    .optional(),
});
export type StartupClock = z.infer<typeof StartupClock>;

export const ModelResult = z.object({
  model: z.string(),
  status: ModelStatus,
  /** One clear line: why the model could not run here, or what failed. */
  error: z.string().optional(),
  /** Why it is unavailable, as data (a code of electron/lab/models/types.ts and its parameters) for faces to word. */
  reason: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
  /** The Run document of its lifecycle benchmark (`isolab runs show ID`). */
  runId: z.string().optional(),
  startup: z
    .object({
      phaseOrder: z.array(z.string()),
      summary: z.record(z.string(), PhaseSummary),
      /** Timed request-to-ready values, for ratios and charts, and their summary (median, bootstrap CI …). */
      readyMs: z.array(z.number()),
      ready: PhaseSummary,
      totalMs: z.array(z.number()),
      /** When ready is the workload's own output (a log line): how long after it the engine answered the start call. */
      startCallLag: StartCallLag.optional(),
    })
    .optional(),
  /**
   * Which clock timed its starts and what SSH adds to them (a comparison on a remote host, and this machine's floor
   * timed by the shell: `local-shell`); absent: this machine's clock around isolab's own calls, no SSH.
   */
  clock: StartupClock.optional(),
  /** Against the floor: time to ready and the whole lifecycle (ready + stop), with 95% bootstrap intervals. */
  ratios: z.object({ ready: Ratio.optional(), total: Ratio.optional(), hostMemory: z.number().optional() }).optional(),
  footprint: FootprintResult.optional(),
  density: DensityResult.optional(),
  notes: z.array(Note).default([]),
  /** What the adaptive plan decided for its figures, and the other names of its runtime (issue 14; optional: older documents read). */
  ...ModelResultAdditions,
});
export type ModelResult = z.infer<typeof ModelResult>;

export const Comparison = z.object({
  schema: z.literal(COMPARISON_SCHEMA),
  id: z.string().min(1),
  status: RunStatus,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  environment: Environment,
  plan: z.record(z.string(), z.unknown()),
  /** The model every ratio is against. */
  floor: z.string(),
  models: z.array(ModelResult),
  notes: z.array(Note),
  /** The isolab process running it (see Run.owner): a dead owner's `partial` comparison becomes `interrupted`. */
  owner: Owner.optional(),
  /** Made by another isolab and imported here (see Run.imported). */
  imported: ImportOrigin.optional(),
  /** The budget, the rules, the order, the noise and the runtime groups of an adaptive comparison (issue 14). */
  ...ComparisonAdditions,
});
export type Comparison = z.infer<typeof Comparison>;

export const ComparisonListItem = z.object({
  id: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  models: z.array(z.object({ model: z.string(), status: ModelStatus, medianReadyMs: z.number().optional() })),
  label: z.string().optional(),
});
export type ComparisonListItem = z.infer<typeof ComparisonListItem>;

export function toComparisonListItem(c: Comparison): ComparisonListItem {
  return {
    id: c.id,
    status: c.status,
    startedAt: c.startedAt,
    models: c.models.map((m) => ({ model: m.model, status: m.status, medianReadyMs: medianOf(m.startup?.readyMs ?? []) })),
    label: typeof c.plan.name === 'string' ? c.plan.name : undefined,
  };
}

/**
 * A VM's footprint in the comparison's terms, from the footprint its own benchmark run recorded: QEMU's PSS is
 * the process serving the instance outside any cgroup (the VMM, with the guest's memory inside it), the kit's
 * kernel and initramfs are its disk, QEMU's CPU to SSH its startup CPU. Undefined when the run recorded none.
 */
export function footprintFromVmRun(run: Run, readyMs: number[]): FootprintResult | undefined {
  const m = run.footprint?.memory;
  if (!m?.qemuPssBytes) return undefined;
  const disk: Record<string, number> = {};
  for (const [k, v] of Object.entries(run.footprint?.disk ?? {})) if (typeof v === 'number') disk[k] = v;
  // The guest boots from its kernel and initramfs, with no disk image: that pair is its root file system (runs
  // recorded before this said so carry imageBytes 0, which would read as an empty disk).
  if (!disk.imageBytes) delete disk.imageBytes;
  if (disk.totalBytes !== undefined) disk.rootFsBytes ??= disk.totalBytes;
  const cpuMs = run.footprint?.cpu?.qemuStartupCpuMs;
  return {
    instances: 1,
    memory: { helperPssBytes: m.qemuPssBytes },
    cpu: typeof cpuMs === 'number' ? { startupMs: cpuMs } : {},
    disk,
    startupMs: readyMs,
    helperProcesses: ['qemu-system'],
    notes: [note('vm-qemu-pss', { guestMiB: m.guestMemUsedBytes ? Math.round((m.guestMemUsedBytes / 2 ** 20) * 10) / 10 : undefined })],
  };
}
