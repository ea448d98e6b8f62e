import { describe, expect, it } from 'vitest';
import {
  BurstScenario,
  EventHeap,
  SPIKE_BURST,
  burstSteps,
  estimate,
  expectedArrivals,
  rateAt,
  rateCurve,
  runBurst,
  simulateBurst,
  type ArrivalProfile,
  type BurstParams,
} from '../../../shared/sim';
import { seededRandom } from '../../../shared/random';

const base = (over: Partial<BurstParams> = {}): BurstParams => ({
  durationS: 1200,
  seed: 7,
  sampleS: 10,
  warmupS: 0,
  curve: rateCurve({ kind: 'spike', rate: 20, peakRate: 150, atS: 300, durationS: 300 }, 1200),
  service: { dist: 'exponential', meanMs: 100 },
  concurrency: 2,
  timeoutS: 3,
  policy: { kind: 'autoscale', min: 1, max: 40, targetUtilization: 0.7, evaluationS: 15, cooldownS: 30 },
  startup: { dist: 'lognormal', medianMs: 2000, sigma: 0.3 },
  pricePerInstanceHour: 0.1,
  ...over,
});

describe('the event heap', () => {
  it('pops in time order, growing past its first capacity', () => {
    const h = new EventHeap(4);
    const u = seededRandom(3);
    const times = Array.from({ length: 1000 }, () => u() * 100);
    times.forEach((t, i) => h.push(t, i));
    const out: number[] = [];
    while (h.size) {
      out.push(h.peekTime());
      expect(times[h.peekTag()]).toBe(h.peekTime());
      h.pop();
    }
    expect(out).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('arrival profiles', () => {
  it('builds the rate curves', () => {
    const spike = rateCurve({ kind: 'spike', rate: 10, peakRate: 100, atS: 60, durationS: 30, rampS: 10 }, 200);
    expect(rateAt(spike, 30)).toBe(10);
    expect(rateAt(spike, 65)).toBe(55); // halfway up the ramp
    expect(rateAt(spike, 80)).toBe(100);
    expect(rateAt(spike, 150)).toBe(10);
    const step = rateCurve({ kind: 'step', rate: 5, toRate: 50, atS: 100 }, 200);
    expect(rateAt(step, 99.9)).toBe(5);
    expect(rateAt(step, 100)).toBe(50);
    const day = rateCurve({ kind: 'diurnal', meanRate: 10, amplitude: 0.5, periodS: 1000, peakAtS: 250 }, 1000);
    expect(rateAt(day, 250)).toBeCloseTo(15, 2);
    expect(rateAt(day, 750)).toBeCloseTo(5, 2);
    expect(expectedArrivals(day, 1000)).toBeCloseTo(10_000, -1);
    const csv = rateCurve({ kind: 'csv', points: [{ tS: 0, rate: 0 }, { tS: 100, rate: 10 }] }, 300);
    expect(rateAt(csv, 50)).toBe(5);
    expect(rateAt(csv, 250)).toBe(10);
    expect(expectedArrivals(csv, 300)).toBe(500 + 2000);
  });

  it('draws as many arrivals as the curve promises, within Poisson error', () => {
    const profiles: ArrivalProfile[] = [
      { kind: 'spike', rate: 20, peakRate: 150, atS: 300, durationS: 300, rampS: 60 },
      { kind: 'diurnal', meanRate: 50, amplitude: 0.8, periodS: 600, peakAtS: 100 },
      { kind: 'csv', points: [{ tS: 0, rate: 0 }, { tS: 600, rate: 100 }, { tS: 601, rate: 0 }] },
    ];
    for (const profile of profiles) {
      const curve = rateCurve(profile, 1200);
      const r = simulateBurst(base({ curve, policy: { kind: 'fixed', instances: 100 } }));
      const expected = expectedArrivals(curve, 1200);
      expect(Math.abs(r.arrivals - expected)).toBeLessThan(4 * Math.sqrt(expected));
    }
  });
});

describe('the scale-out simulation', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulateBurst(base());
    const b = simulateBurst(base());
    expect(b).toEqual(a);
    expect(simulateBurst(base({ seed: 8 })).arrivals).not.toBe(a.arrivals);
  });

  it('compares models on the same arrivals and service times, beyond the spread across seeds', () => {
    const out = runBurst(BurstScenario.parse({ ...SPIKE_BURST, replications: 5 }));
    const [container, vm, cloud] = out.models;
    for (let k = 0; k < 5; k++) {
      expect(vm.replications[k].figures.arrivals).toBe(container.replications[k].figures.arrivals);
      expect(cloud.replications[k].figures.arrivals).toBe(container.replications[k].figures.arrivals);
    }
    // A 90 s boot cannot follow a spike that 188 ms starts can: more drops, longer waits, more instance-hours,
    // each clear of the other's 95% interval.
    const above = (f: 'dropRate' | 'waitP99S' | 'instanceHours') => cloud.summary[f].lo > container.summary[f].hi;
    expect(above('dropRate')).toBe(true);
    expect(above('waitP99S')).toBe(true);
    expect(above('instanceHours')).toBe(true);
    expect(container.startupProvenance.kind).toBe('reference');
  }, 60_000);

  it('scales out on the spike, back in afterwards, and keeps its accounts', () => {
    const r = simulateBurst(base());
    const s = r.series;
    const at = (t: number) => s.t.findIndex((x) => x >= t);
    expect(s.ready[at(590)]).toBeGreaterThan(s.ready[at(290)]);
    expect(s.ready[at(1190)]).toBeLessThan(s.ready[at(590)]);
    expect(r.served + r.dropped + r.unfinished).toBe(r.arrivals);
    expect(s.arrivals.reduce((a, b) => a + b, 0)).toBe(r.arrivals);
    expect(s.served.reduce((a, b) => a + b, 0)).toBe(r.served);
    expect(r.cost).toBeCloseTo(r.instanceHours * 0.1, 10);
    expect(r.peakInstances).toBeLessThanOrEqual(40);
  });

  it('counts as peak only instances that became ready, not launches cancelled while starting', () => {
    // A 10 s burst against 60 s boots: the autoscaler orders instances, the burst is over (and its queue timed
    // out) before they are ready, and the next evaluation cancels them. Only the one initial instance ever served.
    const r = simulateBurst(
      base({
        durationS: 600,
        curve: rateCurve({ kind: 'spike', rate: 1, peakRate: 100, atS: 100, durationS: 10 }, 600),
        policy: { kind: 'autoscale', min: 1, max: 40, targetUtilization: 0.7, evaluationS: 5, cooldownS: 0 },
        startup: { dist: 'deterministic', valueMs: 60_000 },
      }),
    );
    expect(r.cancelledLaunches).toBeGreaterThan(5);
    expect(r.launches).toBe(1 + r.cancelledLaunches);
    expect(r.peakInstances).toBe(1);
    expect(Math.max(...r.series.ready)).toBe(1);
    // The cancelled boots are still billed: more than the one instance for the whole run.
    expect(r.instanceHours).toBeGreaterThan(600 / 3600);
  });

  it('holds a fixed pool constant and bills it for the whole run', () => {
    const r = simulateBurst(base({ policy: { kind: 'fixed', instances: 5 } }));
    expect(new Set(r.series.ready)).toEqual(new Set([5]));
    expect(r.instanceHours).toBeCloseTo((5 * 1200) / 3600, 10);
    expect(r.scaleActions).toBe(0);
  });

  it('drops requests that wait past the timeout', () => {
    // 150/s at peak against 1 instance of 2 slots at 10/s each: most of the spike must be dropped.
    const r = simulateBurst(base({ policy: { kind: 'fixed', instances: 1 } }));
    expect(r.dropped).toBeGreaterThan(0.5 * 150 * 300);
    expect(r.wait.maxS).toBeLessThanOrEqual(3);
  });
});

describe('replications', () => {
  it('estimates a figure with the Student t interval', () => {
    // Mean 3, sd 1.5811, t(0.975, 4) = 2.7764: half-width 2.7764 x 1.5811 / sqrt(5) = 1.9632.
    const e = estimate([5, 1, 4, 2, 3]);
    expect(e).toMatchObject({ n: 5, mean: 3, median: 3, level: 0.95 });
    expect(e.hi - e.mean).toBeCloseTo(1.9632, 3);
    expect(e.mean - e.lo).toBeCloseTo(1.9632, 3);
    // Undefined values (a wait percentile when nothing was served) are left out; one value has no interval.
    expect(estimate([NaN, 2])).toMatchObject({ n: 1, mean: 2, median: 2 });
    expect(estimate([2]).lo).toBeNaN();
  });

  it('run ten seeds by default, each the one-seed run of that seed, and report every figure with its interval', { timeout: 60_000 }, () => {
    const s = BurstScenario.parse({ ...SPIKE_BURST, seed: 5 });
    expect(s.replications).toBe(10);
    const out = runBurst(BurstScenario.parse({ ...SPIKE_BURST, seed: 5, replications: 4 }));
    expect(out.seeds).toEqual([5, 6, 7, 8]);
    expect(out.complete).toBe(true);
    const alone = runBurst(BurstScenario.parse({ ...SPIKE_BURST, seed: 7, replications: 1 }));
    for (const [k, m] of out.models.entries()) {
      expect(m.replications[2]).toEqual(alone.models[k].replications[0]);
      expect(m.result).toEqual(runBurst(BurstScenario.parse({ ...SPIKE_BURST, seed: 5, replications: 1 })).models[k].result);
      const p99 = m.summary.waitP99S;
      expect(p99.n).toBe(4);
      expect(p99.lo).toBeLessThanOrEqual(p99.mean);
      expect(p99.hi).toBeGreaterThanOrEqual(p99.mean);
      expect(p99.mean).toBeCloseTo(m.replications.reduce((a, r) => a + r.figures.waitP99S, 0) / 4, 12);
    }
    // One seed alone says nothing of the spread: the interval is there only with replications.
    expect(alone.models[0].summary.waitP99S.lo).toBeNaN();
  });

  it('yield the first seed\'s outcome before the rest, for a face that shows results as they come', () => {
    const steps = burstSteps(BurstScenario.parse({ ...SPIKE_BURST, replications: 2, durationS: 300, models: SPIKE_BURST.models.slice(0, 1) }));
    expect(steps.next().value).toBeNull();
    const partial = steps.next().value!;
    expect(partial).toMatchObject({ seeds: [1], complete: false });
    expect(steps.next().value).toBeNull();
    const last = steps.next();
    expect(last.done).toBe(true);
    expect(last.value).toMatchObject({ seeds: [1, 2], complete: true });
  });
});
