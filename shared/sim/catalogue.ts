import { z } from 'zod';
import azureSizes from '../reference/azure-vm-sizes.json';

export const VmSize = z
  .object({
    name: z.string().min(1),
    vcpus: z.number().positive(),
    memoryGiB: z.number().positive(),
    pricePerHour: z.number().nonnegative(),
    nestedVirtualization: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export type VmSize = z.infer<typeof VmSize>;

export const Catalogue = z
  .object({
    about: z.string().optional(),
    region: z.string().optional(),
    currency: z.string().default('USD'),
    hoursPerMonth: z.number().positive().default(730),
    sizes: z.array(VmSize).min(1, 'needs at least one VM size'),
    /** Indicative prices (the offline default) or prices fetched at `refreshedAt`. */
    indicative: z.boolean().default(true),
    refreshedAt: z.string().optional(),
  })
  .strict();
export type Catalogue = z.output<typeof Catalogue>;

/** The offline default: common Azure sizes with indicative eastus Linux prices (see its `about`). */
export const DEFAULT_CATALOGUE: Catalogue = Catalogue.parse({ ...azureSizes, indicative: true });

/** Burstable sizes run at a fraction of a vCPU unless they have saved credits: unfit for sustained load. */
export function isBurstable(s: VmSize): boolean {
  return /burstable/i.test(s.note ?? '');
}

export function monthly(pricePerHour: number, c: Catalogue): number {
  return pricePerHour * c.hoursPerMonth;
}
