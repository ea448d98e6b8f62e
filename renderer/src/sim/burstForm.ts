import { SPIKE_BURST, type BurstScenarioInput, type MachineFigures } from '../../../shared/sim';

/** A model as the form edits it: its startup source is "ref:<published model>" or "run:<run id>". */
export interface ModelRow {
  name: string;
  source: string;
  price: number;
  /** The source it had before a machine's run replaced it, to go back to when no machine is picked. */
  beforeMachine?: string;
}

/** The Simulate page's scale-out controls: a spike, a service, a pool, and the models to compare. */
export type ProfileKind = 'spike' | 'step' | 'steady' | 'diurnal' | 'csv';
export const PROFILE_KINDS: ProfileKind[] = ['spike', 'step', 'steady', 'diurnal', 'csv'];

export interface BurstForm {
  profile: ProfileKind;
  durationS: number;
  /** Base rate; the mean for a diurnal curve. */
  rate: number;
  /** Peak of a spike, the rate after a step. */
  peakRate: number;
  /** When the spike or step begins. */
  atS: number;
  spikeS: number;
  /** Diurnal swing around the mean, 0..1; one period spans the run. */
  amplitude: number;
  /** A curve the user loaded from CSV. */
  csv?: { name: string; points: { tS: number; rate: number }[] };
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
  /** Seeds seed, seed + 1, ...: every figure is shown with its interval across them. */
  replications: number;
  models: ModelRow[];
}

const S = SPIKE_BURST;
const A = S.autoscaler!;
const spike = S.arrivals as Extract<BurstScenarioInput['arrivals'], { kind: 'spike' }>;
const svc = S.service as { medianMs: number; sigma: number };

/** Starts from the built-in spike scenario (examples/sim/burst-spike.yaml). */
export const defaultBurstForm: BurstForm = {
  profile: 'spike',
  durationS: S.durationS,
  rate: spike.rate,
  peakRate: spike.peakRate,
  atS: spike.atS,
  spikeS: spike.durationS,
  amplitude: 0.6,
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
  seed: typeof S.seed === 'number' ? S.seed : 1,
  replications: S.replications ?? 10,
  models: S.models.map((m) => ({
    name: m.name,
    source: 'reference' in m.startup ? `ref:${m.startup.reference}` : 'ref:container (runc via containerd)',
    price: m.pricePerInstanceHour,
  })),
};

function arrivals(f: BurstForm): BurstScenarioInput['arrivals'] {
  switch (f.profile) {
    case 'spike':
      return { ...spike, rate: f.rate, peakRate: f.peakRate, atS: f.atS, durationS: f.spikeS };
    case 'step':
      return { kind: 'step', rate: f.rate, toRate: f.peakRate, atS: f.atS };
    case 'steady':
      return { kind: 'steady', rate: f.rate };
    case 'diurnal':
      return { kind: 'diurnal', meanRate: f.rate, amplitude: f.amplitude, periodS: f.durationS, peakAtS: f.durationS / 2 };
    case 'csv':
      // No file yet: an empty list, which validation reports.
      return { kind: 'csv', points: f.csv?.points ?? [] };
  }
}

/** The form as a scenario file would say it; validated by BurstScenario like any file. */
export function toBurstScenario(f: BurstForm): BurstScenarioInput {
  return {
    ...S,
    durationS: f.durationS,
    sampleS: Math.max(1, Math.round(f.durationS / 180)),
    seed: f.seed,
    replications: f.replications,
    arrivals: arrivals(f),
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

/** The published figure each measured model stands in for when a machine is picked. */
const MEASURED_FOR: Record<string, string> = { 'container (runc via containerd)': 'container:runc', 'VM (QEMU)': 'vm:qemu' };

/**
 * The rows with a machine's startups (issue 15 §6): a row citing runc's or QEMU's published figure takes the run
 * the machine's comparison saved for that model, when that run is on file; other rows keep their source (the
 * cloud VM is never measured by a comparison). With no machine, rows go back to what they had.
 */
export function withMachineStartups(models: ModelRow[], fig: MachineFigures | undefined, runsOnFile: ReadonlySet<string>): ModelRow[] {
  return models.map((m) => {
    const base: ModelRow = m.beforeMachine ? { name: m.name, source: m.beforeMachine, price: m.price } : m;
    if (!fig) return base;
    const model = base.source.startsWith('ref:') ? MEASURED_FOR[base.source.slice(4)] : undefined;
    const runId = fig.startups.find((s) => s.model === model)?.runId;
    return runId && runsOnFile.has(runId) ? { ...base, source: `run:${runId}`, beforeMachine: base.source } : base;
  });
}
