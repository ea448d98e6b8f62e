import { compareFacts, type IsolationFacts, type IsolationView } from '../../../shared/learn/facts';
import type { EngineConnection } from '../docker/engine';
import { containerFacts } from './container';
import { hostProcessView } from './host';
import { vmFacts } from './vm';

export { hostProcessView, containerFacts, vmFacts };

export interface IsolationDeps {
  root: string;
  runId: string;
  docker(): Promise<EngineConnection>;
  signal: AbortSignal;
}

/**
 * Live isolation facts, side by side: isolab's own process on the host, a probe container and the VM. A side
 * that cannot be read (no engine, no VM kernel) carries its error instead of failing the others.
 */
export async function isolationFacts(req: { bootVm: boolean; runtime?: string }, deps: IsolationDeps): Promise<IsolationFacts> {
  const failed = (side: IsolationView['side'], source: string) => (err: unknown): IsolationView => ({
    side,
    source,
    namespaces: {},
    limits: {},
    error: (err as Error).message ?? String(err),
  });
  const host = await hostProcessView();
  // One after the other: two cores, and a VM boot under TCG would slow the container's start.
  const container = await deps
    .docker()
    .then((conn) => containerFacts(conn, { runId: deps.runId, signal: deps.signal, runtime: req.runtime }))
    .catch(failed('container', 'a probe container'));
  const vm = await vmFacts({ root: deps.root, runId: deps.runId, signal: deps.signal, boot: req.bootVm }).catch(failed('vm', 'a VM guest'));
  return compareFacts(host, container, vm, new Date().toISOString());
}
