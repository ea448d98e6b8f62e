import { xoroshiro128plus, unsafeUniformIntDistribution } from 'pure-rand';

/** A seeded source of uniform numbers in [0, 1): the same seed gives the same sequence everywhere. */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  const rng = xoroshiro128plus(seed | 0);
  // 2^30 buckets is plenty for resampling and simulation, and stays in safe int range.
  const span = 0x3fffffff;
  return () => unsafeUniformIntDistribution(0, span - 1, rng) / span;
}
