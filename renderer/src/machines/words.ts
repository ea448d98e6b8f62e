import { useTranslation } from 'react-i18next';
import type { Machine, PlanDifference } from '../../../shared/machines';
import { useFormat } from '../format';

/** A machine's name and what it is, in the reader's language: Azure's size and region when known, else its facts. */
export function useMachineWords() {
  const { t } = useTranslation('machines');
  const f = useFormat();
  const name = (m: Machine) => m.facts.remoteTarget ?? m.facts.hostname ?? m.key.slice(0, 8);
  const size = (m: Machine) =>
    m.facts.azureSize
      ? t('azure', { size: m.facts.azureSize, region: m.facts.azureRegion ?? '?' })
      : t('facts', { cpus: m.facts.cpus, memory: f.bytes(m.facts.memoryBytes), kernel: m.facts.kernel });
  const origin = (m: Machine) => {
    if (m.current) return t('origin.current');
    const c = m.comparisons[0];
    if (m.origin === 'imported') return t('origin.imported', { file: c.imported?.file ?? '?' });
    if (m.origin === 'remote') return t('origin.remote', { host: m.facts.remoteTarget ?? '?' });
    return t('origin.local');
  };
  /** One plan difference: the code's sentence, with both values in words. */
  const difference = (d: PlanDifference, machines: string[]) => {
    const value = (v: PlanDifference['value']) => {
      if (d.code === 'budget') return v === null ? t('value.noBudget') : `${f.num(Number(v) / 1000, 0)}\u202fs`;
      if (d.code === 'fixed-count') return v === null ? t('value.adaptive') : t('value.fixed', { n: v });
      if (d.code === 'footprint-instances' && v === 0) return t('value.noFootprint');
      if (d.code === 'floor-clock') return t(`value.floorClock.${String(v)}`, { defaultValue: String(v) });
      return v === null ? t('value.unknown') : String(v);
    };
    return t(`diff.${d.code}`, { machine: machines[d.machine], reference: machines[0], value: value(d.value), referenceValue: value(d.reference) });
  };
  return { name, size, origin, difference };
}
