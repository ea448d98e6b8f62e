import { useTranslation } from 'react-i18next';
import type { LabInfo } from '../../../../shared/api';
import type { BenchFormValues } from './benchForm';

interface Props {
  values: BenchFormValues;
  onChange(v: BenchFormValues): void;
  errors: Partial<Record<keyof BenchFormValues, string>>;
  info?: LabInfo;
  disabled: boolean;
}

/** The plan's inputs. Image, runtime and baseline only mean something for containers, so they grey out otherwise. */
export function BenchForm({ values, onChange, errors, info, disabled }: Props) {
  const { t } = useTranslation('bench');
  const set = <K extends keyof BenchFormValues>(k: K, v: BenchFormValues[K]) => onChange({ ...values, [k]: v });
  const engine = info?.docker.ok ? info.docker.engine : undefined;
  return (
    <fieldset className="form-grid" disabled={disabled}>
      <legend className="visually-hidden">{t('plan')}</legend>
      <label className="field">
        <span>{t('target.label')}</span>
        <select value={values.target} onChange={(e) => set('target', e.target.value as BenchFormValues['target'])} data-testid="target">
          <option value="containers">{t('target.containers')}</option>
          <option value="process">{t('target.process')}</option>
          <option value="vm">{t('target.vm')}</option>
          <option value="swarm">{t('target.swarm')}</option>
        </select>
      </label>
      {values.target !== 'swarm' && <PlanFields values={values} set={set} errors={errors} engine={engine} />}
    </fieldset>
  );
}

/** The fields of a bench plan (the Swarm target has its own panel). */
function PlanFields({ values, set, errors, engine }: { values: BenchFormValues; set: <K extends keyof BenchFormValues>(k: K, v: BenchFormValues[K]) => void; errors: Props['errors']; engine?: { defaultRuntime?: string; runtimes?: string[] } }) {
  const { t } = useTranslation('bench');
  const containers = values.target === 'containers';
  const vm = values.target === 'vm';
  return (
    <>
      {vm && (
        <>
          <label className="field">
            <span>{t('vm.memory')}</span>
            <input type="number" min={64} max={65536} value={values.memoryMiB} onChange={(e) => set('memoryMiB', e.target.value)} aria-invalid={!!errors.memoryMiB} data-testid="memory" />
            <small className={errors.memoryMiB ? 'field-error' : 'field-hint'}>{errors.memoryMiB ?? t('vm.memoryHint')}</small>
          </label>
          <label className="field">
            <span>{t('vm.accel')}</span>
            <select value={values.accel} onChange={(e) => set('accel', e.target.value as BenchFormValues['accel'])} data-testid="accel">
              <option value="auto">{t('vm.accelAuto')}</option>
              <option value="tcg">{t('vm.accelTcg')}</option>
              <option value="kvm">KVM</option>
              <option value="hvf">HVF</option>
              <option value="whpx">WHPX</option>
            </select>
            <small className="field-hint">{t('vm.accelHint')}</small>
          </label>
          <label className="field field-check">
            <input type="checkbox" checked={values.allowApt} onChange={(e) => set('allowApt', e.target.checked)} />
            <span>
              {t('vm.allowApt')}
              <small className="field-hint">{t('vm.allowAptHint')}</small>
            </span>
          </label>
        </>
      )}
      <label className="field">
        <span>{t('image.label')}</span>
        <input type="text" value={values.image} placeholder={t('image.placeholder')} disabled={!containers} onChange={(e) => set('image', e.target.value)} aria-invalid={!!errors.image} spellCheck={false} autoComplete="off" />
        <small className={errors.image ? 'field-error' : 'field-hint'}>{errors.image ?? t('image.hint')}</small>
      </label>
      <label className="field">
        <span>{t('runtime.label')}</span>
        <select value={values.runtime} disabled={!containers} onChange={(e) => set('runtime', e.target.value)} data-testid="runtime">
          <option value="">{engine?.defaultRuntime ? t('runtime.default', { name: engine.defaultRuntime }) : t('runtime.defaultUnknown')}</option>
          {(engine?.runtimes ?? []).map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('iterations.label')}</span>
        <input type="number" min={1} max={10000} value={values.iterations} onChange={(e) => set('iterations', e.target.value)} aria-invalid={!!errors.iterations} data-testid="iterations" />
        <small className={errors.iterations ? 'field-error' : 'field-hint'}>{errors.iterations ?? t('iterations.hint')}</small>
      </label>
      <label className="field">
        <span>{t('warmup.label')}</span>
        <input type="number" min={0} max={1000} value={values.warmup} onChange={(e) => set('warmup', e.target.value)} aria-invalid={!!errors.warmup} data-testid="warmup" />
        <small className={errors.warmup ? 'field-error' : 'field-hint'}>{errors.warmup ?? t('warmup.hint')}</small>
      </label>
      <label className="field field-check">
        <input type="checkbox" checked={(containers || vm) && values.baseline} disabled={!containers && !vm} onChange={(e) => set('baseline', e.target.checked)} />
        <span>
          {t('baseline.label')}
          <small className="field-hint">{t('baseline.hint')}</small>
        </span>
      </label>
    </>
  );
}
