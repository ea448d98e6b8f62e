import type { RunListItem } from '../../../shared/run';

/**
 * What a run's "total" measures, so only like is ranked with like: a host's SSH latency (a fresh connection
 * and one command), or a container's lifecycle (create to removed), on a host's engine or on this machine's.
 * VM boots, process spawns and Compare startups measure other things and stay on their own pages.
 */
export type CompareMeasure = 'ssh' | 'container';

export interface CompareGroup {
  measure: CompareMeasure;
  /** The newest complete run of each model, fastest first. */
  runs: RunListItem[];
}

export function measureOf(run: Pick<RunListItem, 'kind' | 'model'>): CompareMeasure | undefined {
  if (run.kind === 'bench:host') return /\/container:/.test(run.model) ? 'container' : 'ssh';
  if (run.kind === 'bench:containers') return 'container';
  return undefined;
}

/** True for a run measured on a remote host (host:<name> or host:<name>/container:<runtime>). */
export const isRemote = (run: Pick<RunListItem, 'model'>) => run.model.startsWith('host:');

/** Groups the newest complete run of each model by what it measures; groups without a remote run are left out. */
export function compareGroups(runs: RunListItem[]): CompareGroup[] {
  const newest = new Map<string, RunListItem>();
  // Runs come newest first: the first complete one of a model is its newest.
  for (const r of runs) if (r.status === 'complete' && r.medianTotalMs !== undefined && measureOf(r) && !newest.has(r.model)) newest.set(r.model, r);
  const order: CompareMeasure[] = ['ssh', 'container'];
  return order
    .map((measure) => ({ measure, runs: [...newest.values()].filter((r) => measureOf(r) === measure).sort((a, b) => a.medianTotalMs! - b.medianTotalMs!) }))
    .filter((g) => g.runs.some(isRemote));
}
