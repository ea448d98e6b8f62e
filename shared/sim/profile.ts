import { z } from 'zod';
import type { RandomSource as Uniform } from '../random';

const rate = z.number().nonnegative();
const time = z.number().nonnegative();

/** The arrival rate over time, in requests per second. */
export const ArrivalProfile = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('steady'), rate }).strict(),
  z.object({ kind: z.literal('step'), rate, toRate: rate, atS: time }).strict(),
  z
    .object({
      kind: z.literal('spike'),
      rate,
      peakRate: rate,
      atS: time,
      durationS: z.number().positive(),
      /** Linear ramp up before and down after the peak; 0 is a square spike. */
      rampS: time.default(0),
    })
    .strict(),
  z
    .object({
      kind: z.literal('diurnal'),
      meanRate: rate,
      /** Swing around the mean as a fraction of it: 0.5 goes from 0.5x to 1.5x. */
      amplitude: z.number().min(0).max(1),
      periodS: z.number().positive().default(86_400),
      /** When in the period the rate peaks. */
      peakAtS: time.default(50_400),
    })
    .strict(),
  /** A user's own curve: points joined by straight lines; the last rate holds to the end. */
  z
    .object({
      kind: z.literal('csv'),
      points: z.array(z.object({ tS: time, rate }).strict()).min(1, 'needs at least one point (tS, rate)'),
    })
    .strict(),
]);
export type ArrivalProfile = z.input<typeof ArrivalProfile>;

/**
 * CSV records (already split by a CSV parser) as rate points: two columns, seconds and requests per second;
 * a header row is allowed. Throws naming the first bad row.
 */
export function ratePointsFromRecords(records: string[][]): { tS: number; rate: number }[] {
  const rows = records.filter((r, i) => !(i === 0 && Number.isNaN(Number(r[0]))));
  if (rows.length === 0) throw new Error('the CSV has no rows; write "seconds,requests per second" lines');
  return rows.map((r, i) => {
    const tS = Number(r[0]);
    const rate = Number(r[1]);
    if (r.length < 2 || r[0] === '' || r[1] === '' || !Number.isFinite(tS) || !Number.isFinite(rate) || tS < 0 || rate < 0) {
      throw new Error(`row ${i + 1} should be "seconds,requests per second" (both 0 or more), got ${JSON.stringify(r.join(','))}`);
    }
    return { tS, rate };
  });
}

/** Breakpoints of a piecewise-linear rate: a jump is two points at one time. */
export interface RateCurve {
  t: Float64Array;
  r: Float64Array;
}

const DIURNAL_POINTS_PER_PERIOD = 96;

/** Every profile as a piecewise-linear curve over [0, durationS]. A sinusoid becomes 96 chords per period:
 * the largest gap to the true curve is 0.05% of the amplitude, far below sampling noise. */
export function rateCurve(p: ArrivalProfile, durationS: number): RateCurve {
  const pts: [number, number][] = [];
  const P = ArrivalProfile.parse(p);
  switch (P.kind) {
    case 'steady':
      pts.push([0, P.rate]);
      break;
    case 'step':
      pts.push([0, P.rate], [P.atS, P.rate], [P.atS, P.toRate]);
      break;
    case 'spike': {
      const a = P.atS;
      const b = a + P.durationS;
      pts.push([0, P.rate], [a, P.rate], [a + P.rampS, P.peakRate], [b, P.peakRate], [b + P.rampS, P.rate]);
      break;
    }
    case 'diurnal': {
      const step = P.periodS / DIURNAL_POINTS_PER_PERIOD;
      for (let t = 0; t <= durationS + step; t += step) {
        pts.push([t, P.meanRate * (1 + P.amplitude * Math.cos((2 * Math.PI * (t - P.peakAtS)) / P.periodS))]);
      }
      break;
    }
    case 'csv': {
      const sorted = [...P.points].sort((x, y) => x.tS - y.tS);
      if (sorted[0].tS > 0) pts.push([0, sorted[0].rate]);
      for (const q of sorted) pts.push([q.tS, q.rate]);
      break;
    }
  }
  const last = pts[pts.length - 1];
  if (last[0] < durationS) pts.push([durationS, last[1]]);
  return { t: Float64Array.from(pts, (x) => x[0]), r: Float64Array.from(pts, (x) => x[1]) };
}

/** The rate at time t (the right-hand value at a jump). */
export function rateAt(c: RateCurve, t: number): number {
  const n = c.t.length;
  if (t >= c.t[n - 1]) return c.r[n - 1];
  let i = 0;
  while (i + 1 < n && c.t[i + 1] <= t) i++;
  const t0 = c.t[i];
  const t1 = c.t[i + 1];
  return t1 > t0 ? c.r[i] + ((c.r[i + 1] - c.r[i]) * (t - t0)) / (t1 - t0) : c.r[i + 1];
}

/** Expected arrivals in [0, T]: the integral of the curve. */
export function expectedArrivals(c: RateCurve, T: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < c.t.length && c.t[i] < T; i++) {
    const t1 = Math.min(c.t[i + 1], T);
    const r1 = c.t[i + 1] > c.t[i] ? c.r[i] + ((c.r[i + 1] - c.r[i]) * (t1 - c.t[i])) / (c.t[i + 1] - c.t[i]) : c.r[i];
    sum += ((c.r[i] + r1) / 2) * (t1 - c.t[i]);
  }
  const n = c.t.length;
  if (T > c.t[n - 1]) sum += c.r[n - 1] * (T - c.t[n - 1]);
  return sum;
}

/**
 * A non-homogeneous Poisson process by thinning (Lewis and Shedler), one segment at a time with that segment's
 * highest rate as the bound, so a quiet hour before a spike costs no rejected draws. Flat segments accept
 * every candidate; the exponential's memorylessness lets a candidate past a segment's end restart there.
 */
export class Arrivals {
  private seg = 0;
  constructor(
    private readonly c: RateCurve,
    private readonly u: Uniform,
  ) {}

  /** The first arrival after t (Infinity when the rate stays at zero). */
  next(t: number): number {
    const ts = this.c.t;
    const rs = this.c.r;
    const u = this.u;
    const n = ts.length;
    for (;;) {
      while (this.seg + 1 < n && ts[this.seg + 1] <= t) this.seg++;
      const i = this.seg;
      const last = i + 1 >= n;
      const r0 = rs[i];
      const r1 = last ? r0 : rs[i + 1];
      const end = last ? Infinity : ts[i + 1];
      const bound = r0 > r1 ? r0 : r1;
      if (bound <= 0) {
        if (last) return Infinity;
        t = end;
        continue;
      }
      const cand = t - Math.log(1 - u()) / bound;
      if (cand >= end) {
        t = end;
        continue;
      }
      if (r0 === r1) return cand;
      const rate = r0 + ((r1 - r0) * (cand - ts[i])) / (end - ts[i]);
      if (u() * bound <= rate) return cand;
      t = cand;
    }
  }
}
