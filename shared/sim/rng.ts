import { xoroshiro128plus } from 'pure-rand';

/** A seeded source of uniform doubles in [0, 1). */
export type Uniform = () => number;

/** The independent streams of one simulation. Models compared on one seed draw the same arrivals and service
 * times from the first two (common random numbers), so their differences come from the model, not from luck. */
export const STREAM = { arrivals: 0, service: 1, startup: 2 } as const;

/**
 * Stream `index` of `seed`: xoroshiro128+ jumped 2^64 steps per index, so streams never overlap. Doubles carry
 * 53 random bits (two 32-bit draws), which keeps -log(u) finite and the exponential tail honest.
 */
export function stream(seed: number, index = 0): Uniform {
  let g = xoroshiro128plus(seed | 0);
  for (let i = 0; i < index; i++) g = g.jump!();
  return () => ((g.unsafeNext() >>> 5) * 67108864 + (g.unsafeNext() >>> 6)) / 9007199254740992;
}
