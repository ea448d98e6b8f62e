import { describe, expect, it } from 'vitest';
import { simulateMedianRule } from '../../../shared/adaptive/simulate';

/**
 * The stopping rule on seeded lognormal start times (shared/random.ts, so every run draws the same numbers):
 * the interval it reports when it stops must still hold the true median about 95% of the time, looks
 * included. 3000 runs per CV: a coverage estimate's standard error is ~0.4 points.
 */
describe('coverage of the sequential rule (seeded simulation)', () => {
  const reps = 3000;

  it.each([0.02, 0.05, 0.07, 0.1, 0.12, 0.3])('holds the median at least 94 percent of the time at CV %s', (cv) => {
    const s = simulateMedianRule(cv, {}, reps, 2024);
    expect(s.coverage).toBeGreaterThanOrEqual(0.94);
    expect(s.coverage).toBeLessThanOrEqual(0.99);
  });

  it('stops a 2%-CV VM boot at the first look (6) and runs a 30%-CV container start to maxCount', () => {
    const vm = simulateMedianRule(0.02, {}, 1000, 7);
    expect(vm.medianCount).toBe(6);
    expect(vm.precisionReached).toBeGreaterThan(0.99);
    const container = simulateMedianRule(0.3, {}, 1000, 7);
    expect(container.medianCount).toBe(60);
    expect(container.precisionReached).toBeLessThan(0.01);
  });

  it('would undercover if it looked at every n: the schedule is what keeps it honest', () => {
    // The same rule peeking after every sample (lookGrowth 1) stops when chance bunched the samples.
    const peeking = simulateMedianRule(0.1, { lookGrowth: 1 }, reps, 2024);
    const scheduled = simulateMedianRule(0.1, {}, reps, 2024);
    expect(peeking.coverage).toBeLessThan(0.94);
    expect(scheduled.coverage).toBeGreaterThan(peeking.coverage + 0.015);
  });
});
