import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { useFormat } from '../format';
import { readyView } from './ready';

/**
 * A container's time to ready: the moment its program first showed it runs (on isolab's clock), against the floor,
 * and how long after that the engine answered the start call (shared/readiness.ts).
 */
export function ReadyCard({ run }: { run: Run }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const v = readyView(run);
  if (!v) return null;
  return (
    <section className="card ready-card" data-testid="ready-card" aria-labelledby="ready-title">
      <div className="ratio-figure mono">{f.ms(v.median)}</div>
      <div>
        <h2 id="ready-title" className="ratio-text">{t(`ready.title.${v.mark}`)}</h2>
        <p className="muted small">
          {t('ready.detail', { n: v.n, lo: f.ms(v.ci95[0]), hi: f.ms(v.ci95[1]) })}
          {v.floor && ` ${t('ready.floor', { floor: v.floor.model, value: f.ms(v.floor.median), ratio: f.ratio(v.floor.ratio), lo: f.ratio(v.floor.ci95[0]), hi: f.ratio(v.floor.ci95[1]) })}`}
        </p>
        {v.lag && (
          <p className="small" data-testid="start-call-lag">
            {t(v.lag.medianMs >= 0 ? 'ready.lagAfter' : 'ready.lagBefore', { lag: f.ms(Math.abs(v.lag.medianMs)), lo: f.ms(v.lag.ci95[0]), hi: f.ms(v.lag.ci95[1]) })}{' '}
            {t('ready.lagCount', { k: v.lag.readyFirst, n: v.lag.n })}
          </p>
        )}
        {v.clamped && (
          <p className="small muted" data-testid="ready-clamped">
            {t('ready.clamped')}
          </p>
        )}
      </div>
    </section>
  );
}
