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
 * The per-instance overhead a run measured, if it recorded one: `footprint.memory.perInstance` and
 * `footprint.disk.perInstance`, in bytes. Figures the run lacks keep the fallback's values and sources.
 */
export function overheadFromRun(run: Run, fallback: InstanceOverhead): InstanceOverhead {
  const mem = run.footprint?.memory?.perInstance;
  const disk = run.footprint?.disk?.perInstance;
  if (mem === undefined && disk === undefined) return fallback;
  const out: InstanceOverhead = { ...fallback, provenance: [] };
  const measured = (what: string, bytes: number): Provenance => ({
    kind: 'measured',
    runId: run.id,
    model: run.model,
    detail: `${what}: ${(bytes / GiB).toFixed(3)} GiB`,
  });
  if (mem !== undefined) {
    out.memoryGiB = mem / GiB;
    out.provenance.push(measured('memory per instance', mem));
  } else out.provenance.push(fallback.provenance[0]);
  if (disk !== undefined) {
    out.diskGiB = disk / GiB;
    out.provenance.push(measured('disk per instance', disk));
  } else out.provenance.push(fallback.provenance[1]);
  out.provenance.push(...fallback.provenance.slice(2));
  return out;
}
