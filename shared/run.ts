import { z } from 'zod';
import { Note } from './note-schema';
import { ImportOrigin } from './import';

/**
 * The Run document: one file per run, versioned. Every figure carries where it came from (this run on this
 * host), the inputs that produced it (plan) and the environment it ran in, so a run can be repeated and judged.
 */
export const RUN_SCHEMA = 'isolab.run/1' as const;

/**
 * `partial` while a run is under way (it is on disk from its first moment); `interrupted` when the process that
 * ran it ended without finishing it (a crash, a kill, a power cut): what was measured up to then is kept.
 */
export const RunStatus = z.enum(['complete', 'cancelled', 'failed', 'partial', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The isolab process that runs a document, so the next start can tell a run under way from an abandoned one. */
export const Owner = z.object({ pid: z.number().int(), host: z.string() });
export type Owner = z.infer<typeof Owner>;

export const PhaseSummary = z.object({
  n: z.number().int(),
  mean: z.number(),
  median: z.number(),
  p95: z.number(),
  p99: z.number(),
  min: z.number(),
  max: z.number(),
  stddev: z.number(),
  mad: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
  /** Iteration numbers whose value is an outlier by the modified z-score (|M| > 3.5). */
  outliers: z.array(z.number().int()),
});
export type PhaseSummary = z.infer<typeof PhaseSummary>;

export const Sample = z.object({
  iteration: z.number().int(),
  warmup: z.boolean(),
  /** Duration of each phase in ms: the time from the previous phase's end (in this sample's time order) to this one's. */
  phases: z.record(z.string(), z.number()),
  /**
   * Elapsed ms from the zero point (the request) at which each phase ended, in the order they happened: two marks
   * may come in either order from one sample to the next (a container's first output and the start call's answer).
   */
  marks: z.record(z.string(), z.number()),
  totalMs: z.number(),
});
export type Sample = z.infer<typeof Sample>;

export const HostFacts = z.object({
  os: z.string(),
  kernel: z.string(),
  arch: z.string(),
  cpus: z.number().int(),
  cpuModel: z.string().optional(),
  memoryBytes: z.number(),
  virtualization: z.string().optional(),
  hostname: z.string().optional(),
  /**
   * The machine, stable across runs and reboots: an HMAC of its /etc/machine-id with isolab's application id
   * (electron/lab/machine.ts), never the raw id. Absent in documents made before isolab recorded it, and on
   * machines without a machine-id.
   */
  machineId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
});
export type HostFacts = z.infer<typeof HostFacts>;

export const EngineFacts = z.object({
  name: z.string(),
  version: z.string(),
  apiVersion: z.string().optional(),
  endpoint: z.string().optional(),
  runtime: z.string().optional(),
  runtimes: z.array(z.string()).optional(),
  defaultRuntime: z.string().optional(),
  storageDriver: z.string().optional(),
  cgroupVersion: z.string().optional(),
  cgroupDriver: z.string().optional(),
  os: z.string().optional(),
});
export type EngineFacts = z.infer<typeof EngineFacts>;

export const Environment = z.object({
  host: HostFacts,
  engine: EngineFacts.optional(),
  accelerator: z.string().optional(),
  isolabVersion: z.string(),
  node: z.string().optional(),
}).catchall(z.unknown());
export type Environment = z.infer<typeof Environment>;

export const Footprint = z.object({
  memory: z.record(z.string(), z.number()).optional(),
  disk: z.record(z.string(), z.number()).optional(),
  cpu: z.record(z.string(), z.number()).optional(),
  density: z.array(z.record(z.string(), z.number())).optional(),
}).catchall(z.unknown());
export type Footprint = z.infer<typeof Footprint>;

/** The floor measured in the same run, interleaved with the main iterations: the same program straight on the host. */
export const Baseline = z.object({
  model: z.string(),
  phaseOrder: z.array(z.string()),
  samples: z.array(Sample),
  summary: z.record(z.string(), PhaseSummary),
});
export type Baseline = z.infer<typeof Baseline>;

export const Run = z.object({
  schema: z.literal(RUN_SCHEMA),
  id: z.string().min(1),
  kind: z.string(),
  /** "process" | "container:runc" | "vm:qemu-tcg" | "host:NAME" ... */
  model: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  environment: Environment,
  plan: z.record(z.string(), z.unknown()),
  /** Phase names in the order they happen, so charts and tables keep that order. */
  phaseOrder: z.array(z.string()),
  samples: z.array(Sample),
  summary: z.record(z.string(), PhaseSummary),
  baseline: Baseline.optional(),
  footprint: Footprint.optional(),
  /** Why a number may mislead: statistical warnings and caveats of the setting. */
  notes: z.array(Note),
  error: z.string().optional(),
  /** Who runs it; runs saved before isolab recorded this have none and are never marked interrupted. */
  owner: Owner.optional(),
  /** Made by another isolab and imported here (`isolab runs import`): from which file, when, from which machine. */
  imported: ImportOrigin.optional(),
});
export type Run = z.infer<typeof Run>;

/** The short form the Runs list shows. */
export const RunListItem = z.object({
  id: z.string(),
  kind: z.string(),
  model: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  iterations: z.number().int(),
  medianTotalMs: z.number().optional(),
  label: z.string().optional(),
});
export type RunListItem = z.infer<typeof RunListItem>;

export function toListItem(run: Run): RunListItem {
  return {
    id: run.id,
    kind: run.kind,
    model: run.model,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    iterations: run.samples.filter((s) => !s.warmup).length,
    medianTotalMs: run.summary.total?.median,
    label: typeof run.plan.image === 'string' ? run.plan.image : undefined,
  };
}

/** Why a file in the data directory was not listed: a code the faces put in words, and the detail they show. */
export const SkipReason = z.enum(['invalid-json', 'invalid-document', 'unreadable', 'bad-name']);
export type SkipReason = z.infer<typeof SkipReason>;
export const SkippedFile = z.object({ file: z.string(), reason: SkipReason, detail: z.string().optional() });
export type SkippedFile = z.infer<typeof SkippedFile>;

/** The Runs list and the files that could not be read as runs, so a damaged file is never silently hidden. */
export const RunScan = z.object({ runs: z.array(RunListItem), skipped: z.array(SkippedFile), dir: z.string() });
export type RunScan = z.infer<typeof RunScan>;
