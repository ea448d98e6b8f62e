import { useTranslation } from 'react-i18next';
import type { HostTestResult } from '../../../shared/api-hosts';

/** An unknown host key: the fingerprint to compare with what the host's owner sees, and an explicit choice. */
export function FingerprintPrompt({ result, onAccept, onReject, busy }: { result: HostTestResult; onAccept(): void; onReject(): void; busy?: boolean }) {
  const { t } = useTranslation('hosts');
  return (
    <div className="banner banner-warn" role="alertdialog" aria-labelledby="fp-title" aria-describedby="fp-text" data-testid="fingerprint-prompt">
      <div className="banner-text">
        <strong id="fp-title">{t('fingerprint.title')}</strong>
        <p id="fp-text">{t('fingerprint.text', { host: result.resolved })}</p>
        <p>
          <span className="muted">{result.keyType}</span> <code className="mono hosts-fp">{result.fingerprint}</code>
        </p>
        <p className="small muted">{t('fingerprint.how')}</p>
        <div className="form-actions">
          <button type="button" className="button button-primary" onClick={onAccept} disabled={busy} data-testid="accept-key">
            {t('fingerprint.accept')}
          </button>
          <button type="button" className="button" onClick={onReject} disabled={busy}>
            {t('fingerprint.reject')}
          </button>
        </div>
      </div>
    </div>
  );
}
