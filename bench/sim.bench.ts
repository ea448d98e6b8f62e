/**
 * `npm run bench:sim`: how many events per second the request-level simulator processes on one core, and how
 * close it comes to the textbook queues. A benchmark, not a test: it prints numbers and exits 0; the target
 * (at least 1,000,000 events/s) is reported next to the measurement.
 */
import {
  BurstScenario,
  runBurst,
  SPIKE_BURST,
  erlangB,
  erlangC,
  md1MeanWait,
  mmcMeanWait,
  mmcWaitQuantile,
  rateCurve,
  simulateBurst,
  type BurstParams,
} from '../shared/sim';

const TARGET = 1_000_000;

function timeIt(label: string, params: BurstParams, rounds = 5): number {
  simulateBurst({ ...params, durationS: params.durationS / 10 }); // let the JIT settle
  let best = 0;
  let events = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const r = simulateBurst({ ...params, seed: 1 + i });
    const s = (performance.now() - t0) / 1000;
    events = r.events;
    best = Math.max(best, r.events / s);
  }
  console.log(`${label.padEnd(58)} ${String(events).padStart(10)} events   ${fmt(best).padStart(12)} events/s (best of ${rounds})`);
  return best;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const mmc: BurstParams = {
  durationS: 200_000,
  seed: 1,
  sampleS: 100,
  warmupS: 1000,
  curve: rateCurve({ kind: 'steady', rate: 14.4 }, 200_000),
  service: { dist: 'exponential', meanMs: 1000 },
  concurrency: 1,
  timeoutS: Infinity,
  policy: { kind: 'fixed', instances: 16 },
  startup: { dist: 'deterministic', valueMs: 0 },
  pricePerInstanceHour: 0.1,
};

const spike: BurstParams = {
  durationS: 20_000,
  seed: 1,
  sampleS: 10,
  warmupS: 0,
  curve: rateCurve({ kind: 'diurnal', meanRate: 150, amplitude: 0.8, periodS: 5000, peakAtS: 2500 }, 20_000),
  service: { dist: 'lognormal', medianMs: 80, sigma: 0.5 },
  concurrency: 4,
  timeoutS: 2,
  policy: { kind: 'autoscale', min: 2, max: 200, targetUtilization: 0.7, evaluationS: 15, cooldownS: 30 },
  startup: { dist: 'lognormal', medianMs: 8000, sigma: 0.4 },
  pricePerInstanceHour: 0.1,
};

console.log(`isolab simulator benchmark: node ${process.version}, one core\n`);
const a = timeIt('fixed M/M/16 at 90% load, exponential service', mmc);
const b = timeIt('autoscaled diurnal load, lognormal service, timeouts', spike);
// The built-in spike with its default replications: what `isolab sim burst` and the Simulate page run.
{
  const scenario = BurstScenario.parse(SPIKE_BURST);
  runBurst({ ...scenario, replications: 1 });
  const t0 = performance.now();
  const out = runBurst(scenario);
  const s = (performance.now() - t0) / 1000;
  console.log(`${`built-in spike, ${out.seeds.length} replications x ${out.models.length} models`.padEnd(58)} ${s.toFixed(2).padStart(10)} s wall`);
}
const worst = Math.min(a, b);
console.log(`\nslowest: ${fmt(worst)} events/s; target ${fmt(TARGET)}: ${worst >= TARGET ? 'met' : 'NOT met'}\n`);

// Agreement with closed forms: 10 independent replications, mean +- standard error.
function replicate(params: Omit<BurstParams, 'seed'>, n = 10) {
  const runs = Array.from({ length: n }, (_, i) => simulateBurst({ ...params, seed: 100 + i }));
  return (pick: (r: ReturnType<typeof simulateBurst>) => number) => {
    const xs = runs.map(pick);
    const m = xs.reduce((s, x) => s + x, 0) / n;
    const se = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1) / n);
    return { m, se };
  };
}
const row = (label: string, sim: { m: number; se: number }, theory: number) =>
  console.log(`${label.padEnd(40)} sim ${sim.m.toFixed(4)} +- ${sim.se.toFixed(4)}   theory ${theory.toFixed(4)}   (${((sim.m - theory) / sim.se).toFixed(1)} SE)`);

const fixed = (lambda: number, c: number, service: BurstParams['service'], timeoutS = Infinity): Omit<BurstParams, 'seed'> => ({
  ...mmc,
  durationS: 50_000,
  curve: rateCurve({ kind: 'steady', rate: lambda }, 50_000),
  service,
  timeoutS,
  policy: { kind: 'fixed', instances: c },
});
console.log('closed forms, 10 replications of 50,000 s each:');
const m4 = replicate(fixed(3, 4, { dist: 'exponential', meanMs: 1000 }));
row('M/M/4, rho 0.75: P(wait) (Erlang C)', m4((r) => r.wait.probWait), erlangC(4, 3));
row('M/M/4, rho 0.75: mean wait, s', m4((r) => r.wait.meanS), mmcMeanWait(3, 1, 4));
row('M/M/4, rho 0.75: p95 wait, s', m4((r) => r.wait.p95S), mmcWaitQuantile(3, 1, 4, 0.95));
const m16 = replicate(fixed(14.4, 16, { dist: 'exponential', meanMs: 1000 }));
row('M/M/16, rho 0.9: P(wait) (Erlang C)', m16((r) => r.wait.probWait), erlangC(16, 14.4));
row('M/M/16, rho 0.9: mean wait, s', m16((r) => r.wait.meanS), mmcMeanWait(14.4, 1, 16));
const b5 = replicate(fixed(4, 5, { dist: 'exponential', meanMs: 1000 }, 0));
row('M/M/5/5, a = 4: drop rate (Erlang B)', b5((r) => r.measured.dropRate), erlangB(5, 4));
const d1 = replicate(fixed(0.8, 1, { dist: 'deterministic', valueMs: 1000 }));
row('M/D/1, rho 0.8: mean wait, s', d1((r) => r.wait.meanS), md1MeanWait(0.8, 1));
