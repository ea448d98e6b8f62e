import { resolveWorkload, type ResolvedWorkload, type Workload } from '../../../shared/plan';

/** One isolation model the comparison can run: an entry of the model registry (electron/lab/models). */
export type { ModelEntry as ModelSpec } from '../models/types';

/** The idle workload footprint and density hold running: the plan's own when it stays up, else `sleep`. */
export function idleWorkload(w: Workload): ResolvedWorkload {
  const resolved = resolveWorkload(w);
  if (resolved.readiness.kind !== 'exit') return resolved;
  return resolveWorkload({ kind: 'sleep', image: w.image, timeoutMs: w.timeoutMs });
}
