import { useTranslation } from 'react-i18next';
import type { KernelVerdict } from '../../../shared/learn/verdict';

/** Kernels every container of the engine shares (the host's, the engine VM's, the engine machine's). */
export const sharedKernel = (v: KernelVerdict) => v.code === 'hostKernel' || v.code === 'engineVm' || v.code === 'engineHost';

/** The sentence that says which kernel answers a container, and why (Learn's live facts, the workshop's demo). */
export function useVerdictText(): (v: KernelVerdict) => string {
  const { t } = useTranslation('learn');
  return (v) =>
    t(`facts.verdict.${v.code}`, {
      release: v.release,
      host: v.host ?? '–',
      engine: v.engineKernel ?? '–',
      runtime: v.runtime ?? '–',
      vm: t(`facts.engineVmName.${v.engineVm ?? 'desktopVm'}`),
    });
}
