import { z } from 'zod';
import azureDisks from '../reference/azure-managed-disks.json';
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

/** A managed disk tier: billed at its size, whatever it holds. */
export const DiskTier = z.object({ name: z.string().min(1), sizeGiB: z.number().positive(), pricePerMonth: z.number().nonnegative() }).strict();
export type DiskTier = z.infer<typeof DiskTier>;

export const Catalogue = z
  .object({
    about: z.string().optional(),
    region: z.string().optional(),
    currency: z.string().default('USD'),
    hoursPerMonth: z.number().positive().default(730),
    sizes: z.array(VmSize).min(1, 'needs at least one VM size'),
    /** Each VM's OS disk is priced at the smallest tier that holds it; without tiers, disks are not priced. */
    disks: z.object({ type: z.string().min(1), tiers: z.array(DiskTier).min(1, 'needs at least one disk tier') }).strict().optional(),
    /** Indicative prices (the offline default) or prices fetched at `refreshedAt`. */
    indicative: z.boolean().default(true),
    refreshedAt: z.string().optional(),
  })
  .strict();
export type Catalogue = z.output<typeof Catalogue>;

/** The offline default: common Azure sizes with indicative eastus Linux prices, and Premium SSD OS disk tiers
 * (see the `about` of both reference files). */
export const DEFAULT_CATALOGUE: Catalogue = Catalogue.parse({
  ...azureSizes,
  disks: { type: azureDisks.type, tiers: azureDisks.tiers.map(({ name, sizeGiB, pricePerMonth }) => ({ name, sizeGiB, pricePerMonth })) },
  indicative: true,
});

/** The tier that holds `gib`: the smallest large enough, undefined when none is. */
export function diskTierFor(c: Catalogue, gib: number): DiskTier | undefined {
  return [...(c.disks?.tiers ?? [])].sort((a, b) => a.sizeGiB - b.sizeGiB || a.pricePerMonth - b.pricePerMonth).find((t) => t.sizeGiB + 1e-9 >= gib);
}

/** Burstable sizes run at a fraction of a vCPU unless they have saved credits: unfit for sustained load. */
export function isBurstable(s: VmSize): boolean {
  return /burstable/i.test(s.note ?? '');
}

export function monthly(pricePerHour: number, c: Catalogue): number {
  return pricePerHour * c.hoursPerMonth;
}
