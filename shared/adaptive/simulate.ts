import { seededRandom, type Seed } from '../random';
import { sampler } from '../sim/distributions';
import { decideMedian, medianRuleOptions, type MedianRuleOptions } from './startup-rule';

/**
 * The stopping rule run on simulated start times whose true median is known: how often the interval it
 * reports at its stop holds that median (its real coverage, peeking included), and how many iterations it
 * takes. Start times are lognormal (right-skewed, like real ones); CV is the coefficient of variation.
 */

export interface RuleSimulation {
  cv: number;
  reps: number;
  /** Share of runs whose reported interval held the true median. */
  coverage: number;
  /** Share of runs that stopped on precision (the rest hit maxCount). */
  precisionReached: number;
  meanCount: number;
  medianCount: number;
  maxCount: number;
}

/** The lognormal σ (of the logarithm) with this coefficient of variation: CV² = e^{σ²} − 1. */
export function lognormalSigma(cv: number): number {
  return Math.sqrt(Math.log(1 + cv * cv));
}

export function simulateMedianRule(cv: number, opts: Partial<MedianRuleOptions> = {}, reps = 2000, seed: Seed = 1): RuleSimulation {
  const o = medianRuleOptions(opts);
  const draw = sampler({ dist: 'lognormal', medianMs: 1000, sigma: lognormalSigma(cv) }, seededRandom(seed));
  const trueMedian = 1; // seconds: the sampler's unit
  let covered = 0;
  let reached = 0;
  const counts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const xs: number[] = [];
    for (;;) {
      xs.push(draw());
      const v = decideMedian(xs, o);
      if (!v.stop) {
        // Draw up to the next look at once: the rule says nothing in between.
        while (xs.length < v.nextLookAt - 1) xs.push(draw());
        continue;
      }
      if (v.reason === 'precision-reached') reached++;
      const { lo, hi } = v.interval;
      if (lo !== undefined && hi !== undefined && lo <= trueMedian && trueMedian <= hi) covered++;
      counts.push(xs.length);
      break;
    }
  }
  counts.sort((a, b) => a - b);
  return {
    cv,
    reps,
    coverage: covered / reps,
    precisionReached: reached / reps,
    meanCount: counts.reduce((a, b) => a + b, 0) / reps,
    medianCount: counts[Math.floor(reps / 2)],
    maxCount: counts[reps - 1],
  };
}
