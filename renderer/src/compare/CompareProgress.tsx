import { useTranslation } from 'react-i18next';
import { iterationsDone } from '../../../shared/progress';
import type { CompareLive } from './useComparison';

const STAGES = ['startup', 'footprint', 'density'] as const;

/** The comparison under way: the model, its stage, and during startup the iteration, from the engine's events. */
export function CompareProgress({ live, done, onCancel, cancelling }: { live: CompareLive; done: number; onCancel?: () => void; cancelling: boolean }) {
  const { t } = useTranslation('compare');
  const p = live.progress;
  const stage = STAGES.find((s) => s === live.stage);
  return (
    <section className="card progress-card" aria-live="polite" data-testid="compare-progress">
      <div className="progress-head">
        <h2>{cancelling ? t('live.cancelling') : t('running', { done })}</h2>
        {onCancel && (
          <button type="button" className="button button-danger" onClick={onCancel} disabled={cancelling} data-testid="compare-cancel">
            {t('live.cancel')}
          </button>
        )}
      </div>
      {p && <progress max={p.total} value={iterationsDone(p)} aria-label={t('live.iteration')} />}
      {live.model ? (
        <dl className="progress-facts">
          <div>
            <dt>{t('live.model')}</dt>
            <dd className="mono" data-testid="compare-progress-model">
              {p?.model ?? live.model}
              {p?.role === 'baseline' && <span className="tag tag-muted tag-after">{t('live.baseline')}</span>}
            </dd>
          </div>
          {live.stage && (
            // Unknown after a reload until the comparison moves to its next stage.
            <div>
              <dt>{t('live.stage')}</dt>
              <dd>{stage ? t(`live.stages.${stage}`) : live.stage}</dd>
            </div>
          )}
          {p && (
            <div>
              <dt>{t('live.iteration')}</dt>
              <dd className="mono" data-testid="compare-progress-iteration">
                {t('live.iOfN', { i: p.iteration, n: p.total })} {p.warmup && <span className="tag tag-muted">{t('live.warmup')}</span>}
              </dd>
            </div>
          )}
        </dl>
      ) : (
        <p className="muted">{t('waiting')}</p>
      )}
    </section>
  );
}
