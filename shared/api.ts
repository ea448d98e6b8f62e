import { z } from 'zod';
import { EngineFacts, HostFacts, Run, RunListItem, RunScan, RunStatus } from './run';
import { hostEvents, hostMethods } from './api-hosts';
import { Comparison, ComparisonListItem } from './compare';
import { Plan, Workload } from './plan';
import { IsolationFacts, IsolationRequest } from './learn/facts';
import { DensityDemo, Kernels, RaceId, raceEvents, RaceRequest, RaceState, WorkshopDemo, workshopEvents, WorkshopView } from './learn/race';
import { TradeoffTable } from './learn/tradeoffs';
import { ImportFile, ImportReport } from './import';
import { ActiveJob, JobKind, ProgressRole } from './jobs';
import { swarmEvents, swarmMethods } from './api-swarm';

/**
 * The Lab API: the one contract between the engine and its faces. The preload, the WebSocket bridge, the CLI
 * and the renderer's client are all typed from `labMethods`; the engine side validates every argument with
 * these schemas before it acts (a renderer is never trusted).
 */

const BenchTarget = z.enum(['containers', 'process', 'vm']);

/** Image references as Docker accepts them; anything else is refused before it reaches the engine. */
const imageRef = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/, 'not a valid image reference');

export const BenchRequest = z.object({
  target: BenchTarget,
  /** The image for the container target; isolab's own probe image when left out. */
  image: imageRef.optional(),
  runtime: z.string().regex(/^[a-zA-Z0-9._-]+$/).max(64).optional(),
  iterations: z.number().int().min(1).max(10_000).default(20),
  warmup: z.number().int().min(0).max(1_000).default(2),
  /** Measure the process baseline (the floor) in the same run; on by default for containers. */
  baseline: z.boolean().default(true),
  /** VM target: guest memory in MiB (256 when left out). */
  memoryMiB: z.number().int().min(64).max(65536).optional(),
  /** VM target: the accelerator; `auto` tries the host's (KVM, HVF, WHPX) with a test boot, else TCG. */
  accel: z.enum(['auto', 'tcg', 'kvm', 'hvf', 'whpx']).optional(),
  /** VM target: QEMU's machine type; q35 (the full VM) when left out, microvm for the minimal one. */
  machine: z.enum(['q35', 'pc', 'microvm']).optional(),
  /** VM target: a guest kernel image (vmlinuz) of the user's choice. */
  kernel: z.string().min(1).max(4096).optional(),
  /** VM target: consent to fetch Debian's cloud kernel with `apt-get download` when none is found. */
  allowApt: z.boolean().optional(),
  /** VM target: after the iterations, boot up to this many VMs side by side for the density figures. */
  density: z.number().int().min(0).max(64).optional(),
  /** A plan's workload (true, sleep, server, custom …); the probe's echo when left out. */
  workload: Workload.optional(),
  /** Start k instances at a time per iteration (with a workload). */
  concurrency: z.number().int().min(1).max(64).optional(),
  /** Consent to run the workload's own command straight on the host (see shared/consent.ts). */
  trustPlan: z.boolean().optional(),
});
export type BenchRequest = z.input<typeof BenchRequest>;
export type BenchPlan = z.output<typeof BenchRequest>;

const EngineStatus = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), engine: EngineFacts }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);

export const LabInfo = z.object({
  version: z.string(),
  /** Absent for browser mode's audience: where the presenter keeps data is not theirs to see. */
  dataDir: z.string().optional(),
  host: HostFacts,
  docker: EngineStatus,
  /** Local benchmarks under way (what the Bench page follows); every job is in activeJobs. */
  activeRuns: z.array(z.string()),
  /** Every job under way: benchmarks, comparisons, host benches and probes, fleets, the race, the density demo. */
  activeJobs: z.array(ActiveJob),
  /** Where the faces run: "electron" or "browser". */
  face: z.string(),
});
export type LabInfo = z.infer<typeof LabInfo>;

export const RunStarted = z.object({ runId: z.string() });
export type RunStarted = z.infer<typeof RunStarted>;

const runId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'not a run id');

export const CompareRequest = z.object({
  /** The plan (workload, models, startup, footprint, density); every model on the host with `true` when left out. */
  plan: Plan.optional(),
  /** Include the local VM even when no kit is ready yet. */
  vm: z.boolean().optional(),
  /** Consent to run the plan's own command straight on the host (see shared/consent.ts). */
  trustPlan: z.boolean().optional(),
  /** A time budget ("60s", "1m30s", a preset "demo" | "standard", or "none"); the standard 90 s when left out, unless the plan fixes its counts. */
  budget: z.string().max(40).optional(),
  /** Which counts the user fixed (they are kept, not adapted); read from the plan as written when left out. */
  fixedCounts: z.object({ startup: z.boolean(), footprint: z.boolean() }).optional(),
  /** Measure every runtime name the engine lists, even those that run the same program. */
  eachRuntime: z.boolean().optional(),
  /** Run the comparison on a remote host over SSH: a saved host's name or user@host[:port], as `isolab host bench` takes. */
  host: z.string().min(1).max(300).optional(),
});
export type CompareRequest = z.input<typeof CompareRequest>;
export const CompareStarted = z.object({ comparisonId: z.string() });
export type CompareStarted = z.infer<typeof CompareStarted>;
export const ExportFormat = z.enum(['json', 'csv', 'md']);
export const ReportLanguage = z.enum(['en', 'fr']);
export type ReportLanguage = z.infer<typeof ReportLanguage>;
export type ExportFormat = z.infer<typeof ExportFormat>;

export const labMethods = {
  info: { args: z.tuple([]), result: LabInfo },
  startBench: { args: z.tuple([BenchRequest]), result: RunStarted },
  /** Cancels a job of any kind by its id (info().activeJobs); cancelRun, cancelCompare and cancelRace are its older names. */
  cancelJob: { args: z.tuple([runId]), result: z.boolean() },
  cancelRun: { args: z.tuple([runId]), result: z.boolean() },
  listRuns: { args: z.tuple([]), result: z.array(RunListItem) },
  /** The runs and the files in the runs folder that are not readable runs, with the reason for each. */
  scanRuns: { args: z.tuple([]), result: RunScan },
  getRun: { args: z.tuple([runId]), result: Run },
  deleteRun: { args: z.tuple([runId]), result: z.boolean() },
  ...hostMethods,
  ...swarmMethods,
  startCompare: { args: z.tuple([CompareRequest]), result: CompareStarted },
  listComparisons: { args: z.tuple([]), result: z.array(ComparisonListItem) },
  getComparison: { args: z.tuple([runId]), result: Comparison },
  cancelCompare: { args: z.tuple([runId]), result: z.boolean() },
  /** Refused (code job-running) while the comparison runs, as deleteRun is for a run. */
  deleteComparison: { args: z.tuple([runId]), result: z.boolean() },
  /** A run or a comparison as JSON, CSV or Markdown text. */
  exportRun: { args: z.tuple([runId, ExportFormat]), result: z.string() },
  /** Runs and comparisons made by another isolab, sent as files (name and bytes, never a path); never overwrites. */
  importRuns: { args: z.tuple([z.array(ImportFile).min(1).max(100)]), result: ImportReport },
  /** One self-contained HTML report (inline SVG and styles, no script, no request) of runs and comparisons. */
  report: { args: z.tuple([z.array(runId).min(1).max(50), ReportLanguage]), result: z.string() },
  /** Learn: the tradeoff table from the newest runs beside cited figures, and live isolation facts. */
  tradeoffs: { args: z.tuple([]), result: TradeoffTable },
  isolationFacts: { args: z.tuple([IsolationRequest]), result: IsolationFacts },
  /** Workshop: the race (N containers against one VM boot), its state for late joiners, the density demo. */
  startRace: { args: z.tuple([RaceRequest]), result: z.object({ raceId: z.string() }) },
  cancelRace: { args: z.tuple([RaceId]), result: z.boolean() },
  raceState: { args: z.tuple([]), result: RaceState.nullable() },
  densityDemo: { args: z.tuple([]), result: DensityDemo },
  /** The kernel each side runs (host, a probe container, the VM's), for the "what is shared" demo. */
  workshopKernels: { args: z.tuple([]), result: Kernels },
  /** The presenter's demo, broadcast so the audience view shows the same one; workshopView for late joiners. */
  setWorkshopDemo: { args: z.tuple([WorkshopDemo]), result: WorkshopView },
  workshopView: { args: z.tuple([]), result: WorkshopView },
} as const;

export type LabMethodName = keyof typeof labMethods;
export const labMethodNames = Object.keys(labMethods) as LabMethodName[];

type Args<M extends LabMethodName> = z.input<(typeof labMethods)[M]['args']>;
type Result<M extends LabMethodName> = z.output<(typeof labMethods)[M]['result']>;

/** Progress and lifecycle events pushed from the engine to every face. */
export const LabEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-started'),
    runId: z.string(),
    model: z.string(),
    total: z.number(),
    /** The job the run belongs to: the run itself for a bench, the comparison for a compare's startup run. */
    jobId: z.string().optional(),
    kind: JobKind.optional(),
  }),
  /**
   * One phase of one iteration. Faces read these fields and guess nothing from phase names or model names:
   * `role` says whether it is the model under test or the floor beside it, `iterationDone` that this event
   * ends that role's iteration (the engine knows when its start-to-cleanup cycle is over).
   */
  z.object({
    type: z.literal('progress'),
    runId: z.string(),
    jobId: z.string(),
    kind: JobKind,
    model: z.string(),
    role: ProgressRole,
    iteration: z.number(),
    total: z.number(),
    warmup: z.boolean(),
    phase: z.string(),
    iterationDone: z.boolean(),
  }),
  z.object({
    type: z.literal('run-finished'),
    runId: z.string(),
    status: RunStatus,
    error: z.string().optional(),
    /** The run could not be saved in the data directory: where it should have gone, why (errno), where it went. */
    notSaved: z.object({ file: z.string(), code: z.string().optional(), fallback: z.string().optional() }).optional(),
  }),
  /** A comparison moved on: a model and its stage (startup, footprint, density); the document was saved before. */
  z.object({ type: z.literal('compare-progress'), comparisonId: z.string(), model: z.string(), stage: z.string(), message: z.string().optional() }),
  z.object({ type: z.literal('compare-finished'), comparisonId: z.string(), status: RunStatus }),
  /** A comparison's figure took more samples or finished: faces re-read the document (small on purpose). */
  z.object({
    type: z.literal('compare-figure'),
    comparisonId: z.string(),
    model: z.string(),
    figure: z.enum(['startup', 'footprint', 'density']),
    count: z.number().int(),
    done: z.boolean(),
  }),
  ...hostEvents,
  ...swarmEvents,
  ...raceEvents,
  ...workshopEvents,
]);
export type LabEvent = z.infer<typeof LabEvent>;

/** What a face sees: every method returns a promise, plus a subscription to events. */
export type LabApi = { [M in LabMethodName]: (...args: Args<M>) => Promise<Result<M>> } & {
  onEvent(listener: (event: LabEvent) => void): () => void;
};

export { ipcChannel, IPC_EVENT_CHANNEL } from './api-channels';

export function isLabMethod(name: unknown): name is LabMethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(labMethods, name);
}

/** WebSocket bridge messages (browser mode). */
export const WsRequest = z.object({ id: z.number().int(), method: z.string(), args: z.array(z.unknown()) });
export type WsRequest = z.infer<typeof WsRequest>;
export type WsResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
  | { event: LabEvent };
