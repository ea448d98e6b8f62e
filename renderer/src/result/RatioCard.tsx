import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { median } from 'simple-statistics';
import type { Run } from '../../../shared/run';
import { ratioOfMediansSteps } from '../../../shared/stats';
import { useFormat } from '../format';
import { useSteps } from './useSteps';

/**
 * How many times the process floor the container costs, in total, with a bootstrap CI. The ratio shows at once;
 * the interval (2,000 resamples of both runs: seconds for 10,000 iterations each) is computed in slices so the
 * page draws and answers meanwhile.
 */
export function RatioCard({ run, wait = false }: { run: Run; /** Not yet: the page has more urgent work. */ wait?: boolean }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const b = run.baseline;
  const totals = useMemo(() => {
    const timed = run.samples.filter((s) => !s.warmup).map((s) => s.totalMs);
    const floor = (b?.samples ?? []).filter((s) => !s.warmup).map((s) => s.totalMs);
    return timed.length && floor.length ? { timed, floor, ratio: median(timed) / median(floor) } : undefined;
  }, [run, b]);
  const ci = useSteps(useMemo(() => (totals && !wait ? () => ratioOfMediansSteps(totals.timed, totals.floor) : undefined), [totals, wait]));
  if (!b || !totals) return null;
  const ratio = f.ratio(totals.ratio);
  const medians = { a: f.ms(run.summary.total?.median), b: f.ms(b.summary.total?.median) };
  return (
    <section className="card ratio-card" data-testid="ratio">
      <div className="ratio-figure mono">{ratio}</div>
      <div>
        <p className="ratio-text">{t('ratio.sentence', { model: run.model, floor: b.model, ratio })}</p>
        <p className="muted small" data-testid="ratio-detail">
          {ci ? t('ratio.detail', { lo: f.ratio(ci.ci95[0]), hi: f.ratio(ci.ci95[1]), ...medians }) : t('ratio.detailPending', medians)}
        </p>
      </div>
    </section>
  );
}
