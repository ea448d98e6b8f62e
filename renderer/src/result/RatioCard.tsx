import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { ratioOfMedians } from '../../../shared/stats';
import { useFormat } from '../format';

/** How many times the process floor the container costs, per shared phase and in total, with bootstrap CIs. */
export function RatioCard({ run }: { run: Run }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const b = run.baseline;
  if (!b) return null;
  const timed = run.samples.filter((s) => !s.warmup);
  const floor = b.samples.filter((s) => !s.warmup);
  if (!timed.length || !floor.length) return null;
  const total = ratioOfMedians(timed.map((s) => s.totalMs), floor.map((s) => s.totalMs));
  return (
    <section className="card ratio-card" data-testid="ratio">
      <div className="ratio-figure mono">{f.ratio(total.ratio)}</div>
      <div>
        <p className="ratio-text">{t('ratio.sentence', { model: run.model, floor: b.model, ratio: f.ratio(total.ratio) })}</p>
        <p className="muted small">
          {t('ratio.detail', { lo: f.ratio(total.ci95[0]), hi: f.ratio(total.ci95[1]), a: f.ms(run.summary.total?.median), b: f.ms(b.summary.total?.median) })}
        </p>
      </div>
    </section>
  );
}
