import { useTranslation } from 'react-i18next';
import { useLab } from '../lab/LabContext';

/** The error text comes from the engine or the client and already says how to fix it; shown whole. */
export function EngineBanner() {
  const { t } = useTranslation();
  const { info, connectionError, refreshInfo } = useLab();
  const message = connectionError ?? (info && !info.docker.ok ? info.docker.error : undefined);
  if (!message) return null;
  return (
    <div className="banner banner-danger" role="alert" data-testid="engine-error">
      <div>
        <strong>{t(connectionError ? 'common:engine.connectionTitle' : 'common:engine.downTitle')}</strong>
        <p className="banner-text">{message}</p>
      </div>
      <button type="button" className="button" onClick={refreshInfo}>
        {t('common:actions.retry')}
      </button>
    </div>
  );
}
