import jStat from 'jstat';
import { linearRegression } from 'simple-statistics';
import { RuleOptionsError, type FigureContext } from './startup-rule';
import type { AdaptiveFigure, SlopeEstimate, StopReason } from './schema';

/**
 * When density has grown far enough: when the slope of each curve (start latency and memory against the
 * instances already running) is known to the same relative precision as a startup median, from the
 * ordinary least-squares fit (simple-statistics) and its Student t interval on n − 2 degrees of freedom
 * (jstat).
 *
 * A flat curve has no relative precision to reach (its slope is near zero, so any interval is wide next to it):
 * the curve also counts as known when its whole interval changes the figure by less than the target across the
 * range measured, i.e. (|slope| + half-width) × (x_max − x_min) ≤ target × |mean y|. It is recorded as
 * negligible.
 *
 * The t interval treats points as independent with equal spread about the line. Density points are neither
 * quite (latency spreads more as the host fills), which is one more reason to require minPoints distinct counts.
 */

export interface Point {
  /** Instances running (or held) at the reading. */
  x: number;
  y: number;
}

export interface DensityRuleOptions {
  /**
   * Points before the first decision, with at least 3 distinct x (a line through 2 has no spread to judge).
   * The memory curve has one point per step (no made-up origin), so this is also the fewest steps.
   */
  minPoints: number;
  /** Steps (1, 2, 4 … instances) at most. */
  maxSteps: number;
  target: number;
  level: number;
}

const DENSITY_RULE_DEFAULTS: DensityRuleOptions = { minPoints: 3, maxSteps: 6, target: 0.05, level: 0.95 };

function densityRuleOptions(o: Partial<DensityRuleOptions> = {}): DensityRuleOptions {
  const r = { ...DENSITY_RULE_DEFAULTS, ...o };
  if (!Number.isInteger(r.minPoints) || r.minPoints < 3) throw new RuleOptionsError(`minPoints ${r.minPoints} must be a whole number ≥ 3`);
  if (!Number.isInteger(r.maxSteps) || r.maxSteps < 1) throw new RuleOptionsError(`maxSteps ${r.maxSteps} must be a whole number ≥ 1`);
  if (!(r.target > 0 && r.target < 1)) throw new RuleOptionsError(`target ${r.target} must be a fraction between 0 and 1`);
  if (!(r.level > 0.5 && r.level < 1)) throw new RuleOptionsError(`level ${r.level} must be between 0.5 and 1`);
  return r;
}

export interface SlopeFit {
  slope: number;
  intercept: number;
  n: number;
  /** Absent with fewer than 3 points or 3 distinct x. */
  lo?: number;
  hi?: number;
  halfWidth?: number;
  relativeHalfWidth?: number;
  /** The interval's effect across the range measured is within the target of the mean level. */
  negligible: boolean;
  /** The slope is known: relative half-width within the target, or negligible. */
  known: boolean;
}

/** The least-squares slope of y on x with its t interval at `level`, judged against `target`. */
export function fitSlope(points: readonly Point[], target = DENSITY_RULE_DEFAULTS.target, level = DENSITY_RULE_DEFAULTS.level): SlopeFit {
  const ps = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const n = ps.length;
  const distinctX = new Set(ps.map((p) => p.x)).size;
  if (n < 2 || distinctX < 2) return { slope: NaN, intercept: NaN, n, negligible: false, known: false };
  const { m, b } = linearRegression(ps.map((p) => [p.x, p.y]));
  if (n < 3 || distinctX < 3) return { slope: m, intercept: b, n, negligible: false, known: false };
  const meanX = ps.reduce((a, p) => a + p.x, 0) / n;
  const meanY = ps.reduce((a, p) => a + p.y, 0) / n;
  const sxx = ps.reduce((a, p) => a + (p.x - meanX) ** 2, 0);
  const sse = ps.reduce((a, p) => a + (p.y - (m * p.x + b)) ** 2, 0);
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const halfWidth = jStat.studentt.inv(1 - (1 - level) / 2, n - 2) * se;
  const relativeHalfWidth = m !== 0 ? halfWidth / Math.abs(m) : undefined;
  const span = Math.max(...ps.map((p) => p.x)) - Math.min(...ps.map((p) => p.x));
  // Flat: even the steeper end of the interval moves the figure by less than the target over the range.
  const negligible = meanY !== 0 && (Math.abs(m) + halfWidth) * span <= target * Math.abs(meanY);
  const known = negligible || (relativeHalfWidth !== undefined && relativeHalfWidth <= target);
  return { slope: m, intercept: b, n, lo: m - halfWidth, hi: m + halfWidth, halfWidth, relativeHalfWidth, negligible, known };
}

export interface DensityCurves {
  /** (instances running when it was asked for, ms to ready) of each start. */
  latency: readonly Point[];
  /** (instances held, MemAvailable drop in bytes since before the first) of each step. */
  memory: readonly Point[];
}

export type DensityVerdict =
  | { stop: false; slopes: SlopeEstimate[] }
  | { stop: true; reason: Extract<StopReason, 'precision-reached' | 'max-count'>; slopes: SlopeEstimate[] };

function slopeEstimate(of: SlopeEstimate['of'], f: SlopeFit, level: number): SlopeEstimate {
  return { of, slope: f.slope, lo: f.lo, hi: f.hi, level, relativeHalfWidth: f.relativeHalfWidth, negligible: f.negligible, points: f.n };
}

/** The verdict after `steps` density steps: stop when both slopes are known, or at maxSteps. */
export function decideDensity(curves: DensityCurves, steps: number, opts: Partial<DensityRuleOptions> = {}): DensityVerdict {
  const o = densityRuleOptions(opts);
  const lat = fitSlope(curves.latency, o.target, o.level);
  const mem = fitSlope(curves.memory, o.target, o.level);
  const slopes = [slopeEstimate('latency', lat, o.level), slopeEstimate('memory', mem, o.level)];
  const enough = lat.n >= o.minPoints && mem.n >= o.minPoints;
  if (enough && lat.known && mem.known) return { stop: true, reason: 'precision-reached', slopes };
  if (steps >= o.maxSteps) return { stop: true, reason: 'max-count', slopes };
  return { stop: false, slopes };
}

export function densityFigure(curves: DensityCurves, steps: number, opts: Partial<DensityRuleOptions> = {}, ctx: FigureContext = {}): AdaptiveFigure {
  const o = densityRuleOptions(opts);
  const v = decideDensity(curves, steps, o);
  const stopReason: StopReason = v.stop ? v.reason : (ctx.endedBy ?? 'budget');
  return {
    figure: 'density',
    count: steps,
    minCount: o.minPoints,
    maxCount: o.maxSteps,
    target: o.target,
    stopReason,
    cutByBudget: stopReason === 'budget' && !(v.stop && v.reason === 'precision-reached'),
    plannedCount: ctx.plannedCount,
    unitCostMs: ctx.unitCostMs,
    spentMs: ctx.spentMs,
    precision: { method: 'ols-slope', slopes: v.slopes },
  };
}
