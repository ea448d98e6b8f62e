import { afterAll, describe, expect, it } from 'vitest';
import { Comparison } from '../../shared/compare';
import { Lab } from '../../electron/lab/lab';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

/**
 * `isolab compare --budget demo` on the real engine: the default plan (adaptive startup, footprint) on every
 * model of this host, within the 30 s demo budget. The budget contract is the feature: the comparison ends
 * within the budget plus one unit of the costliest figure it ran (and the cleanup after it). No other time
 * is asserted: how precise each figure got depends on the machine, and is recorded, not judged.
 */
describe('compare within a time budget', () => {
  it('plans the whole comparison within the demo budget and records what it decided', async () => {
    const lab = new Lab('cli', data.dir);
    const lines: string[] = [];
    const t0 = performance.now();
    const c = await lab.compare({ budget: 'demo' }, undefined, (l) => lines.push(l));
    const wallMs = performance.now() - t0;

    expect(Comparison.safeParse(c).error?.issues ?? []).toEqual([]);
    expect(c.status).toBe('complete');
    const a = c.adaptive!;
    expect(a.order).toBe('pilot-first');
    expect(a.startupRule).toMatchObject({ minCount: 5, maxCount: 60, target: 0.05 });
    expect(a.budget).toMatchObject({ ms: 30_000, preset: 'demo' });

    const figures = c.models.flatMap((m) => (m.adaptive?.figures ?? []).map((f) => ({ model: m.model, ...f })));
    const costliest = Math.max(0, ...figures.map((f) => f.unitCostMs ?? 0));
    console.log(JSON.stringify({ wallMs: Math.round(wallMs), spentMs: Math.round(a.budget!.spentMs), costliestUnitMs: Math.round(costliest), figures: figures.map((f) => [f.model, f.figure, f.count, f.stopReason, f.precision.method === 'order-statistic' ? f.precision.relativeHalfWidth : undefined]) }));
    expect(a.budget!.spentMs).toBeLessThanOrEqual(30_000 + costliest);

    // The floor comes first and is measured; its figure streamed before the comparison ended.
    const floor = c.models.find((m) => m.model === 'process')!;
    expect(floor.status).toBe('ok');
    expect(floor.adaptive!.figures[0]).toMatchObject({ figure: 'startup' });
    expect(lines.findIndex((l) => l.startsWith('process: startup:'))).toBeGreaterThanOrEqual(0);
    // Every model measured says how far it got and why it stopped; the others say why they did not run.
    for (const m of c.models) {
      if (m.status === 'ok') {
        const s = m.adaptive!.figures.find((f) => f.figure === 'startup')!;
        expect(s.count, m.model).toBe(m.startup!.readyMs.length);
        expect(['precision-reached', 'max-count', 'budget'], m.model).toContain(s.stopReason);
        if (s.stopReason === 'budget') expect(s.cutByBudget || (s.precision.method === 'order-statistic' && (s.precision.relativeHalfWidth ?? 1) <= 0.05)).toBe(true);
      } else expect(m.error, m.model).toMatch(/\S/);
    }
  });
});
