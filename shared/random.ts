import { xoroshiro128plus } from 'pure-rand';

/**
 * isolab's one source of seeded randomness: bootstrap resampling, chart jitter and the simulator all draw from
 * here, so the same seed gives the same sequence everywhere.
 *
 * The generator is xoroshiro128+ (pure-rand). Its 128-bit state is filled by splitmix64 from the 64-bit seed, as
 * its authors recommend: a raw small seed leaves the state nearly all zeros and ones, and the first draws of
 * every seed come out far from uniform. Independent streams of one seed are 2^64-step jumps apart.
 */

/** A seeded source of uniform doubles in [0, 1). */
export type RandomSource = () => number;

/** A seed as users write it: a whole number from 0 to 2^64 − 1; above 2^53 − 1 (where JavaScript numbers stop
 * being exact) as a decimal string. */
export type Seed = number | string | bigint;

const MASK = (1n << 64n) - 1n;

/** A seed that is not a whole number in [0, 2^64 − 1]: refused rather than silently wrapped or rounded. */
export class SeedError extends Error {
  override name = 'SeedError';
}

/** The seed's 64 bits; throws a SeedError that says what is accepted. */
export function seedBits(seed: Seed): bigint {
  let b: bigint;
  if (typeof seed === 'bigint') b = seed;
  else if (typeof seed === 'number') {
    if (!Number.isInteger(seed)) throw new SeedError(`seed ${seed} is not a whole number; use a whole number from 0 to 2^64 − 1`);
    if (!Number.isSafeInteger(seed)) {
      throw new SeedError(`seed ${seed} is beyond 2^53 − 1, where numbers lose their last digits; write a larger seed as a quoted string, e.g. "18446744073709551615"`);
    }
    b = BigInt(seed);
  } else {
    if (!/^\s*\d{1,20}\s*$/.test(seed)) throw new SeedError(`seed ${JSON.stringify(seed)} is not a whole number written in decimal digits`);
    b = BigInt(seed.trim());
  }
  if (b < 0n) throw new SeedError(`seed ${seed} is negative; use a whole number from 0 to 2^64 − 1`);
  if (b > MASK) throw new SeedError(`seed ${seed} is above 2^64 − 1 (18446744073709551615)`);
  return b;
}

/** What is wrong with a seed, or undefined when it is accepted; for schema checks. */
export function seedProblem(seed: Seed): string | undefined {
  try {
    seedBits(seed);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** seed + k, kept exact (a string beyond 2^53 − 1); throws if it passes 2^64 − 1. */
export function offsetSeed(seed: Seed, k: number): number | string {
  const b = seedBits(seed) + BigInt(k);
  if (b > MASK) throw new SeedError(`seed ${seed} + ${k} is above 2^64 − 1; choose a smaller seed`);
  return b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b.toString();
}

/** splitmix64 (Steele, Lea and Flood 2014): consecutive well-mixed 64-bit words from any 64-bit state. */
function splitmix64(state: bigint): () => bigint {
  let s = state;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & MASK;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  };
}

const hi = (x: bigint) => Number(x >> 32n) | 0;
const lo = (x: bigint) => Number(x & 0xffffffffn) | 0;

/**
 * Stream `stream` of `seed`. Doubles carry 53 random bits from the high bits of two 32-bit draws (the low bits
 * of xoroshiro128+ are its weakest), which keeps -log(u) finite and the exponential tail honest.
 */
export function seededRandom(seed: Seed, stream = 0): RandomSource {
  const next = splitmix64(seedBits(seed));
  const a = next();
  let b = next();
  if (a === 0n && b === 0n) b = 1n; // the one state xoroshiro cannot leave
  // pure-rand's state order: high and low words of s0, then of s1.
  const g = xoroshiro128plus.fromState([hi(a), lo(a), hi(b), lo(b)]);
  for (let i = 0; i < stream; i++) g.unsafeJump!();
  return () => ((g.unsafeNext() >>> 5) * 67108864 + (g.unsafeNext() >>> 6)) / 9007199254740992;
}
