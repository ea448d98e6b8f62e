import { useTranslation } from 'react-i18next';

/**
 * The engine is in no swarm: what isolab would do to it, said exactly, and an explicit choice. Nothing was
 * created yet; "Create and run" sends the same request with the user's consent (createSwarm).
 */
export function SwarmConsent({ endpoint, onAccept, onCancel, busy }: { endpoint?: string; onAccept(): void; onCancel(): void; busy?: boolean }) {
  const { t } = useTranslation('swarm');
  return (
    <div className="banner banner-warn" role="alertdialog" aria-labelledby="swarm-consent-title" aria-describedby="swarm-consent-text" data-testid="swarm-consent">
      <div className="banner-text">
        <strong id="swarm-consent-title">{t('consent.title')}</strong>
        <p id="swarm-consent-text">{endpoint ? t('consent.text', { endpoint }) : t('consent.textNoEndpoint')}</p>
        <ol className="swarm-consent-steps">
          <li>
            {t('consent.init')} <code className="mono">docker swarm init --advertise-addr 127.0.0.1</code>
          </li>
          <li>{t('consent.gwbridge')}</li>
          <li>{t('consent.service')}</li>
          <li>{t('consent.leave')}</li>
        </ol>
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onAccept} disabled={busy} data-testid="swarm-consent-accept">
            {t('consent.accept')}
          </button>
          <button type="button" className="button" onClick={onCancel} disabled={busy} data-testid="swarm-consent-cancel">
            {t('consent.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
