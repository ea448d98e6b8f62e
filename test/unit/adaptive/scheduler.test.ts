import { describe, expect, it } from 'vitest';
import { runSchedule, type FigureHandle, type ScheduleResult } from '../../../shared/adaptive/scheduler';
import { lognormalSigma } from '../../../shared/adaptive/simulate';
import { decideMedian, lookSchedule, startupFigure } from '../../../shared/adaptive/startup-rule';
import { seededRandom } from '../../../shared/random';
import { sampler } from '../../../shared/sim/distributions';

/**
 * The adaptive loop on simulated time: models whose starts are seeded lognormal draws, a clock that advances
 * by what each start takes. Shaped like the 2-core machine (a process, raw runc, two runc shims, a VM
 * that boots in ~2.6 s), with a VM whose first guess of its cost is far too low.
 */
interface SimModel {
  medianMs: number;
  cv: number;
  setupMs: number;
  priorUnitMs: number;
  failAfter?: number;
}

const MACHINE: Record<string, SimModel> = {
  process: { medianMs: 5, cv: 0.1, setupMs: 10, priorUnitMs: 50 },
  'oci:runc': { medianMs: 120, cv: 0.15, setupMs: 200, priorUnitMs: 200 },
  'container:runc': { medianMs: 450, cv: 0.3, setupMs: 800, priorUnitMs: 500 },
  'container:io.containerd.runtime.v1.linux': { medianMs: 470, cv: 0.3, setupMs: 800, priorUnitMs: 500 },
  'vm:qemu': { medianMs: 2600, cv: 0.02, setupMs: 4000, priorUnitMs: 500 },
};
/** A start's wall time is its time to ready plus the stop and cleanup. */
const WALL = 1.15;

function simulate(models: Record<string, SimModel>, seed: number, clock: { t: number }) {
  const samples = new Map<string, number[]>();
  let maxUnitMs = 0;
  const figures: FigureHandle[] = Object.entries(models).map(([id, m], k) => {
    const draw = sampler({ dist: 'lognormal', medianMs: m.medianMs, sigma: lognormalSigma(m.cv) }, seededRandom(seed, k));
    const xs: number[] = [];
    samples.set(id, xs);
    let setupPaid = false;
    return {
      id,
      minCount: 5,
      maxCount: 60,
      target: 0.05,
      looks: lookSchedule(),
      priorUnitMs: m.priorUnitMs,
      priorSetupMs: m.setupMs,
      async run(units) {
        if (!setupPaid) {
          clock.t += m.setupMs;
          setupPaid = true;
        }
        const out: number[] = [];
        for (let i = 0; i < units; i++) {
          if (m.failAfter !== undefined && xs.length >= m.failAfter) throw new Error('the engine went away');
          const ready = draw() * 1000;
          xs.push(ready);
          clock.t += ready * WALL;
          maxUnitMs = Math.max(maxUnitMs, ready * WALL);
          out.push(ready * WALL);
        }
        return out;
      },
      state() {
        const v = decideMedian(xs);
        return { count: xs.length, uncertainty: v.interval.relativeHalfWidth, done: v.stop, nextDecisionAt: v.stop ? undefined : v.nextLookAt };
      },
    };
  });
  return { figures, samples, maxUnitMs: () => maxUnitMs };
}

function records(r: ScheduleResult, samples: Map<string, number[]>) {
  return Object.fromEntries(r.outcomes.map((o) => [o.id, startupFigure(samples.get(o.id)!, {}, { endedBy: o.endedBy, plannedCount: o.plannedCount, unitCostMs: o.unitCostMs, spentMs: o.spentMs })]));
}

describe('the adaptive loop on simulated time', () => {
  it.each([
    [30_000, 'back-to-back'],
    [30_000, 'pilot-first'],
    [30_000, 'interleaved'],
    [60_000, 'pilot-first'],
    [90_000, 'pilot-first'],
    [90_000, 'interleaved'],
  ] as const)('finishes a %i ms budget (%s) within the budget plus one iteration, on every seed', async (budgetMs, order) => {
    for (let seed = 1; seed <= 8; seed++) {
      const clock = { t: 0 };
      const sim = simulate(MACHINE, seed, clock);
      const r = await runSchedule({ figures: sim.figures, budgetMs, now: () => clock.t, order });
      expect(r.spentMs).toBe(clock.t);
      expect(clock.t).toBeLessThanOrEqual(budgetMs + sim.maxUnitMs());
      const recs = records(r, sim.samples);
      // The floor always has its pilot: ratios have a denominator.
      expect(recs.process.count).toBeGreaterThanOrEqual(6);
      for (const f of Object.values(recs)) {
        expect(['precision-reached', 'max-count', 'budget']).toContain(f.stopReason);
        if (f.stopReason !== 'budget') expect(f.cutByBudget).toBe(false);
      }
    }
  });

  it('reaches every figure\'s own stop without a budget: the VM at 6 boots, the containers at maxCount', async () => {
    const clock = { t: 0 };
    const sim = simulate(MACHINE, 1, clock);
    const r = await runSchedule({ figures: sim.figures, now: () => clock.t, order: 'back-to-back' });
    const recs = records(r, sim.samples);
    expect(recs['vm:qemu']).toMatchObject({ count: 6, stopReason: 'precision-reached' });
    expect(recs['container:runc']).toMatchObject({ count: 60, stopReason: 'max-count', cutByBudget: false });
    expect(r.exhausted).toBe(false);
    // Every figure ends at one of its rule's looks, none 'budget' without a budget (the process floor once
    // stopped at 54 starts, between looks, when the plan ignored the look schedule).
    for (const f of Object.values(recs)) expect(['precision-reached', 'max-count']).toContain(f.stopReason);
  });

  it('pilot-first measures every cost before committing the rest; strict back to back records the pilot it cut', async () => {
    // The VM guesses 500 ms a boot and takes ~3 s. Back to back, the containers spend the budget before the VM
    // learns its cost; pilot-first times every model's pilot first.
    const run = async (order: 'back-to-back' | 'pilot-first') => {
      const clock = { t: 0 };
      const sim = simulate(MACHINE, 4, clock);
      const r = await runSchedule({ figures: sim.figures, budgetMs: 60_000, now: () => clock.t, order });
      return records(r, sim.samples)['vm:qemu'];
    };
    const strict = await run('back-to-back');
    expect(strict.count).toBeLessThan(6);
    expect(strict).toMatchObject({ stopReason: 'budget', cutByBudget: true });
    expect(await run('pilot-first')).toMatchObject({ count: 6, stopReason: 'precision-reached', cutByBudget: false });
  });

  it('runs back to back in the models\' order, and interleaves when asked', async () => {
    const seen: Record<string, string[]> = { 'back-to-back': [], interleaved: [] };
    for (const order of ['back-to-back', 'interleaved'] as const) {
      const clock = { t: 0 };
      const sim = simulate({ process: MACHINE.process, 'container:runc': MACHINE['container:runc'] }, 5, clock);
      await runSchedule({ figures: sim.figures, budgetMs: 60_000, now: () => clock.t, order, onBatch: (id) => void seen[order].push(id) });
    }
    const switches = (ids: string[]) => ids.filter((id, i) => i > 0 && id !== ids[i - 1]).length;
    expect(switches(seen['back-to-back'])).toBe(1);
    expect(switches(seen.interleaved)).toBeGreaterThan(1);
  });

  it('keeps going when one model fails, and marks the rest cancelled on abort', async () => {
    const clock = { t: 0 };
    const sim = simulate({ ...MACHINE, 'oci:runc': { ...MACHINE['oci:runc'], failAfter: 3 } }, 2, clock);
    const r = await runSchedule({ figures: sim.figures, budgetMs: 60_000, now: () => clock.t, order: 'pilot-first' });
    const oci = r.outcomes.find((o) => o.id === 'oci:runc')!;
    expect(oci).toMatchObject({ endedBy: 'failed', error: 'the engine went away' });
    expect(sim.samples.get('vm:qemu')!.length).toBeGreaterThanOrEqual(6);

    const ac = new AbortController();
    const clock2 = { t: 0 };
    const sim2 = simulate(MACHINE, 2, clock2);
    const r2 = await runSchedule({ figures: sim2.figures, budgetMs: 60_000, now: () => clock2.t, order: 'back-to-back', signal: ac.signal, onBatch: (id) => { if (id === 'oci:runc') ac.abort(); } });
    expect(r2.outcomes.filter((o) => o.endedBy === 'cancelled').map((o) => o.id)).toEqual(expect.arrayContaining(['container:runc', 'vm:qemu']));
  });

  it('ends a figure that runs but never counts, instead of planning it forever', async () => {
    const stuck: FigureHandle = { id: 'stuck', minCount: 5, maxCount: 60, target: 0.05, priorUnitMs: 1, run: async () => [1], state: () => ({ count: 0, done: false, nextDecisionAt: 6 }) };
    const r = await runSchedule({ figures: [stuck], now: () => 0, order: 'back-to-back' });
    expect(r.outcomes[0]).toMatchObject({ endedBy: 'failed' });
  });
});
