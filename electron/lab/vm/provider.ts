import type { Target } from '../targets/target';
import { findKernel } from './kernel';
import { findQemu } from './qemu';
import { QemuTarget } from './target';

/** The shape compare's ModelSpec has for a model that times its own lifecycle (electron/lab/compare/models.ts). */
export interface VmModelSpec {
  model: string;
  unavailable?: string;
  target?(runId: string): Target;
}

/**
 * The local VM as a model of `isolab compare`: listed always, runnable when QEMU and a guest kernel are
 * here (no kernel is fetched without the user's consent, so compare never downloads one).
 */
export function vmModelProvider(root: string, opts: { memoryMiB?: number; kernel?: string } = {}): () => Promise<VmModelSpec[]> {
  return async () => {
    try {
      await findQemu();
      await findKernel({ root, kernel: opts.kernel });
    } catch (err) {
      return [{ model: 'vm:qemu', unavailable: (err as Error).message }];
    }
    return [{ model: 'vm:qemu', target: (runId: string) => new QemuTarget({ runId, root, memoryMiB: opts.memoryMiB, kernel: opts.kernel }) }];
  };
}
