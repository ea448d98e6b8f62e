import { resolveWorkload, type ResolvedWorkload, type Workload } from '../../../shared/plan';
import { engineFacts, type EngineConnection } from '../docker/engine';
import { RuncBundleDriver, rawRuntimeUnavailable } from '../targets/runc-bundle';
import type { Target } from '../targets/target';
import { ContainerDriver } from '../workloads/container-driver';
import type { InstanceDriver } from '../workloads/instance';
import { ProcessDriver } from '../workloads/process-driver';

/**
 * One isolation model the comparison can run. `driver` builds an instance driver for a workload (startup,
 * footprint and density all use it); a model that only knows how to time its own lifecycle (a VM target
 * written against the Target interface) gives `target` instead and gets startup figures only.
 */
export interface ModelSpec {
  model: string;
  /** Set when the model is listed but cannot run here: the comparison says so and goes on. */
  unavailable?: string;
  driver?(workload: ResolvedWorkload, runId: string): InstanceDriver;
  target?(runId: string): Target;
}

/** A hook for models defined elsewhere (the local VM): returns its specs, or none when it cannot run. */
export type ModelProvider = () => Promise<ModelSpec[]>;

export interface DiscoverOptions {
  docker: () => Promise<EngineConnection>;
  root: string;
  log?: (line: string) => void;
  extra?: ModelProvider[];
}

/**
 * Every model on this host: the process floor, a container under each runtime the engine lists, and each OCI
 * runtime on PATH run straight on a bundle. Runtimes the engine lists under two names (runc and
 * io.containerd.runc.v2) are both kept: they are measured, not assumed equal.
 */
export async function discoverModels(o: DiscoverOptions): Promise<ModelSpec[]> {
  const specs: ModelSpec[] = [{ model: 'process', driver: (w) => new ProcessDriver(w) }];
  try {
    const conn = await o.docker();
    const facts = await engineFacts(conn);
    if (facts.os?.startsWith('windows')) {
      // Windows engines isolate by HostConfig.Isolation, not by OCI runtime: process (shared kernel) and hyperv
      // (a utility VM per container). Hyper-V needs the Windows feature; when it is off the first start says so.
      for (const isolation of ['process', 'hyperv'] as const) {
        specs.push({ model: `container:${isolation}`, driver: (w, runId) => new ContainerDriver({ conn, runId, runtime: 'default', isolation, workload: w, log: o.log }) });
      }
      return withExtras(specs, o);
    }
    const runtimes = facts.runtimes?.length ? facts.runtimes : [facts.defaultRuntime ?? 'runc'];
    for (const runtime of runtimes) {
      specs.push({ model: `container:${runtime}`, driver: (w, runId) => new ContainerDriver({ conn, runId, runtime, workload: w, log: o.log }) });
    }
  } catch (err) {
    specs.push({ model: 'container:*', unavailable: `no container engine: ${(err as Error).message}` });
  }
  for (const runtime of ['runc', 'crun', 'runsc']) {
    const why = await rawRuntimeUnavailable(runtime);
    // A runtime that is simply not installed is not a model of this host; one we may not run is, and says why.
    if (why && why.endsWith('not on PATH')) continue;
    specs.push({ model: `oci:${runtime}`, unavailable: why, driver: (w, runId) => new RuncBundleDriver({ runtime, runId, root: o.root, workload: w }) });
  }
  return withExtras(specs, o);
}

async function withExtras(specs: ModelSpec[], o: DiscoverOptions): Promise<ModelSpec[]> {
  for (const provider of o.extra ?? []) {
    try {
      specs.push(...(await provider()));
    } catch (err) {
      o.log?.(`a model provider failed: ${(err as Error).message}`);
    }
  }
  return specs;
}

/** The idle workload footprint and density hold running: the plan's own when it stays up, else `sleep`. */
export function idleWorkload(w: Workload): ResolvedWorkload {
  const resolved = resolveWorkload(w);
  if (resolved.readiness.kind !== 'exit') return resolved;
  return resolveWorkload({ kind: 'sleep', image: w.image, timeoutMs: w.timeoutMs });
}
