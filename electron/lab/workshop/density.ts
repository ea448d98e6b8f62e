import { median } from 'simple-statistics';
import { fitsIn, type DensityDemo } from '../../../shared/learn/race';
import type { Run } from '../../../shared/run';
import type { EngineConnection } from '../docker/engine';
import { cgroupOf, parentPid, pssBytes, readCgroupMemory } from '../footprint/proc';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { ownerLabels } from '../labels';
import { abortable } from '../targets/container';

export interface DensityDemoOptions {
  runId: string;
  conn?: EngineConnection;
  /** How many idle containers to measure at once. */
  containers?: number;
  budgetBytes?: number;
  signal: AbortSignal;
  /** The VM's per-instance memory: the last race's QEMU PSS, else the newest VM run's. */
  vm?: { bytes: number; source: string; runId?: string; raceId?: string };
}

const GiB = 1024 ** 3;

/**
 * How many fit in a budget (1 GiB). Containers: a few idle probe containers are started now and each one's
 * cost is read as its cgroup's memory plus its containerd shim's PSS (the shim lives outside the cgroup),
 * then they are removed. The VM: a measured QEMU PSS from the last race or the newest VM run.
 */
export async function densityDemo(o: DensityDemoOptions): Promise<DensityDemo> {
  const budget = o.budgetBytes ?? GiB;
  const container = o.conn
    ? await measureContainers(o.conn, o.containers ?? 4, o.runId, o.signal).catch((err: Error) => ({ source: 'idle probe containers', samples: [], error: err.message }))
    : { source: 'idle probe containers', samples: [], error: 'no container engine' };
  const c = { ...(container as { perInstanceBytes?: number; samples: number[]; source: string; error?: string }), how: 'containersNow' as const };
  return {
    budgetBytes: budget,
    measuredAt: new Date().toISOString(),
    container: { ...c, fits: fitsIn(budget, c.perInstanceBytes) },
    vm: o.vm
      ? { perInstanceBytes: o.vm.bytes, fits: fitsIn(budget, o.vm.bytes), source: o.vm.source, runId: o.vm.runId, samples: [o.vm.bytes], how: o.vm.raceId ? ('vmRace' as const) : ('vmRun' as const), ref: o.vm.raceId ?? o.vm.runId }
      : { source: 'no VM measured yet', samples: [], error: 'run the race or `isolab bench vm` first', how: 'none' as const },
  };
}

async function measureContainers(conn: EngineConnection, n: number, runId: string, signal: AbortSignal) {
  const docker = conn.docker;
  await ensureProbeImage(docker);
  const ids: string[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: n }, async () => {
        const c = await docker.createContainer({ Image: PROBE_IMAGE, Cmd: ['sleep', '120'], Labels: ownerLabels(runId), HostConfig: { NetworkMode: 'none' } });
        ids.push(c.id);
        await abortable(c.start(), signal);
        return c;
      }),
    );
    // Let each settle (the runtime's setup pages are charged at start, then some are freed).
    await new Promise((r) => setTimeout(r, 300));
    const samples: number[] = [];
    for (const c of started) {
      const pid = (await c.inspect()).State?.Pid;
      if (!pid) continue;
      const ref = await cgroupOf(pid);
      const cg = ref ? (await readCgroupMemory(ref)).usage : 0;
      const shim = await parentPid(pid);
      const shimPss = shim && shim > 1 ? ((await pssBytes(shim)) ?? 0) : 0;
      samples.push(cg + shimPss);
    }
    if (!samples.length) throw new Error('could not read the containers\' memory');
    return { perInstanceBytes: median(samples), samples, ref: String(samples.length), source: `${samples.length} idle probe containers measured now: cgroup memory + containerd shim PSS, median` };
  } finally {
    await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true, v: true }).catch(() => {})));
  }
}

/** The newest VM run with a QEMU memory figure. */
export function vmMemoryFromRuns(runs: Run[]): { bytes: number; source: string; runId: string } | undefined {
  for (const r of [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))) {
    const m = r.footprint?.memory;
    const b = m?.qemuPssBytes ?? m?.qemuRssBytes;
    if (r.model.startsWith('vm:') && b) return { bytes: b, source: `QEMU ${m?.qemuPssBytes ? 'PSS' : 'RSS'} at SSH ready, run ${r.id}`, runId: r.id };
  }
  return undefined;
}
