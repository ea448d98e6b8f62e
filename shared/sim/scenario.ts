import { z } from 'zod';
import { Catalogue } from './catalogue';
import { demandMismatch } from './consolidate';
import { DurationDist } from './distributions';
import { ArrivalProfile } from './profile';
import { seedProblem } from '../random';

/**
 * Scenario files (YAML or JSON) for `isolab sim consolidate|burst` and the Simulate page. Objects are strict,
 * so a misspelt field is an error that names it rather than a silently ignored default.
 */

const name = z.string().min(1).max(80);
const shape = {
  replicas: z.number().int().min(1).max(10_000),
  vcpu: z.number().positive().max(1024),
  memoryGiB: z.number().positive().max(16_384),
};

const ServiceInput = z
  .object({
    name,
    ...shape,
    /** How the service runs when containerised, if not the same: often more, smaller replicas, each an even share
     * of the same total demand. A shape given here must add up to that same demand. */
    containers: z.object({ replicas: shape.replicas, vcpu: shape.vcpu, memoryGiB: shape.memoryGiB }).partial().strict().optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const mismatch = demandMismatch(s);
    if (mismatch) ctx.addIssue({ code: 'custom', path: ['containers'], message: mismatch });
  });

const OverheadInput = z
  .object({ memoryGiB: z.number().nonnegative(), diskGiB: z.number().nonnegative(), vcpu: z.number().nonnegative() })
  .partial()
  .strict();

/** A run to take figures from: a run id, or a model ("container:runc", "vm:qemu-kvm") or model prefix ("vm:")
 * whose latest complete run is used. */
const RunRef = z.string().min(1).max(128);

export const ConsolidationScenario = z
  .object({
    kind: z.literal('consolidation'),
    name: z.string().optional(),
    description: z.string().optional(),
    services: z.array(ServiceInput).min(1, 'list at least one service'),
    /** Share of every VM kept free, on both sides: 0.25 fills VMs to at most 75% of their vCPUs and memory. */
    headroom: z.number().min(0).lt(1).default(0.2),
    spread: z.object({ maxReplicasPerVm: z.number().int().min(1).default(1) }).strict().default({ maxReplicasPerVm: 1 }),
    vmSize: z.string().optional(),
    hostSize: z.string().optional(),
    allowBurstable: z.boolean().default(false),
    /** Replaces the built-in Azure catalogue. */
    catalogue: Catalogue.optional(),
    overheads: z
      .object({
        vm: OverheadInput.optional(),
        container: OverheadInput.optional(),
        /** Take per-instance overheads from measured runs (their footprint), where they recorded one. */
        measured: z.object({ vm: RunRef.optional(), container: RunRef.optional() }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConsolidationScenario = z.output<typeof ConsolidationScenario>;
export type ConsolidationScenarioInput = z.input<typeof ConsolidationScenario>;

/** Where a model's instance startup delay comes from. */
export const StartupSource = z.union([
  DurationDist,
  z.object({ measured: RunRef }).strict(),
  /** A model named in shared/reference/published-figures.json, e.g. "VM (QEMU)". */
  z.object({ reference: z.string().min(1) }).strict(),
]);
export type StartupSource = z.infer<typeof StartupSource>;

const ModelInput = z
  .object({
    name,
    startup: StartupSource,
    pricePerInstanceHour: z.number().nonnegative(),
    /** Overrides the scenario's concurrency for this model. */
    concurrency: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

const Autoscaler = z
  .object({
    targetUtilization: z.number().gt(0).max(1),
    evaluationS: z.number().positive(),
    cooldownS: z.number().nonnegative().default(0),
    min: z.number().int().min(0),
    max: z.number().int().min(1).max(100_000),
    initial: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((a) => a.min <= a.max, { message: 'min must not exceed max', path: ['min'] });

const Seed = z.union([z.number(), z.string()]).superRefine((v, ctx) => {
  const problem = seedProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const BurstScenario = z
  .object({
    kind: z.literal('burst'),
    name: z.string().optional(),
    description: z.string().optional(),
    durationS: z.number().positive().max(30 * 86_400),
    /** A whole number from 0 to 2^64 − 1; beyond 2^53 − 1 as a quoted decimal string. */
    seed: Seed.default(1),
    /** Independent runs on seeds seed, seed + 1, ...: every figure is reported with its 95% interval across them. */
    replications: z.number().int().min(1).max(1000).default(10),
    /** Width of a time-series point; default: durationS / 240. */
    sampleS: z.number().positive().optional(),
    warmupS: z.number().nonnegative().default(0),
    arrivals: ArrivalProfile,
    service: DurationDist,
    concurrency: z.number().int().min(1).max(100_000).default(1),
    /** A request that waits this long in the queue is dropped; leave out for no limit. */
    timeoutMs: z.number().nonnegative().optional(),
    autoscaler: Autoscaler.optional(),
    /** Fixed capacity (no autoscaler): this many instances, ready from the start. */
    instances: z.number().int().min(1).max(100_000).optional(),
    models: z.array(ModelInput).min(1, 'list at least one model to compare'),
  })
  .strict()
  .refine((s) => (s.autoscaler === undefined) !== (s.instances === undefined), {
    message: 'give either autoscaler (scale-out) or instances (fixed capacity), not both and not neither',
    path: ['autoscaler'],
  })
  .refine((s) => s.warmupS < s.durationS, { message: 'warmupS must be shorter than durationS', path: ['warmupS'] })
  .superRefine((s, ctx) => {
    if (seedProblem(s.seed)) return; // reported on the seed itself
    const last = seedProblem(BigInt(s.seed) + BigInt(s.replications - 1));
    if (last) ctx.addIssue({ code: 'custom', path: ['seed'], message: `the last replication's seed (seed + replications - 1): ${last}` });
  });
export type BurstScenario = z.output<typeof BurstScenario>;
export type BurstScenarioInput = z.input<typeof BurstScenario>;

/** One line per problem, each naming the field: "services.2.vcpu: Too small: expected number to be >0". */
export function describeIssues(err: z.ZodError, file?: string): string {
  return err.issues
    .map((i) => `${file ? `${file}: ` : ''}${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
    .join('\n');
}
