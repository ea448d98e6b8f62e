import { RuleOptionsError, type FigureContext } from './startup-rule';
import type { AdaptiveFigure, FootprintPrecision, StopReason } from './schema';

/**
 * When to stop footprint rounds: when one more round could not move the host-side median by more than the
 * machine's own noise.
 *
 * The bound needs no model of the rounds: whatever value the next round gives, the median of k + 1 values lies
 * between the two order statistics either side of the current median. With k odd it moves at most half the
 * wider gap next to the middle value; with k even at most half the gap between the two middle values. That is
 * a worst case, so "stop" never rests on luck.
 *
 * The noise is measured, not assumed: the caller reads MemAvailable the way a round does (before, middle,
 * after, with the same settle times and the same correction for unrelated programs) with nothing started, and
 * passes each window's (before + after) / 2 − middle. Its root mean square (drift counts, the expected change
 * is zero) divided by the round's N instances is what one round's per-instance figure carries from the
 * machine alone. MemAvailable counts in KiB, so the noise is never taken below 1 KiB / N.
 */

export interface MemoryNoise {
  /** (before + after) / 2 − middle, bytes, of idle windows read exactly like a round. At least 2 to count. */
  idleBracketsBytes: number[];
  /** How long one window took, ms (for the record: it should match a round's reading interval). */
  windowMs: number;
}

export interface FootprintRuleOptions {
  /** Rounds before the first decision; 2 is "a round that agrees with the previous one needs no third". */
  minRounds: number;
  maxRounds: number;
  /** Rounds to run when there is no noise measurement to stop on (the plan's footprint.rounds). */
  fixedRounds: number;
}

const FOOTPRINT_RULE_DEFAULTS: FootprintRuleOptions = { minRounds: 2, maxRounds: 6, fixedRounds: 3 };
/** MemAvailable's unit in /proc/meminfo. */
const MEMINFO_RESOLUTION_BYTES = 1024;

function footprintRuleOptions(o: Partial<FootprintRuleOptions> = {}): FootprintRuleOptions {
  const r = { ...FOOTPRINT_RULE_DEFAULTS, ...o };
  if (!Number.isInteger(r.minRounds) || r.minRounds < 1) throw new RuleOptionsError(`minRounds ${r.minRounds} must be a whole number ≥ 1`);
  if (!Number.isInteger(r.maxRounds) || r.maxRounds < r.minRounds) throw new RuleOptionsError(`maxRounds ${r.maxRounds} must be a whole number ≥ minRounds (${r.minRounds})`);
  if (!Number.isInteger(r.fixedRounds) || r.fixedRounds < 1) throw new RuleOptionsError(`fixedRounds ${r.fixedRounds} must be a whole number ≥ 1`);
  return r;
}

/** Root mean square of the idle brackets, bytes; undefined with fewer than two (one window says nothing of spread). */
export function noiseRmsBytes(noise: MemoryNoise | undefined): number | undefined {
  const xs = (noise?.idleBracketsBytes ?? []).filter((x) => Number.isFinite(x));
  if (xs.length < 2) return undefined;
  return Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);
}

/** The noise of one round's per-instance figure, bytes; undefined when not measured. */
export function noisePerInstanceBytes(noise: MemoryNoise | undefined, instances: number): number | undefined {
  const rms = noiseRmsBytes(noise);
  if (rms === undefined || !(instances >= 1)) return undefined;
  return Math.max(rms, MEMINFO_RESOLUTION_BYTES) / instances;
}

function median(sorted: number[]): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The most one more value could move the median of `values`; Infinity with fewer than two. */
export function maxMedianMove(values: readonly number[]): number {
  const xs = [...values].sort((a, b) => a - b);
  const k = xs.length;
  if (k < 2) return Infinity;
  if (k % 2 === 0) return (xs[k / 2] - xs[k / 2 - 1]) / 2;
  const m = (k - 1) / 2;
  return Math.max(xs[m] - xs[m - 1], xs[m + 1] - xs[m]) / 2;
}

export type FootprintVerdict =
  | { stop: false; precision: FootprintPrecision }
  | { stop: true; reason: Extract<StopReason, 'precision-reached' | 'max-count' | 'fixed-count'>; precision: FootprintPrecision };

/** The verdict after these rounds (per-instance host-side bytes, one per round, in order). */
export function decideFootprintRounds(
  roundsBytes: readonly number[],
  instances: number,
  noise: MemoryNoise | undefined,
  opts: Partial<FootprintRuleOptions> = {},
): FootprintVerdict {
  const o = footprintRuleOptions(opts);
  const xs = roundsBytes.filter((x) => Number.isFinite(x));
  const k = xs.length;
  const noiseBytes = noisePerInstanceBytes(noise, instances);
  const move = maxMedianMove(xs);
  const estimate = k ? median([...xs].sort((a, b) => a - b)) : NaN;
  const precision: FootprintPrecision = {
    method: 'median-max-move',
    estimate,
    maxMoveBytes: Number.isFinite(move) ? move : undefined,
    noiseBytes,
    belowNoise: noiseBytes !== undefined && k > 0 && estimate <= noiseBytes,
  };
  if (noiseBytes === undefined) {
    // Nothing to stop on: run what the plan asked for.
    return k >= o.fixedRounds ? { stop: true, reason: 'fixed-count', precision } : { stop: false, precision };
  }
  if (k >= o.minRounds && move <= noiseBytes) return { stop: true, reason: 'precision-reached', precision };
  if (k >= o.maxRounds) return { stop: true, reason: 'max-count', precision };
  return { stop: false, precision };
}

export function footprintFigure(
  roundsBytes: readonly number[],
  instances: number,
  noise: MemoryNoise | undefined,
  opts: Partial<FootprintRuleOptions> = {},
  ctx: FigureContext = {},
): AdaptiveFigure {
  const o = footprintRuleOptions(opts);
  const v = decideFootprintRounds(roundsBytes, instances, noise, o);
  const stopReason: StopReason = v.stop ? v.reason : (ctx.endedBy ?? 'budget');
  const p = v.precision;
  const reached = p.maxMoveBytes !== undefined && p.noiseBytes !== undefined && p.maxMoveBytes <= p.noiseBytes;
  const fixed = p.noiseBytes === undefined;
  return {
    figure: 'footprint',
    count: roundsBytes.length,
    minCount: fixed ? o.fixedRounds : o.minRounds,
    maxCount: fixed ? o.fixedRounds : o.maxRounds,
    stopReason,
    cutByBudget: stopReason === 'budget' && !reached,
    plannedCount: ctx.plannedCount,
    unitCostMs: ctx.unitCostMs,
    spentMs: ctx.spentMs,
    precision: p,
  };
}
