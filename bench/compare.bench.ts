/**
 * `npm run bench:compare`: the default comparison of every model on this host, run twice in one session on
 * the same machine: with the fixed counts isolab used before issue 14 (20 timed starts after 2 warmup, 3
 * footprint rounds of 10 idle instances, no time limit) and adaptive (the standard 90 s budget, each
 * startup median until its 95% interval is within ±5%). Prints each one's wall time and each startup
 * median's 95% interval half-width (the same order-statistic interval for both, so they compare). A
 * benchmark, not a test: it prints numbers and exits 0. `--adaptive-only` skips the slow fixed run;
 * `--models a,b` limits both to those models; `--budget X` changes the adaptive budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { medianInterval } from '../shared/adaptive/median-ci';
import type { Comparison } from '../shared/compare';
import type { PlanInput } from '../shared/plan';
import { Lab } from '../electron/lab/lab';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const models = opt('--models')?.split(',').filter(Boolean);
const budget = opt('--budget') ?? 'standard';

/** The counts the default comparison used before it was adaptive. */
const OLD_FIXED: PlanInput = { startup: { iterations: 20, warmup: 2, concurrency: 1 }, footprint: { instances: 10, settleMs: 1500, rounds: 3 } };

interface Outcome {
  label: string;
  wallMs: number;
  c: Comparison;
}

async function once(label: string, plan: PlanInput, budgetText?: string): Promise<Outcome> {
  const dir = mkdtempSync(path.join(tmpdir(), 'isolab-bench-compare-'));
  try {
    const lab = new Lab('cli', dir);
    const t0 = performance.now();
    const c = await lab.compare({ plan: { ...plan, ...(models ? { models } : {}) }, budget: budgetText }, undefined, (l) => process.stderr.write(`  ${label}: ${l}\n`));
    return { label, wallMs: performance.now() - t0, c };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rows(o: Outcome): Map<string, { n: number; medianMs?: number; halfWidth?: number; stop?: string }> {
  const out = new Map<string, { n: number; medianMs?: number; halfWidth?: number; stop?: string }>();
  for (const m of o.c.models) {
    const xs = m.startup?.readyMs ?? [];
    const i = xs.length ? medianInterval(xs, 0.95) : undefined;
    const stop = m.adaptive?.figures.find((f) => f.figure === 'startup')?.stopReason ?? m.status;
    out.set(m.model, { n: xs.length, medianMs: i?.median, halfWidth: i?.relativeHalfWidth, stop });
  }
  return out;
}

const pct = (x: number | undefined) => (x === undefined ? '   –   ' : `±${(100 * x).toFixed(1).padStart(5)}%`);
const msText = (x: number | undefined) => (x === undefined ? '–' : `${x.toFixed(x < 10 ? 2 : 1)} ms`);

const runs: Outcome[] = [];
process.stderr.write(`bench:compare: adaptive (budget ${budget})…\n`);
runs.push(await once('adaptive', {}, budget));
if (!args.includes('--adaptive-only')) {
  process.stderr.write('bench:compare: fixed counts as before (20 starts, 3 footprint rounds, no budget)…\n');
  runs.push(await once('fixed', OLD_FIXED, 'none'));
}

console.log(`\nbench:compare on ${runs[0].c.environment.host.cpus} CPUs, ${new Date().toISOString()}`);
for (const r of runs) console.log(`${r.label.padEnd(9)} wall ${(r.wallMs / 1000).toFixed(1)} s${r.c.adaptive?.budget ? ` (budget ${r.c.adaptive.budget.ms / 1000} s, ${r.c.adaptive.budget.exhausted ? 'cut some figures' : 'not exhausted'})` : ''}`);
const tables = runs.map(rows);
const names = [...new Set(runs.flatMap((r) => r.c.models.map((m) => m.model)))];
console.log(`\n${'model'.padEnd(42)} ${runs.map((r) => `${r.label}: n  median  95% CI half-width  stop`.padEnd(56)).join(' ')}`);
for (const name of names) {
  const cells = tables.map((t) => {
    const x = t.get(name);
    return x ? `${String(x.n).padStart(3)}  ${msText(x.medianMs).padStart(10)}  ${pct(x.halfWidth)}  ${x.stop ?? ''}`.padEnd(56) : ''.padEnd(56);
  });
  console.log(`${name.padEnd(42)} ${cells.join(' ')}`);
}
