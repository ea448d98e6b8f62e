import { EngineRuntimes, groupRuntimes, identitiesFromEngine } from '../../../shared/adaptive/runtime-groups';
import type { ComparisonAdaptive } from '../../../shared/adaptive/schema';
import { chooseBudget, fixedCountsOf, groupModels, type FixedCounts } from '../../../shared/adaptive/wiring';
import type { CompareRequest } from '../../../shared/api';
import type { Comparison } from '../../../shared/compare';
import type { PlanInput } from '../../../shared/plan';
import { resolveRuntimeIdentities } from '../adaptive/runtime-identity';
import type { EngineConnection } from '../docker/engine';
import type { ModelSpec } from './models';
import type { ComparisonStore } from './store';

/**
 * What the compare loop needs beyond the plan, decided before measuring: which counts the user fixed, the
 * budget (throws a BudgetError on a malformed one, before anything starts), and which engine runtimes are
 * the same program.
 */
export function compareSettings(raw: CompareRequest, parsed: { budget?: string; fixedCounts?: FixedCounts }) {
  const fixed = parsed.fixedCounts ?? fixedCountsOf(raw.plan as PlanInput | undefined);
  return { fixed, budget: chooseBudget(parsed.budget, fixed) };
}

/**
 * Container models of runtimes that run the same program become one model with aliases (docs/adaptive-compare.md
 * step 0). A local engine's runtimes are resolved to files; a remote one's (tcp endpoint) are grouped by their
 * path strings. With `each`, every name is measured, and the groups still say which were identical.
 */
export async function groupContainerModels(
  specs: ModelSpec[],
  o: { docker: () => Promise<EngineConnection>; each: boolean; log?: (line: string) => void },
): Promise<{ specs: ModelSpec[]; aliases: Record<string, string[]>; runtimeGroups?: ComparisonAdaptive['runtimeGroups'] }> {
  if (!specs.some((s) => s.model.startsWith('container:') && !s.unavailable)) return { specs, aliases: {} };
  try {
    const conn = await o.docker();
    const info = await conn.docker.info();
    const runtimes = EngineRuntimes.parse(info.Runtimes ?? {});
    const local = /^(DOCKER_HOST=)?unix:/.test(conn.endpoint);
    const ids = local ? await resolveRuntimeIdentities(runtimes) : identitiesFromEngine(runtimes);
    const groups = groupRuntimes(ids, { each: o.each, prefer: [info.DefaultRuntime, 'runc'].filter((x): x is string => !!x) });
    const grouped = o.each ? specs.map((s) => ({ ...s })) : groupModels(specs, groups);
    const aliases: Record<string, string[]> = {};
    for (const s of grouped as (ModelSpec & { aliases?: string[] })[]) if (s.aliases?.length) aliases[s.model] = s.aliases;
    return { specs: grouped, aliases, runtimeGroups: { grouping: o.each ? 'each' : 'grouped', groups } };
  } catch (err) {
    // Grouping is an economy, never a reason not to compare: measure every name.
    o.log?.(`runtime grouping skipped: ${(err as Error).message}`);
    return { specs, aliases: {} };
  }
}

/** The newest comparison on this host, whose unit costs seed the planner's guesses. */
export async function lastComparison(store: ComparisonStore): Promise<Comparison | undefined> {
  try {
    const items = (await store.list()).filter((i) => i.status === 'complete').sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
    return items[0] ? await store.get(items[0].id) : undefined;
  } catch {
    return undefined;
  }
}
