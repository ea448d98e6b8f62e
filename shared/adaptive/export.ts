import { csv } from '../csv';
import type { AdaptiveFigure, ComparisonAdaptive, ModelAdaptive } from './schema';

/**
 * The adaptive record in the exports: a CSV with a row per figure of each model (for comparisonCsv to add
 * after its own rows, or to write beside it) and a Markdown section (for comparisonMarkdown). Typed by shape,
 * so it works on the Comparison document before and after the optional fields join it.
 */

export interface AdaptiveDoc {
  adaptive?: ComparisonAdaptive;
  models: { model: string; aliases?: string[]; adaptive?: ModelAdaptive }[];
}

export const ADAPTIVE_COLUMNS = [
  'record', 'model', 'aliases', 'figure', 'count', 'warmup', 'min_count', 'max_count', 'stop_reason', 'cut_by_budget',
  'target_relative_half_width', 'estimate', 'ci_low', 'ci_high', 'level', 'relative_half_width',
  'max_move_bytes', 'noise_bytes', 'below_noise', 'slope_of', 'slope', 'negligible', 'planned_count', 'unit_cost_ms', 'spent_ms',
] as const;
type Column = (typeof ADAPTIVE_COLUMNS)[number];

/** Rows (header first): one per figure, and for density one more per slope (record = adaptive-slope). */
export function adaptiveRows(doc: AdaptiveDoc): unknown[][] {
  const rows: unknown[][] = [[...ADAPTIVE_COLUMNS]];
  const row = (v: Partial<Record<Column, unknown>>) => rows.push(ADAPTIVE_COLUMNS.map((k) => v[k]));
  for (const m of doc.models) {
    for (const f of m.adaptive?.figures ?? []) {
      const base = {
        model: m.model, aliases: m.aliases?.join(' '), figure: f.figure, count: f.count, warmup: f.warmup, min_count: f.minCount, max_count: f.maxCount,
        stop_reason: f.stopReason, cut_by_budget: f.cutByBudget, target_relative_half_width: f.target,
        planned_count: f.plannedCount, unit_cost_ms: f.unitCostMs, spent_ms: f.spentMs,
      };
      const p = f.precision;
      if (p.method === 'order-statistic') {
        row({ record: 'adaptive-figure', ...base, estimate: p.estimate, ci_low: p.lo, ci_high: p.hi, level: p.level, relative_half_width: p.relativeHalfWidth });
      } else if (p.method === 'median-max-move') {
        row({ record: 'adaptive-figure', ...base, estimate: p.estimate, max_move_bytes: p.maxMoveBytes, noise_bytes: p.noiseBytes, below_noise: p.belowNoise });
      } else {
        row({ record: 'adaptive-figure', ...base });
        for (const s of p.slopes) {
          row({ record: 'adaptive-slope', model: m.model, figure: f.figure, slope_of: s.of, slope: s.slope, ci_low: s.lo, ci_high: s.hi, level: s.level, relative_half_width: s.relativeHalfWidth, negligible: s.negligible, count: s.points });
        }
      }
    }
  }
  return rows;
}

export function adaptiveCsv(doc: AdaptiveDoc): string {
  return csv(adaptiveRows(doc));
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `±${(100 * x).toFixed(1)}%`);
const kib = (b: number | undefined) => (b === undefined ? '–' : `${(b / 1024).toFixed(0)} KiB`);

function reached(f: AdaptiveFigure): string {
  const p = f.precision;
  if (p.method === 'order-statistic') return pct(p.relativeHalfWidth);
  if (p.method === 'median-max-move') return `next round moves ≤ ${kib(p.maxMoveBytes)} (noise ${kib(p.noiseBytes)})${p.belowNoise ? ', below noise' : ''}`;
  return p.slopes.map((s) => `${s.of} ${s.negligible ? 'flat' : pct(s.relativeHalfWidth)}`).join(', ');
}

/** The "Precision" section: what each figure reached and why it stopped. Empty when nothing was adaptive. */
export function adaptiveMarkdown(doc: AdaptiveDoc): string[] {
  const a = doc.adaptive;
  const withFigures = doc.models.filter((m) => m.adaptive?.figures.length);
  if (!a && !withFigures.length) return [];
  const out = ['## Precision', ''];
  if (a) {
    const r = a.startupRule;
    out.push(
      `Startup medians sampled until their ${Math.round(r.level * 100)}% order-statistic interval was within ±${(r.target * 100).toFixed(0)}% (at least ${r.minCount}, at most ${r.maxCount} timed starts after ${r.warmup} warmup). Models ran ${a.order}.` +
        (a.budget ? ` Budget ${(a.budget.ms / 1000).toFixed(0)} s${a.budget.preset ? ` (${a.budget.preset})` : ''}, ${(a.budget.spentMs / 1000).toFixed(1)} s spent${a.budget.exhausted ? '; it cut some figures short' : ''}.` : ''),
      '',
    );
    const grouped = a.runtimeGroups?.groups.filter((g) => g.aliases.length) ?? [];
    for (const g of grouped) out.push(`- \`${g.canonical}\` was measured once for ${g.aliases.map((n) => `\`${n}\``).join(', ')} (the same ${g.program ?? 'program'}, shim ${g.shim ?? '?'}).`);
    if (grouped.length) out.push('');
  }
  if (withFigures.length) {
    out.push('| model | figure | n | stopped by | precision reached | budget cut it short |', '|---|---|--:|---|---|---|');
    for (const m of withFigures) {
      for (const f of m.adaptive!.figures) out.push(`| ${m.model} | ${f.figure} | ${f.count} | ${f.stopReason} | ${reached(f)} | ${f.cutByBudget ? 'yes' : 'no'} |`);
    }
  }
  return out;
}
