import { useTranslation } from 'react-i18next';
import { iterationsDone } from '../../../../shared/progress';
import type { RunTrack } from '../../lab/runTracker';

/**
 * Where a run stands. The runner alternates the baseline and the model under test within each iteration, so
 * the model under way flips back and forth; the bar counts whole iterations, as the engine marks them done.
 */
export function RunProgress({ track, onCancel, cancelling }: { track?: RunTrack; onCancel?: () => void; cancelling: boolean }) {
  const { t } = useTranslation('bench');
  const p = track?.progress;
  const total = p?.total ?? track?.total;
  const done = p ? iterationsDone(p) : 0;
  // The engine says which side an event is about: the model under test or the floor beside it.
  const baseline = p?.role === 'baseline';
  return (
    <section className="card progress-card" aria-live="polite" data-testid="progress">
      <div className="progress-head">
        <h2>{cancelling ? t('progress.cancelling') : t('progress.title')}</h2>
        {onCancel && (
          <button type="button" className="button button-danger" onClick={onCancel} disabled={cancelling} data-testid="cancel">
            {t('progress.cancel')}
          </button>
        )}
      </div>
      <progress max={total ?? 1} value={total ? done : undefined} aria-label={t('progress.title')} />
      {p ? (
        <dl className="progress-facts">
          <div>
            <dt>{t('progress.iteration')}</dt>
            <dd className="mono">{t('progress.iOfN', { i: p.iteration, n: p.total })}</dd>
          </div>
          <div>
            <dt>{t('progress.kind')}</dt>
            <dd>
              <span className={p.warmup ? 'tag tag-muted' : 'tag'}>{p.warmup ? t('progress.warmup') : t('progress.timed')}</span>
            </dd>
          </div>
          <div>
            <dt>{t('progress.model')}</dt>
            <dd className="mono">
              {p.model}
              {baseline && <span className="tag tag-muted tag-after">{t('progress.baseline')}</span>}
            </dd>
          </div>
          <div>
            <dt>{t('progress.phase')}</dt>
            <dd className="mono">{p.phase}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">{t('progress.preparing')}</p>
      )}
    </section>
  );
}
