import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { adaptiveCsv, adaptiveMarkdown, ADAPTIVE_COLUMNS } from '../../../shared/adaptive/export';
import { densityFigure } from '../../../shared/adaptive/density-rule';
import { footprintFigure } from '../../../shared/adaptive/footprint-rule';
import { groupRuntimes, identitiesFromEngine } from '../../../shared/adaptive/runtime-groups';
import { ComparisonAdaptive, ComparisonAdditions, ModelResultAdditions } from '../../../shared/adaptive/schema';
import { startupFigure } from '../../../shared/adaptive/startup-rule';
import { Comparison, ModelResult } from '../../../shared/compare';
import { summarize } from '../../../shared/stats';

/** Today's schemas with the adaptive fields added the way index.ts says they will be. */
const NewModelResult = ModelResult.extend(ModelResultAdditions);
const NewComparison = Comparison.extend(ComparisonAdditions).extend({ models: NewModelResult.array() });

const env = { host: { os: 'Debian 12', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 24 * 1024 ** 3 }, isolabVersion: '0.1.0' };
const ready = [300, 310, 290, 305, 295, 302, 298, 301, 299];
const oldComparison = {
  schema: 'isolab.comparison/1', id: 'c1', status: 'complete', startedAt: '2026-11-26T16:00:00Z', environment: env, plan: {}, floor: 'process',
  models: [{ model: 'container:runc', status: 'ok', notes: [], startup: { phaseOrder: ['ready'], summary: {}, readyMs: ready, ready: summarize(ready), totalMs: ready } }],
  notes: [],
};

function adaptiveComparison() {
  const MiB = 2 ** 20;
  const groups = groupRuntimes(identitiesFromEngine({ runc: { path: 'runc' }, 'io.containerd.runc.v2': { path: 'runc' } }));
  const adaptive: ComparisonAdaptive = {
    version: 1,
    order: 'pilot-first',
    budget: { ms: 30_000, preset: 'demo', marginMs: 3_100, spentMs: 26_900, exhausted: true },
    startupRule: { minCount: 5, maxCount: 60, target: 0.05, level: 0.95, lookGrowth: 1.5, warmup: 2 },
    footprintRule: { minRounds: 2, maxRounds: 6 },
    densityRule: { minPoints: 3, target: 0.05, level: 0.95 },
    noise: { idleBracketsBytes: [2 * MiB, -2 * MiB], windowMs: 4500, rmsBytes: 2 * MiB },
    runtimeGroups: { grouping: 'grouped', groups },
  };
  const noise = { idleBracketsBytes: [2 * MiB, -2 * MiB], windowMs: 4500 };
  return {
    ...oldComparison,
    adaptive,
    models: [{
      ...oldComparison.models[0],
      aliases: ['io.containerd.runc.v2'],
      adaptive: {
        figures: [
          startupFigure(ready, {}, { endedBy: 'budget', warmup: 2, plannedCount: 14, unitCostMs: 350, spentMs: 3150 }),
          footprintFigure([3 * MiB, 3.3 * MiB], 10, noise),
          densityFigure({ latency: [1, 2, 4].map((x) => ({ x, y: 300 + 9 * x })), memory: [1, 2, 4].map((x) => ({ x, y: 3e6 * x })) }, 3),
        ],
      },
    }],
  };
}

describe('adaptive record in the comparison', () => {
  it('reads an old comparison unchanged once the optional fields are added', () => {
    const parsed = NewComparison.parse(oldComparison);
    expect(parsed.adaptive).toBeUndefined();
    expect(parsed.models[0].adaptive).toBeUndefined();
    expect(parsed).toEqual(Comparison.parse(oldComparison));
  });

  it('round-trips a comparison with the adaptive record through JSON', () => {
    const doc = JSON.parse(JSON.stringify(adaptiveComparison()));
    const parsed = NewComparison.parse(doc);
    expect(parsed.adaptive?.budget?.preset).toBe('demo');
    expect(parsed.models[0].aliases).toEqual(['io.containerd.runc.v2']);
    expect(parsed.models[0].adaptive!.figures.map((f) => f.figure)).toEqual(['startup', 'footprint', 'density']);
    // And today's schema (which strips unknown keys) still reads it: an older isolab opens newer files.
    expect(() => Comparison.parse(doc)).not.toThrow();
  });

  it('refuses an unknown stop reason or order, naming the field', () => {
    const doc = JSON.parse(JSON.stringify(adaptiveComparison()));
    doc.models[0].adaptive.figures[0].stopReason = 'bored';
    const r = NewComparison.safeParse(doc);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path.join('.')).toBe('models.0.adaptive.figures.0.stopReason');
    expect(ComparisonAdaptive.safeParse({ ...adaptiveComparison().adaptive, order: 'random' }).success).toBe(false);
  });

  it('exports a row per figure and per slope, that a CSV parser reads back', () => {
    const rows = parse(adaptiveCsv(adaptiveComparison()), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([...ADAPTIVE_COLUMNS]);
    expect(rows.map((r) => `${r.record}:${r.figure}${r.slope_of ? `:${r.slope_of}` : ''}`)).toEqual([
      'adaptive-figure:startup', 'adaptive-figure:footprint', 'adaptive-figure:density', 'adaptive-slope:density:latency', 'adaptive-slope:density:memory',
    ]);
    expect(rows[0]).toMatchObject({ model: 'container:runc', aliases: 'io.containerd.runc.v2', count: '9', stop_reason: 'precision-reached', cut_by_budget: 'false', planned_count: '14', level: '0.95' });
    expect(Number(rows[0].relative_half_width)).toBeLessThan(0.05);
    expect(rows[1]).toMatchObject({ stop_reason: 'precision-reached', below_noise: 'false' });
    expect(adaptiveCsv({ models: [] }).trim()).toBe(ADAPTIVE_COLUMNS.join(','));
  });

  it('writes a Precision section in Markdown, and nothing for a comparison without the record', () => {
    const md = adaptiveMarkdown(adaptiveComparison()).join('\n');
    expect(md).toContain('## Precision');
    expect(md).toContain('Models ran pilot-first.');
    expect(md).toContain('Budget 30 s (demo), 26.9 s spent; it cut some figures short.');
    expect(md).toContain('`runc` was measured once for `io.containerd.runc.v2`');
    expect(md).toMatch(/\| container:runc \| startup \| 9 \| precision-reached \| ±\d\.\d% \| no \|/);
    expect(adaptiveMarkdown({ models: oldComparison.models })).toEqual([]);
  });
});
