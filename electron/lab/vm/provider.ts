import type { Target } from '../targets/target';
import { findKernel } from './kernel';
import { DEFAULT_MACHINE, findQemu, machineType, type Machine } from './qemu';
import { QemuTarget, vmModelName } from './target';

/** The shape compare's ModelSpec has for a model that times its own lifecycle (electron/lab/compare/models.ts). */
export interface VmModelSpec {
  model: string;
  unavailable?: string;
  target?(runId: string): Target;
}

/**
 * The local VM as a model of `isolab compare`: listed always, runnable when QEMU (with that machine type) and
 * a guest kernel are here (no kernel is fetched without the user's consent, so compare never downloads one).
 * The q35 VM is `vm:qemu`; `machine: 'microvm'` gives `vm:microvm`.
 */
export function vmModelProvider(root: string, opts: { memoryMiB?: number; kernel?: string; machine?: Machine } = {}): () => Promise<VmModelSpec[]> {
  const machine = opts.machine ?? DEFAULT_MACHINE;
  const model = vmModelName(machine);
  return async () => {
    try {
      const qemu = await findQemu();
      if (!(await machineType(qemu, machine))) throw new Error(`${qemu} has no ${machine} machine type (see \`${qemu} -machine help\`)`);
      await findKernel({ root, kernel: opts.kernel });
    } catch (err) {
      return [{ model, unavailable: (err as Error).message }];
    }
    return [{ model, target: (runId: string) => new QemuTarget({ runId, root, memoryMiB: opts.memoryMiB, kernel: opts.kernel, machine }) }];
  };
}
