import overheadRefs from '../reference/sim-overheads.json';
import type { Run } from '../run';

/** Where a number came from: this user's measured run, a cited reference, an assumption isolab made where
 * nothing is published, or the scenario itself. */
export type Provenance =
  | { kind: 'measured'; runId: string; model: string; detail: string }
  | { kind: 'reference'; source: string; detail: string }
  | { kind: 'assumption'; source: string; detail: string }
  | { kind: 'input'; detail: string };

export interface InstanceOverhead {
  memoryGiB: number;
  diskGiB: number;
  vcpu: number;
  provenance: Provenance[];
}

/** What one isolation model adds per instance: a guest OS per VM, a little per container. */
export interface Overheads {
  vm: InstanceOverhead;
  container: InstanceOverhead;
}

const ref = (f: { value: number; kind: string; source: string }, what: string): Provenance => ({
  kind: f.kind === 'assumption' ? 'assumption' : 'reference',
  source: f.source,
  detail: `${what}: ${f.value}`,
});

/** The cited defaults from shared/reference/sim-overheads.json. */
export function referenceOverheads(): Overheads {
  const v = overheadRefs.vm;
  const c = overheadRefs.container;
  return {
    vm: {
      memoryGiB: v.guestOsMemoryGiB.value,
      diskGiB: v.guestOsDiskGiB.value,
      vcpu: v.guestOsVcpu.value,
      provenance: [ref(v.guestOsMemoryGiB, 'guest OS memory GiB'), ref(v.guestOsDiskGiB, 'guest OS disk GiB'), ref(v.guestOsVcpu, 'guest OS vCPU')],
    },
    container: {
      memoryGiB: c.memoryMiB.value / 1024,
      diskGiB: c.diskMiB.value / 1024,
      vcpu: c.vcpu.value,
      provenance: [ref(c.memoryMiB, 'memory MiB per container'), ref(c.diskMiB, 'disk MiB per container'), ref(c.vcpu, 'vCPU per container')],
    },
  };
}

const GiB = 1024 ** 3;

/**
 * Footprint keys that mean "memory one instance adds", best first: an explicit per-instance figure, the memory
 * a VM's guest OS uses (VM runs), the host-side drop per instance, the instance's cgroup (container runs).
 */
const MEMORY_KEYS = ['perInstance', 'guestMemUsedBytes', 'hostBytes', 'cgroupBytes'] as const;
/** Disk: only an explicit per-instance figure; a VM run's kernel + initramfs is not a guest OS disk. */
const DISK_KEYS = ['perInstance'] as const;

function firstOf(rec: Record<string, number> | undefined, keys: readonly string[]): [string, number] | undefined {
  for (const k of keys) if (typeof rec?.[k] === 'number' && Number.isFinite(rec[k])) return [k, rec[k]];
  return undefined;
}

/**
 * The per-instance overhead a run measured, where its footprint recorded one (see MEMORY_KEYS, DISK_KEYS;
 * bytes). Figures the run lacks keep the fallback's values and sources.
 */
export function overheadFromRun(run: Run, fallback: InstanceOverhead): InstanceOverhead {
  const mem = firstOf(run.footprint?.memory, MEMORY_KEYS);
  const disk = firstOf(run.footprint?.disk, DISK_KEYS);
  if (!mem && !disk) return fallback;
  const out: InstanceOverhead = { ...fallback, provenance: [] };
  const measured = (what: string, [key, bytes]: [string, number]): Provenance => ({
    kind: 'measured',
    runId: run.id,
    model: run.model,
    detail: `${what}: ${(bytes / GiB).toFixed(3)} GiB (footprint ${key})`,
  });
  if (mem) {
    out.memoryGiB = mem[1] / GiB;
    out.provenance.push(measured('memory per instance', mem));
  } else out.provenance.push(fallback.provenance[0]);
  if (disk) {
    out.diskGiB = disk[1] / GiB;
    out.provenance.push(measured('disk per instance', disk));
  } else out.provenance.push(fallback.provenance[1]);
  out.provenance.push(...fallback.provenance.slice(2));
  return out;
}
