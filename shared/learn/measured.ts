import { z } from 'zod';

/**
 * The value types the Learn page's tables share: a figure measured on this machine, always with the document it
 * comes from, and a cited public figure, never mistaken for the former.
 */
export const GiB = 1024 ** 3;

export const SourceRef = z.object({
  kind: z.enum(['run', 'comparison']),
  id: z.string(),
  /** The model as the document names it (container:runc, vm:qemu-tcg …). */
  model: z.string(),
  at: z.string(),
  /** What the value is, as a key the UI translates: "startup.firstOutput", "memory.qemuPss" … */
  what: z.string(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const Measured = z.object({
  value: z.number(),
  unit: z.enum(['ms', 'bytes', 'count']),
  source: SourceRef,
  /** How many samples stand behind the value, when the document says. */
  n: z.number().optional(),
});
export type Measured = z.infer<typeof Measured>;

export const PublishedFigure = z.object({
  model: z.string(),
  metric: z.string(),
  value: z.number(),
  unit: z.string(),
  kind: z.string(),
  setting: z.string(),
  source: z.string(),
  /** Where to read it, when the source is online. */
  url: z.string().url().optional(),
  verified: z.boolean(),
});
export type PublishedFigure = z.infer<typeof PublishedFigure>;

/** The newer of measured values (a run and a comparison may both have one). */
export function newest(...ms: (Measured | undefined)[]): Measured | undefined {
  return ms.filter((m): m is Measured => !!m).sort((a, b) => b.source.at.localeCompare(a.source.at))[0];
}

/** How many instances of a measured per-instance cost fit in a budget. */
export function fitsIn(budgetBytes: number, perInstance: Measured | undefined): Measured | undefined {
  if (!perInstance || perInstance.value <= 0) return undefined;
  return { value: Math.floor(budgetBytes / perInstance.value), unit: 'count', source: { ...perInstance.source, what: `density.${perInstance.source.what}` } };
}
