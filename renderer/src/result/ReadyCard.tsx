import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { useFormat } from '../format';
import { readyView } from './ready';
import { useSteps } from './useSteps';

/**
 * A container's time to ready: the moment its program first showed it runs (on isolab's clock), against the floor,
 * and how long after that the engine answered the start call (shared/readiness.ts). The medians show at once; the
 * intervals (bootstrap resamples) follow, computed in slices so the page draws and answers meanwhile.
 */
export function ReadyCard({ run, wait = false }: { run: Run; /** Not yet: the page has more urgent work. */ wait?: boolean }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const v = useMemo(() => readyView(run), [run]);
  const ci = useSteps(useMemo(() => (wait ? undefined : v?.intervals), [v, wait]));
  if (!v) return null;
  const floor = v.floor && { floor: v.floor.model, value: f.ms(v.floor.median), ratio: f.ratio(v.floor.ratio) };
  const lag = v.lag && { lag: f.ms(Math.abs(v.lag.medianMs)) };
  const lagKey = v.lag && v.lag.medianMs >= 0 ? 'ready.lagAfter' : 'ready.lagBefore';
  return (
    <section className="card ready-card" data-testid="ready-card" aria-labelledby="ready-title">
      <div className="ratio-figure mono">{f.ms(v.median)}</div>
      <div>
        <h2 id="ready-title" className="ratio-text">{t(`ready.title.${v.mark}`)}</h2>
        <p className="muted small" data-testid="ready-detail">
          {ci ? t('ready.detail', { n: v.n, lo: f.ms(ci.ci95[0]), hi: f.ms(ci.ci95[1]) }) : t('ready.detailPending', { n: v.n })}
          {floor && ` ${ci?.floor ? t('ready.floor', { ...floor, lo: f.ratio(ci.floor[0]), hi: f.ratio(ci.floor[1]) }) : t('ready.floorPending', floor)}`}
        </p>
        {v.lag && lag && (
          <p className="small" data-testid="start-call-lag">
            {ci?.lag ? t(lagKey, { ...lag, lo: f.ms(ci.lag[0]), hi: f.ms(ci.lag[1]) }) : t(`${lagKey}Pending`, lag)} {t('ready.lagCount', { k: v.lag.readyFirst, n: v.lag.n })}
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
