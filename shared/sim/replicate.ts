import { offsetSeed, type Seed } from '../random';
import type { Run } from '../run';
import { simulateBurst, type BurstParams, type BurstResult } from './burst';
import type { DurationDist } from './distributions';
import { estimate, type Estimate } from './estimate';
import type { Provenance } from './overheads';
import { expectedArrivals, rateCurve } from './profile';
import { resolveStartup } from './resolve';
import type { BurstScenario } from './scenario';

/**
 * A burst scenario run as replications: every model on seeds seed, seed + 1, ... and each figure reported with
 * its interval across them. A single seed's p99 wait under a spike can land anywhere from milliseconds to
 * seconds (the autoscaler's timing against the arrivals' luck); the spread across seeds is what a reader must
 * see. Replication k is exactly the one-seed run of seed + k, so any replication can be rerun alone.
 */

/** The figures estimated across replications. */
const BURST_FIGURES = [
  'arrivals',
  'served',
  'dropped',
  'dropRate',
  'waitMeanS',
  'waitP50S',
  'waitP95S',
  'waitP99S',
  'utilization',
  'peakInstances',
  'cancelledLaunches',
  'scaleActions',
  'instanceHours',
  'cost',
] as const;
export type BurstFigure = (typeof BURST_FIGURES)[number];
type BurstFigures = Record<BurstFigure, number>;

function figuresOf(r: BurstResult): BurstFigures {
  return {
    arrivals: r.arrivals,
    served: r.served,
    dropped: r.dropped,
    dropRate: r.arrivals ? r.dropped / r.arrivals : 0,
    waitMeanS: r.wait.meanS,
    waitP50S: r.wait.p50S,
    waitP95S: r.wait.p95S,
    waitP99S: r.wait.p99S,
    utilization: r.utilization,
    peakInstances: r.peakInstances,
    cancelledLaunches: r.cancelledLaunches,
    scaleActions: r.scaleActions,
    instanceHours: r.instanceHours,
    cost: r.cost,
  };
}

interface Replication {
  seed: number | string;
  figures: BurstFigures;
}

interface BurstModelOutcome {
  name: string;
  startup: DurationDist;
  startupProvenance: Provenance;
  pricePerInstanceHour: number;
  /** The first replication in full, time series included: what the charts draw. */
  result: BurstResult;
  replications: Replication[];
  /** Each figure's mean, median and 95% interval across the replications. */
  summary: Record<BurstFigure, Estimate>;
}

export interface BurstOutcome {
  scenario: BurstScenario;
  expectedArrivals: number;
  /** The seeds run so far, one replication each; every model ran on each. */
  seeds: (number | string)[];
  /** False while `burstSteps` has replications to go. */
  complete: boolean;
  models: BurstModelOutcome[];
}

/** The seeds of n replications from `seed` on. */
function replicationSeeds(seed: Seed, n: number): (number | string)[] {
  return Array.from({ length: n }, (_, k) => offsetSeed(seed, k));
}

function summarize(replications: Replication[]): Record<BurstFigure, Estimate> {
  return Object.fromEntries(BURST_FIGURES.map((f) => [f, estimate(replications.map((r) => r.figures[f]))])) as Record<BurstFigure, Estimate>;
}

/**
 * The scenario one simulation at a time: after every model's run it yields null (a point where a face may let
 * its screen breathe), and after each seed's round the outcome so far. The first round is the one-seed result;
 * later rounds narrow the intervals. Every model runs on the same seeds: the same arrivals and service times,
 * so the differences come from the model (common random numbers).
 */
export function* burstSteps(s: BurstScenario, runs: Map<string, Run> = new Map()): Generator<BurstOutcome | null, BurstOutcome> {
  const curve = rateCurve(s.arrivals, s.durationS);
  const sampleS = s.sampleS ?? s.durationS / 240;
  const models = s.models.map((m, i) => {
    const st = resolveStartup(m.startup, runs, `models.${i}.startup`);
    const params: Omit<BurstParams, 'seed'> = {
      durationS: s.durationS,
      sampleS,
      warmupS: s.warmupS,
      curve,
      service: s.service,
      concurrency: m.concurrency ?? s.concurrency,
      timeoutS: s.timeoutMs === undefined ? Infinity : s.timeoutMs / 1000,
      policy: s.autoscaler ? { kind: 'autoscale', ...s.autoscaler } : { kind: 'fixed', instances: s.instances! },
      startup: st.dist,
      pricePerInstanceHour: m.pricePerInstanceHour,
    };
    return { m, st, params, first: undefined as BurstResult | undefined, replications: [] as Replication[] };
  });
  const seeds = replicationSeeds(s.seed, s.replications);
  const outcome = (k: number): BurstOutcome => ({
    scenario: s,
    expectedArrivals: expectedArrivals(curve, s.durationS),
    seeds: seeds.slice(0, k),
    complete: k === seeds.length,
    models: models.map((x) => ({
      name: x.m.name,
      startup: x.st.dist,
      startupProvenance: x.st.provenance,
      pricePerInstanceHour: x.m.pricePerInstanceHour,
      result: x.first!,
      replications: [...x.replications],
      summary: summarize(x.replications),
    })),
  });
  for (let k = 0; k < seeds.length; k++) {
    for (const x of models) {
      const r = simulateBurst({ ...x.params, seed: seeds[k] });
      x.first ??= r;
      x.replications.push({ seed: seeds[k], figures: figuresOf(r) });
      yield null;
    }
    if (k + 1 < seeds.length) yield outcome(k + 1);
  }
  return outcome(seeds.length);
}

/** Every replication of every model, at once. */
export function runBurst(s: BurstScenario, runs: Map<string, Run> = new Map()): BurstOutcome {
  const steps = burstSteps(s, runs);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
