import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api';
import { Comparison } from '../../shared/compare';
import { Plan } from '../../shared/plan';
import { seededRandom } from '../../shared/random';
import type { ModelSpec } from '../../electron/lab/compare/models';
import { runCompare } from '../../electron/lab/compare/run';
import { ComparisonStore } from '../../electron/lab/compare/store';
import { RunStore } from '../../electron/lab/store';
import type { Target } from '../../electron/lab/targets/target';
import { tempDataDir } from '../helpers/datadir';

/**
 * The compare loop's wiring with fake targets (the real ones are proven in test/integration/compare-budget and
 * models): which figure runs when, what the document records, which events stream. Start times are drawn from
 * a seeded lognormal and reported as the ready mark, so precision is decided on known spreads, not on timing.
 */
const data = tempDataDir();
afterAll(() => data.cleanup());

function fakeTarget(model: string, medianMs: number, cv: number, seed: number, sleepMs = 1): Target {
  const rand = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return {
    model,
    phases: ['ready'],
    prepare: async () => {},
    environment: async () => ({}),
    iterate: async () => {
      await new Promise((r) => setTimeout(r, sleepMs));
      return { ready: medianMs * Math.exp(cv * normal()) };
    },
    dispose: async () => {},
  };
}

const spec = (model: string, medianMs: number, cv: number, seed: number, sleepMs?: number): ModelSpec => ({ model, target: () => fakeTarget(model, medianMs, cv, seed, sleepMs) });

async function compare(models: ModelSpec[], o: Partial<Parameters<typeof runCompare>[0]> = {}) {
  const events: LabEvent[] = [];
  const c = await runCompare({
    id: `cmp-${Math.random().toString(36).slice(2)}`,
    plan: Plan.parse({ startup: { warmup: 1 }, footprint: false }),
    models,
    runs: new RunStore(`${data.dir}/runs`),
    comparisons: new ComparisonStore(`${data.dir}/comparisons`),
    signal: new AbortController().signal,
    onEvent: (e) => events.push(e),
    ...o,
  });
  return { c, events: events.filter((e): e is Extract<LabEvent, { type: 'compare-figure' }> => e.type === 'compare-figure') };
}

describe('the adaptive compare loop', () => {
  it('stops a tight figure at its first look, runs a wide one to its maximum, records both and streams the floor first', async () => {
    const { c, events } = await compare(
      [spec('process', 5, 0.01, 1), spec('container:runc', 50, 0.4, 2), { model: 'container:crun', unavailable: { code: 'host-cannot-run', params: { reason: 'hybrid cgroups' }, text: 'crun fails on hybrid cgroups' } }],
      { budget: { ms: 60_000, preset: 'standard' }, aliases: { 'container:runc': ['io.containerd.runc.v2'] } },
    );
    expect(Comparison.safeParse(c).error?.issues ?? []).toEqual([]);
    expect(c.status).toBe('complete');
    expect(c.adaptive).toMatchObject({ order: 'pilot-first', budget: { ms: 60_000, preset: 'standard', exhausted: false }, startupRule: { minCount: 5, maxCount: 60, warmup: 1 } });
    const fig = (model: string) => c.models.find((m) => m.model === model)!.adaptive!.figures.find((f) => f.figure === 'startup')!;
    expect(fig('process')).toMatchObject({ count: 6, stopReason: 'precision-reached', cutByBudget: false, warmup: 1 });
    expect(fig('container:runc')).toMatchObject({ count: 60, stopReason: 'max-count', cutByBudget: false });
    expect(c.models.find((m) => m.model === 'container:runc')!.aliases).toEqual(['io.containerd.runc.v2']);
    expect(c.models.find((m) => m.model === 'container:crun')).toMatchObject({ status: 'unavailable', error: 'crun fails on hybrid cgroups', reason: { code: 'host-cannot-run' } });
    // The floor's figure is announced before any other model's, and each figure says when it is done.
    expect(events[0]).toMatchObject({ model: 'process', figure: 'startup' });
    expect(events.filter((e) => e.done).map((e) => e.model)).toEqual(['process', 'container:runc']);
    expect(c.models.find((m) => m.model === 'container:runc')!.ratios!.ready!.ratio).toBeGreaterThan(5);
  });

  it('has the document saved with a figure before it announces it, so a face that re-reads on the event sees it', async () => {
    const comparisons = new ComparisonStore(`${data.dir}/comparisons`);
    const seen: { model: string; count: number; onDisk?: number }[] = [];
    const id = `cmp-saved-first-${Math.random().toString(36).slice(2)}`;
    const reads: Promise<void>[] = [];
    await compare([spec('process', 5, 0.01, 5), spec('container:runc', 50, 0.02, 6)], {
      id,
      comparisons,
      budget: { ms: 60_000, preset: 'standard' },
      // What a page does on the event: read the document (here, at once, before the loop goes on).
      onEvent: (e) => {
        if (e.type !== 'compare-figure' || e.done) return;
        const entry: (typeof seen)[number] = { model: e.model, count: e.count };
        seen.push(entry);
        reads.push(comparisons.get(id).then((c) => void (entry.onDisk = c.models.find((m) => m.model === e.model)?.adaptive?.figures.find((f) => f.figure === 'startup')?.count ?? c.models.find((m) => m.model === e.model)?.startup?.readyMs.length)));
      },
    });
    await Promise.all(reads);
    // Each model's first figure is on disk when announced (a later save may have added to it since).
    const firsts = ['process', 'container:runc'].map((m) => seen.find((x) => x.model === m)!);
    for (const f of firsts) expect(f.onDisk, f.model).toBeGreaterThanOrEqual(f.count);
  });

  it('keeps the counts a plan fixed, with no time limit, and records them as fixed', async () => {
    const { c } = await compare([spec('process', 5, 0.01, 3), spec('container:runc', 50, 0.4, 4)], {
      plan: Plan.parse({ startup: { iterations: 4, warmup: 0 }, footprint: false }),
      fixed: { startup: true, footprint: false },
    });
    expect(c.adaptive!.budget).toBeUndefined();
    for (const m of c.models) {
      expect(m.startup!.readyMs, m.model).toHaveLength(4);
      expect(m.adaptive!.figures[0], m.model).toMatchObject({ stopReason: 'fixed-count', cutByBudget: false, count: 4 });
    }
  });

  it('cuts what the budget cannot hold and says so: a figure short of its target, a model never reached', async () => {
    // 300 ms a start: the slow models' pilots of 6 do not both fit 3 s beside the floor's.
    const { c } = await compare([spec('process', 5, 0.3, 5), spec('vm:slow', 2000, 0.3, 6, 300), spec('oci:late', 50, 0.3, 7, 300)], {
      plan: Plan.parse({ startup: { warmup: 0 }, footprint: false }),
      budget: { ms: 3_000 },
    });
    expect(c.adaptive!.budget!.exhausted).toBe(true);
    const slow = c.models.find((m) => m.model === 'vm:slow')!;
    const late = c.models.find((m) => m.model === 'oci:late')!;
    const cut = [slow, late].map((m) => m.adaptive?.figures[0]);
    expect(cut.some((f) => f?.stopReason === 'budget' && f.cutByBudget) || [slow, late].some((m) => m.status === 'skipped')).toBe(true);
    for (const m of [slow, late]) if (m.status === 'skipped') expect(m.error).toMatch(/budget ran out/);
    console.log(JSON.stringify({ spentMs: Math.round(c.adaptive!.budget!.spentMs), models: c.models.map((m) => [m.model, m.status, m.adaptive?.figures[0]?.count, m.adaptive?.figures[0]?.stopReason]) }));
  }, 20_000);
});
