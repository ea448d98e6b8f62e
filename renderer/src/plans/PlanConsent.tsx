import { useTranslation } from 'react-i18next';
import { shellQuote, type HostCommand } from '../../../shared/consent';
import './plans.css';

/**
 * Before a plan's own command runs straight on this host: the exact command and the models that run it, and
 * two answers. Cancel is focused first, so Enter never consents by accident.
 */
export function PlanConsent({ commands, onConfirm, onCancel }: { commands: HostCommand[]; onConfirm(): void; onCancel(): void }) {
  const { t } = useTranslation('plans');
  return (
    <div className="card plan-consent" role="alertdialog" aria-modal="false" aria-labelledby="plan-consent-title" aria-describedby="plan-consent-text" data-testid="plan-consent">
      <h2 id="plan-consent-title">{t('consent.title')}</h2>
      <p id="plan-consent-text">{t('consent.text')}</p>
      {commands.map((c) => (
        <div key={c.command.join('\0')} className="plan-command">
          <pre className="mono" data-testid="plan-command">{shellQuote(c.command)}</pre>
          <p className="muted small">{t('consent.models', { models: c.models.join(', ') })}</p>
        </div>
      ))}
      <p className="muted small">{t('consent.why')}</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel} autoFocus data-testid="plan-consent-cancel">
          {t('consent.cancel')}
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} data-testid="plan-consent-run">
          {t('consent.run')}
        </button>
      </div>
    </div>
  );
}
