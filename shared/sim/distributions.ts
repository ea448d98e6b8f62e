import { z } from 'zod';
import type { RandomSource as Uniform } from '../random';

/** A duration distribution as scenario files write it, in milliseconds. */
export const DurationDist = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('exponential'), meanMs: z.number().positive() }).strict(),
  z.object({ dist: z.literal('deterministic'), valueMs: z.number().nonnegative() }).strict(),
  z
    .object({
      dist: z.literal('lognormal'),
      medianMs: z.number().positive(),
      /** Standard deviation of the logarithm; 0.5 puts the 95th percentile at 2.3 times the median. */
      sigma: z.number().nonnegative().max(5),
    })
    .strict(),
  /** Resampled uniformly: how measured runs enter the simulation, with their real spread. */
  z.object({ dist: z.literal('empirical'), samplesMs: z.array(z.number().nonnegative()).min(1) }).strict(),
]);
export type DurationDist = z.infer<typeof DurationDist>;

/** A sampler returning seconds, the simulator's unit of time. */
export function sampler(d: DurationDist, u: Uniform): () => number {
  switch (d.dist) {
    case 'exponential': {
      const mean = d.meanMs / 1000;
      return () => -mean * Math.log(1 - u());
    }
    case 'deterministic': {
      const v = d.valueMs / 1000;
      return () => v;
    }
    case 'lognormal': {
      const mu = Math.log(d.medianMs / 1000);
      const sigma = d.sigma;
      let spare = NaN;
      // Box-Muller gives normals in pairs; keep the second for the next call.
      return () => {
        let z: number;
        if (spare === spare) {
          z = spare;
          spare = NaN;
        } else {
          const r = Math.sqrt(-2 * Math.log(1 - u()));
          const th = 2 * Math.PI * u();
          z = r * Math.cos(th);
          spare = r * Math.sin(th);
        }
        return Math.exp(mu + sigma * z);
      };
    }
    case 'empirical': {
      const xs = Float64Array.from(d.samplesMs, (x) => x / 1000);
      const n = xs.length;
      return () => xs[Math.floor(u() * n)];
    }
  }
}
