import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { shellQuote } from '../../../shared/consent';
import type { Plan } from '../../../shared/plan';
import type { FixedCounts } from '../../../shared/adaptive/wiring';
import './plans.css';

/** Opens a plan file (YAML or JSON) on the user's machine and reads it with the engine's own rules. */
/** A plan file as opened: its name, the plan, and the counts it wrote down (those left out adapt). */
export interface OpenedPlan {
  name: string;
  plan: Plan;
  fixedCounts: FixedCounts;
}

export function PlanFileField({ plan, onPlan, disabled }: { plan?: OpenedPlan; onPlan(p: OpenedPlan | undefined): void; disabled?: boolean }) {
  const { t } = useTranslation('plans');
  const [issues, setIssues] = useState<string[]>();

  const open = async (file: File | undefined) => {
    setIssues(undefined);
    if (!file) return onPlan(undefined);
    // The plan's schema (zod) and the YAML reader load now, not with the page: a page that opens no file needs neither.
    let reader: typeof import('../../../shared/input-file') | undefined;
    try {
      const [{ parsePlanFile }, input] = await Promise.all([import('../../../shared/plan-text'), import('../../../shared/input-file')]);
      reader = input;
      onPlan({ name: file.name, ...parsePlanFile(await file.text(), file.name) });
    } catch (err) {
      onPlan(undefined);
      setIssues(reader && err instanceof reader.InputFileError ? err.issues : [(err as Error).message]);
    }
  };

  const w = plan?.plan.workload;
  return (
    <div className="plan-file">
      <label className="field">
        <span>{t('file.label')}</span>
        <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml" disabled={disabled} onChange={(e) => void open(e.target.files?.[0])} data-testid="plan-file" />
        <small className="field-hint">{t('file.hint')}</small>
      </label>
      {issues && (
        <div className="banner banner-danger" role="alert" data-testid="plan-issues">
          <div>
            <strong>{t('file.invalid')}</strong>
            <ul className="plan-issues">
              {issues.map((i) => (
                <li key={i} className="mono small">{i}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {plan && w && (
        <dl className="plan-summary" data-testid="plan-summary">
          <dt>{t('summary.name')}</dt>
          <dd>{plan.plan.name ?? plan.name}</dd>
          <dt>{t('summary.workload')}</dt>
          <dd>
            {w.kind}
            {w.command && <code className="plan-inline-command">{shellQuote(w.command)}</code>}
          </dd>
          <dt>{t('summary.models')}</dt>
          <dd>{plan.plan.models?.join(', ') ?? t('summary.allModels')}</dd>
          <dt>{t('summary.startup')}</dt>
          <dd>{t('summary.startupValue', { iterations: plan.plan.startup.iterations, warmup: plan.plan.startup.warmup })}</dd>
        </dl>
      )}
    </div>
  );
}
