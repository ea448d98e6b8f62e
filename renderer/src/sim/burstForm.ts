import { SPIKE_BURST, type BurstScenarioInput } from '../../../shared/sim';

/** A model as the form edits it: its startup source is "ref:<published model>" or "run:<run id>". */
export interface ModelRow {
  name: string;
  source: string;
  price: number;
}

/** The Simulate page's scale-out controls: a spike, a service, a pool, and the models to compare. */
export interface BurstForm {
  rate: number;
  peakRate: number;
  spikeS: number;
  serviceMs: number;
  concurrency: number;
  timeoutMs: number;
  autoscale: boolean;
  target: number;
  evaluationS: number;
  cooldownS: number;
  min: number;
  max: number;
  instances: number;
  seed: number;
  models: ModelRow[];
}

const S = SPIKE_BURST;
const A = S.autoscaler!;
const spike = S.arrivals as Extract<BurstScenarioInput['arrivals'], { kind: 'spike' }>;
const svc = S.service as { medianMs: number; sigma: number };

/** Starts from the built-in spike scenario (examples/sim/burst-spike.yaml). */
export const defaultBurstForm: BurstForm = {
  rate: spike.rate,
  peakRate: spike.peakRate,
  spikeS: spike.durationS,
  serviceMs: svc.medianMs,
  concurrency: S.concurrency ?? 1,
  timeoutMs: S.timeoutMs ?? 5000,
  autoscale: true,
  target: A.targetUtilization,
  evaluationS: A.evaluationS,
  cooldownS: A.cooldownS ?? 0,
  min: A.min,
  max: A.max,
  instances: 10,
  seed: S.seed ?? 1,
  models: S.models.map((m) => ({
    name: m.name,
    source: 'reference' in m.startup ? `ref:${m.startup.reference}` : 'ref:container (runc via containerd)',
    price: m.pricePerInstanceHour,
  })),
};

/** The form as a scenario file would say it; validated by BurstScenario like any file. */
export function toBurstScenario(f: BurstForm): BurstScenarioInput {
  return {
    ...S,
    seed: f.seed,
    arrivals: { ...spike, rate: f.rate, peakRate: f.peakRate, durationS: f.spikeS },
    service: { dist: 'lognormal', medianMs: f.serviceMs, sigma: svc.sigma },
    concurrency: f.concurrency,
    timeoutMs: f.timeoutMs,
    autoscaler: f.autoscale ? { targetUtilization: f.target, evaluationS: f.evaluationS, cooldownS: f.cooldownS, min: f.min, max: f.max } : undefined,
    instances: f.autoscale ? undefined : f.instances,
    models: f.models.map((m) => ({
      name: m.name,
      startup: m.source.startsWith('run:') ? { measured: m.source.slice(4) } : { reference: m.source.slice(4) },
      pricePerInstanceHour: m.price,
    })),
  };
}
