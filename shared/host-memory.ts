import type { FootprintResult } from './compare';

// Zod-free, so the Compare page reads a footprint without the contract's schemas (shared/compare.ts re-exports it
// for the engine).

/**
 * Whether the host-side figure is lost in the machine's own noise. MemAvailable belongs to the whole host: when
 * other programs moved it more than N idle instances did, the per-instance drop comes out at or below zero, or
 * its rounds disagree in sign. Such a figure is still recorded, but it must not be read as a cost.
 */
export function hostBytesBelowNoise(m: FootprintResult['memory']): boolean {
  if (m.hostBytes === undefined) return false;
  if (m.hostBytes <= 0) return true;
  const rounds = m.hostBytesRounds ?? [];
  return rounds.length > 1 && Math.min(...rounds) <= 0;
}
