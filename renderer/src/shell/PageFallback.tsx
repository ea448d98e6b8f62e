import { useTranslation } from 'react-i18next';

/**
 * Shown while a page's chunk loads on first open. The page area keeps its place (no layout jump) and the words
 * appear only after a moment (CSS delay), so a chunk that comes in 50 ms shows no flash of "Loading…".
 */
export function PageFallback() {
  const { t } = useTranslation();
  return (
    <div className="page" aria-busy="true" data-testid="page-loading">
      <p className="muted page-loading">{t('common:loading')}</p>
    </div>
  );
}
