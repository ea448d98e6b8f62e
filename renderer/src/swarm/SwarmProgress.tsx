import { useTranslation } from 'react-i18next';
import type { LabEvent } from '../../../shared/api';

export type SwarmProgressEvent = Extract<LabEvent, { type: 'swarm-progress' }>;

/** Where a swarm bench stands: its step, round, and tasks (or bare containers) running of wanted, from the engine's events. */
export function SwarmProgressCard({ progress: p, onCancel, cancelling }: { progress?: SwarmProgressEvent; onCancel?: () => void; cancelling: boolean }) {
  const { t } = useTranslation('swarm');
  const counts = p?.wanted !== undefined && ['create', 'scale', 'bare', 'cleanup'].includes(p.step);
  return (
    <section className="card progress-card" aria-live="polite" data-testid="swarm-progress">
      <div className="progress-head">
        <h2>{cancelling ? t('progress.cancelling') : t('progress.title')}</h2>
        {onCancel && (
          <button type="button" className="button button-danger" onClick={onCancel} disabled={cancelling} data-testid="swarm-cancel">
            {t('progress.cancel')}
          </button>
        )}
      </div>
      <progress max={p?.rounds ?? 1} value={p?.round ? p.round - 1 : undefined} aria-label={t('progress.title')} />
      <dl className="progress-facts">
        <div>
          <dt>{t('progress.step')}</dt>
          <dd data-testid="swarm-step">{t(`step.${p?.step ?? 'prepare'}`)}</dd>
        </div>
        {p?.round !== undefined && (
          <div>
            <dt>{t('progress.round')}</dt>
            <dd className="mono">
              {t('progress.iOfN', { i: p.round, n: p.rounds ?? p.round })}{' '}
              <span className={p.warmup ? 'tag tag-muted' : 'tag'}>{p.warmup ? t('progress.warmup') : t('progress.timed')}</span>
            </dd>
          </div>
        )}
        {counts && (
          <div>
            <dt>{t('progress.running')}</dt>
            <dd className="mono">{t('progress.iOfN', { i: p.running ?? 0, n: p.wanted })}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
