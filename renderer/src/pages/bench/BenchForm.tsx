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
  const containers = values.target === 'containers';
  return (
    <fieldset className="form-grid" disabled={disabled}>
      <legend className="visually-hidden">{t('plan')}</legend>
      <label className="field">
        <span>{t('target.label')}</span>
        <select value={values.target} onChange={(e) => set('target', e.target.value as BenchFormValues['target'])} data-testid="target">
          <option value="containers">{t('target.containers')}</option>
          <option value="process">{t('target.process')}</option>
        </select>
      </label>
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
        <input type="checkbox" checked={containers && values.baseline} disabled={!containers} onChange={(e) => set('baseline', e.target.checked)} />
        <span>
          {t('baseline.label')}
          <small className="field-hint">{t('baseline.hint')}</small>
        </span>
      </label>
    </fieldset>
  );
}
