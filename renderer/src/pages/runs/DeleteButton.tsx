import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Two steps instead of window.confirm(): works the same in Electron and the browser, and by keyboard. */
export function DeleteButton({ label, onConfirm }: { label: string; onConfirm(): void }) {
  const { t } = useTranslation('runs');
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button-small" onClick={() => setAsking(true)} aria-label={t('delete.aria', { label })}>
        {t('delete.button')}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={t('delete.question')}>
      <span className="small">{t('delete.question')}</span>
      <button type="button" className="button button-small button-danger" onClick={onConfirm} autoFocus>
        {t('delete.yes')}
      </button>
      <button type="button" className="button button-small" onClick={() => setAsking(false)}>
        {t('delete.no')}
      </button>
    </span>
  );
}
