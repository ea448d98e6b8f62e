import type { Comparison, ModelResult } from '../compare';
import { densitySlopes, memoryPerInstance } from '../machines';
import type { InstanceOverhead, Overheads, Provenance } from './overheads';

/**
 * A machine's measured figures as the simulator's inputs (issue 15 §6): its comparison's memory per instance for
 * the consolidation planner's VM and container overheads, each model's startup for scale-out, and the density
 * slope beside them. What the comparison did not measure stays the built-in or cited default, labelled as such.
 */
export interface MachineFigures {
  comparisonId: string;
  startedAt: string;
  /** The model each overhead came from and its memory per instance (bytes), how it was measured. */
  memory: { vm?: MachineMemory; container?: MachineMemory };
  /** Each measured model's startup: its median, and the run the comparison saved for it (for scale-out). */
  startups: { model: string; medianMs: number; runId?: string; latencySlopeMs?: number }[];
}

interface MachineMemory {
  model: string;
  bytes: number;
  method: NonNullable<ReturnType<typeof memoryPerInstance>>['method'];
}

/** runc first: the engine's default runtime is what "a container" means in the planner's defaults. */
const CONTAINER_ORDER = (m: string) => (m === 'container:runc' ? 0 : 1);
/** The full VM first (vm:qemu), then the microvm: the planner's VM is a guest OS per instance. */
const VM_ORDER = (m: string) => (m === 'vm:qemu' ? 0 : 1);

function memoryOf(models: ModelResult[], family: string, order: (m: string) => number): MachineMemory | undefined {
  const withMemory = models
    .filter((m) => m.status === 'ok' && m.model.startsWith(`${family}:`))
    .map((m) => ({ model: m.model, mem: memoryPerInstance(m) }))
    .filter((x) => x.mem)
    .sort((a, b) => order(a.model) - order(b.model));
  const first = withMemory[0];
  return first && { model: first.model, bytes: first.mem!.bytes, method: first.mem!.method };
}

export function machineFigures(c: Comparison): MachineFigures {
  return {
    comparisonId: c.id,
    startedAt: c.startedAt,
    memory: { vm: memoryOf(c.models, 'vm', VM_ORDER), container: memoryOf(c.models, 'container', CONTAINER_ORDER) },
    startups: c.models
      .filter((m) => m.status === 'ok' && m.startup)
      .map((m) => ({ model: m.model, medianMs: m.startup!.ready.median, runId: m.runId, latencySlopeMs: densitySlopes(m).latency?.slope })),
  };
}

const GiB = 2 ** 30;

/** The overheads with the machine's memory per instance in place of the default; disk and vCPU stay the defaults. */
export function overheadsFromMachine(base: Overheads, fig: MachineFigures): Overheads {
  const one = (o: InstanceOverhead, mem: MachineMemory | undefined): InstanceOverhead => {
    if (!mem) return o;
    const p: Provenance = {
      kind: 'measured',
      runId: fig.comparisonId,
      comparisonId: fig.comparisonId,
      model: mem.model,
      detail: `memory per instance: ${(mem.bytes / GiB).toFixed(3)} GiB (comparison, ${mem.method} memory)`,
    };
    return { ...o, memoryGiB: mem.bytes / GiB, sources: { ...o.sources, memoryGiB: p } };
  };
  return { vm: one(base.vm, fig.memory.vm), container: one(base.container, fig.memory.container) };
}
