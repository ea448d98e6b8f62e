import figures from '../../../shared/reference/published-figures.json';
import type { Comparison } from '../../../shared/compare';
import { buildTradeoffTable, type PublishedFigure, type TradeoffTable } from '../../../shared/learn/tradeoffs';
import type { Run } from '../../../shared/run';
import type { ComparisonStore } from '../compare/store';
import type { RunStore } from '../store';

/** How many of the newest documents of each kind are read: the table wants the latest, not the history. */
const NEWEST = 40;

/** The Learn page's table from the newest runs and comparisons on disk and the cited figures. */
export async function tradeoffTable(runs: RunStore, comparisons: ComparisonStore): Promise<TradeoffTable> {
  const runItems = (await runs.list())
    .filter((r) => (r.status === 'complete' || r.status === 'partial' || r.status === 'interrupted') && (r.model.startsWith('container:') || r.model.startsWith('vm:')))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, NEWEST);
  const compItems = (await comparisons.list().catch(() => [])).sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, NEWEST);
  const loaded: Run[] = (await Promise.all(runItems.map((r) => runs.get(r.id).catch(() => undefined)))).filter((r): r is Run => !!r);
  const comps: Comparison[] = (await Promise.all(compItems.map((c) => comparisons.get(c.id).catch(() => undefined)))).filter((c): c is Comparison => !!c);
  return buildTradeoffTable({ runs: loaded, comparisons: comps, figures: figures.figures as PublishedFigure[] });
}
