import { z } from 'zod';

/**
 * What the adaptive plan decided, as it is recorded in a Comparison. Every field is meant to be added as an
 * OPTIONAL field of shared/compare.ts (see ComparisonAdditions and ModelResultAdditions at the end), so a
 * comparison written before them still reads, and one written with them reads in an older isolab that strips
 * unknown keys. Reasons are codes, not sentences: each face words them (en, fr).
 */

/** Why a figure stopped gathering samples. */
export const StopReason = z.enum([
  /** Its interval (or the footprint's possible move) reached the target. */
  'precision-reached',
  /** It hit its maximum count first. */
  'max-count',
  /** The time budget ran out first. */
  'budget',
  'cancelled',
  'failed',
  /** It ran a fixed count: adaptive sampling off, or no noise measurement to stop a footprint on. */
  'fixed-count',
]);
export type StopReason = z.infer<typeof StopReason>;

const FigureKind = z.enum(['startup', 'footprint', 'density']);
type FigureKind = z.infer<typeof FigureKind>;

/** The median's order-statistic interval (median-ci.ts). Bounds and widths are absent when n was too small. */
export const MedianPrecision = z.object({
  method: z.literal('order-statistic'),
  /** The sample median, ms. */
  estimate: z.number(),
  lo: z.number().optional(),
  hi: z.number().optional(),
  /** The level the rule is calibrated to (0.95), peeking included. */
  level: z.number(),
  /** The exact coverage of the chosen order statistics at this n, for a fixed n (≥ level). */
  confidence: z.number().optional(),
  /** max(median − lo, hi − median) / median. */
  relativeHalfWidth: z.number().optional(),
});
export type MedianPrecision = z.infer<typeof MedianPrecision>;

/** The footprint's host-side median against the machine's measured noise (footprint-rule.ts), bytes per instance. */
export const FootprintPrecision = z.object({
  method: z.literal('median-max-move'),
  estimate: z.number(),
  /** The most one more round could move the median (half the widest gap next to it); absent with one round. */
  maxMoveBytes: z.number().optional(),
  /** The noise one round's figure carries on this machine, per instance; absent when it was not measured. */
  noiseBytes: z.number().optional(),
  /** The figure is no larger than the noise: recorded, but not to be read as a cost. */
  belowNoise: z.boolean(),
});
export type FootprintPrecision = z.infer<typeof FootprintPrecision>;

export const SlopeEstimate = z.object({
  /** What grows with each added instance: start latency (ms per instance) or MemAvailable drop (bytes per instance). */
  of: z.enum(['latency', 'memory']),
  slope: z.number(),
  lo: z.number().optional(),
  hi: z.number().optional(),
  level: z.number(),
  /** Half-width / |slope|. */
  relativeHalfWidth: z.number().optional(),
  /** The slope's whole interval moves the figure by less than the target across the measured range: flat. */
  negligible: z.boolean(),
  points: z.number().int(),
});
export type SlopeEstimate = z.infer<typeof SlopeEstimate>;

const DensityPrecision = z.object({ method: z.literal('ols-slope'), slopes: z.array(SlopeEstimate) });
type DensityPrecision = z.infer<typeof DensityPrecision>;

const FigurePrecision = z.discriminatedUnion('method', [MedianPrecision, FootprintPrecision, DensityPrecision]);
type FigurePrecision = z.infer<typeof FigurePrecision>;

/** One figure of one model: how many units it took, why it stopped, how precise it is. */
export const AdaptiveFigure = z.object({
  figure: FigureKind,
  /** Units gathered: timed iterations (startup), rounds (footprint), steps (density). */
  count: z.number().int().nonnegative(),
  /** Untimed iterations before the first timed one (startup). */
  warmup: z.number().int().nonnegative().optional(),
  minCount: z.number().int().nonnegative(),
  maxCount: z.number().int().nonnegative(),
  /** The relative half-width aimed at (startup, density); the footprint aims at the measured noise. */
  target: z.number().optional(),
  stopReason: StopReason,
  /** True when the budget, not precision or the maximum, ended it with the target not reached. */
  cutByBudget: z.boolean(),
  /** What the planner last gave it, in units. */
  plannedCount: z.number().int().nonnegative().optional(),
  /** What one unit cost here (ms), as the planner estimated it. */
  unitCostMs: z.number().nonnegative().optional(),
  spentMs: z.number().nonnegative().optional(),
  precision: FigurePrecision,
});
export type AdaptiveFigure = z.infer<typeof AdaptiveFigure>;

export const ModelAdaptive = z.object({ figures: z.array(AdaptiveFigure) });
export type ModelAdaptive = z.infer<typeof ModelAdaptive>;

/** Engine runtimes that run the same program, measured once (runtime-groups.ts). */
export const RuntimeGroup = z.object({
  /** The name it was measured under (the model is container:CANONICAL). */
  canonical: z.string(),
  /** Every other name the engine gives the same program. */
  aliases: z.array(z.string()),
  /** What made them the same: the file's device and inode, the same path string under one daemon, or the same shim type with no path. */
  basis: z.enum(['file', 'path', 'type']),
  /** The resolved program (real path when the file was found, else the path as the engine gives it). */
  program: z.string().optional(),
  args: z.array(z.string()),
  shim: z.string().optional(),
  /** With grouping off ("each"): the names that share this identity but were measured separately. */
  identicalTo: z.array(z.string()).optional(),
});
export type RuntimeGroup = z.infer<typeof RuntimeGroup>;

export const BudgetPreset = z.enum(['demo', 'standard']);
export type BudgetPreset = z.infer<typeof BudgetPreset>;

/** The comparison-wide part: the budget, the rules' parameters, the noise measured, the runtime groups. */
export const ComparisonAdaptive = z.object({
  version: z.literal(1),
  /**
   * How models took turns (issue 14 §3: say which): back-to-back (one block each), pilot-first (every
   * model's pilot block in order, then one more block each), interleaved (batches in the planner's order).
   */
  order: z.enum(['back-to-back', 'pilot-first', 'interleaved']),
  budget: z
    .object({
      ms: z.number().positive(),
      preset: BudgetPreset.optional(),
      /** Held back for one more unit of the costliest figure, so an overrun stays within one iteration. */
      marginMs: z.number().nonnegative(),
      spentMs: z.number().nonnegative(),
      /** Some figure stopped on the budget. */
      exhausted: z.boolean(),
    })
    .optional(),
  startupRule: z.object({
    minCount: z.number().int(),
    maxCount: z.number().int(),
    target: z.number(),
    level: z.number(),
    lookGrowth: z.number(),
    warmup: z.number().int(),
  }),
  footprintRule: z.object({ minRounds: z.number().int(), maxRounds: z.number().int() }).optional(),
  densityRule: z.object({ minPoints: z.number().int(), target: z.number(), level: z.number() }).optional(),
  /** The machine's MemAvailable noise, measured idle the way a footprint round reads it. */
  noise: z
    .object({
      idleBracketsBytes: z.array(z.number()),
      windowMs: z.number().nonnegative(),
      rmsBytes: z.number().nonnegative(),
    })
    .optional(),
  runtimeGroups: z.object({ grouping: z.enum(['grouped', 'each']), groups: z.array(RuntimeGroup) }).optional(),
});
export type ComparisonAdaptive = z.infer<typeof ComparisonAdaptive>;

/**
 * Where these go, once the engine refactor (issue 12) has landed:
 *   Comparison  = Comparison.extend(ComparisonAdditions)    in shared/compare.ts
 *   ModelResult = ModelResult.extend(ModelResultAdditions)  in shared/compare.ts
 * Both are optional, so old comparisons read unchanged (test/unit/adaptive/schema.test.ts proves it against
 * today's schema).
 */
export const ComparisonAdditions = { adaptive: ComparisonAdaptive.optional() };
export const ModelResultAdditions = {
  adaptive: ModelAdaptive.optional(),
  /** Other names the engine gives this model's runtime: measured once, shown once with every name. */
  aliases: z.array(z.string()).optional(),
};
