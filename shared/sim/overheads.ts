import overheadRefs from '../reference/sim-overheads.json';
import type { Run } from '../run';

/** Where a number came from: this user's measured run, a cited reference, an assumption isolab made where
 * nothing is published, or the scenario itself. */
export type Provenance =
  | { kind: 'measured'; runId: string; model: string; detail: string; comparisonId?: string }
  | { kind: 'reference'; source: string; detail: string }
  | { kind: 'assumption'; source: string; detail: string }
  | { kind: 'input'; detail: string };

export const OVERHEAD_FIELDS = ['memoryGiB', 'diskGiB', 'vcpu'] as const;
export type OverheadField = (typeof OVERHEAD_FIELDS)[number];

export interface InstanceOverhead {
  memoryGiB: number;
  diskGiB: number;
  vcpu: number;
  /** Where each figure in use comes from: one source per field, so a replaced default is not listed beside its replacement. */
  sources: Record<OverheadField, Provenance>;
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
      sources: { memoryGiB: ref(v.guestOsMemoryGiB, 'guest OS memory GiB'), diskGiB: ref(v.guestOsDiskGiB, 'guest OS disk GiB'), vcpu: ref(v.guestOsVcpu, 'guest OS vCPU') },
    },
    container: {
      memoryGiB: c.memoryMiB.value / 1024,
      diskGiB: c.diskMiB.value / 1024,
      vcpu: c.vcpu.value,
      sources: { memoryGiB: ref(c.memoryMiB, 'memory MiB per container'), diskGiB: ref(c.diskMiB, 'disk MiB per container'), vcpu: ref(c.vcpu, 'vCPU per container') },
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
  const measured = (what: string, [key, bytes]: [string, number]): Provenance => ({
    kind: 'measured',
    runId: run.id,
    model: run.model,
    detail: `${what}: ${(bytes / GiB).toFixed(3)} GiB (footprint ${key})`,
  });
  const out: InstanceOverhead = { ...fallback, sources: { ...fallback.sources } };
  if (mem) {
    out.memoryGiB = mem[1] / GiB;
    out.sources.memoryGiB = measured('memory per instance', mem);
  }
  if (disk) {
    out.diskGiB = disk[1] / GiB;
    out.sources.diskGiB = measured('disk per instance', disk);
  }
  return out;
}

/** The figures a scenario gives replace the others, value and source alike. */
export function withGiven(o: InstanceOverhead, given: Partial<Record<OverheadField, number>> | undefined): InstanceOverhead {
  if (!given) return o;
  const out: InstanceOverhead = { ...o, sources: { ...o.sources } };
  for (const f of OVERHEAD_FIELDS) {
    const v = given[f];
    if (v === undefined) continue;
    out[f] = v;
    out.sources[f] = { kind: 'input', detail: `${f}: ${v} given in the scenario` };
  }
  return out;
}
