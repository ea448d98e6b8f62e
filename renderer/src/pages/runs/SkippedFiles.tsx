import { useTranslation } from 'react-i18next';
import type { RunScan } from '../../../../shared/run';
import './runs.css';

/** Files of the runs folder that are not readable runs: how many, which, and why, never silently hidden. */
export function SkippedFiles({ scan }: { scan: Pick<RunScan, 'skipped' | 'dir'> }) {
  const { t } = useTranslation('runs');
  if (scan.skipped.length === 0) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="runs-skipped">
      <div>
        <strong>{t('skipped.title', { count: scan.skipped.length })}</strong>
        <p className="banner-text">{t('skipped.intro', { dir: scan.dir })}</p>
        <ul className="skipped-list">
          {scan.skipped.map((s) => (
            <li key={s.file}>
              <span className="mono">{s.file}</span>: {t(`skipped.reason.${s.reason}`)}
              {s.detail && <span className="muted small mono"> ({s.detail})</span>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
