import { useTranslation } from 'react-i18next';
import type { AdaptiveFigure } from '../../../shared/adaptive/schema';
import type { Comparison } from '../../../shared/compare';
import { useFormat } from '../format';
import { MiB } from './data';

/** How precise a figure got, in words of the reader's language. */
export function usePrecisionWords() {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const pct = (x: number | undefined) => (x === undefined ? '–' : `${f.num(100 * x, 1)}\u202f%`);
  const kib = (b: number | undefined) => (b === undefined ? '–' : `${f.num(b / MiB, 2)}\u202fMiB`);
  return (fig: AdaptiveFigure): string => {
    const p = fig.precision;
    // Below 6 samples no 95% interval of a median exists: nothing to claim.
    if (p.method === 'order-statistic') return p.relativeHalfWidth === undefined ? '–' : t('precision.reachedMedian', { pct: pct(p.relativeHalfWidth) });
    if (p.method === 'median-max-move') return t('precision.reachedFootprint', { move: kib(p.maxMoveBytes), noise: kib(p.noiseBytes) });
    return p.slopes.map((s) => `${s.of} ${s.negligible ? t('precision.flat') : pct(s.relativeHalfWidth)}`).join(', ');
  };
}

/**
 * What the adaptive plan decided (issue 14 §5): the rule, the order the models took turns in, the budget and
 * what it cut, the noise measured, the runtimes measured once, and each figure's count, stop and precision.
 */
export function PrecisionSection({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const reached = usePrecisionWords();
  const a = c.adaptive;
  const rows = c.models.flatMap((m) => (m.adaptive?.figures ?? []).map((fig) => ({ model: m.model, fig })));
  if (!a && !rows.length) return null;
  const r = a?.startupRule;
  const fixed = r && r.minCount === r.maxCount;
  const seconds = (ms: number) => `${f.num(ms / 1000, ms < 10_000 ? 1 : 0)}\u202fs`;
  return (
    <section className="card" data-testid="precision">
      <h3>{t('precision.title')}</h3>
      {r && (
        <p className="small">
          {fixed
            ? t('precision.fixed', { n: r.maxCount })
            : t('precision.intro', { level: Math.round(r.level * 100), target: `${f.num(r.target * 100, 0)}\u202f%`, min: r.minCount, max: r.maxCount, warmup: r.warmup })}
        </p>
      )}
      {a && (
        <p className="small" data-testid="precision-order" data-order={a.order}>
          {t(`order.${a.order}`)}{' '}
          {a.budget
            ? t('precision.budget', { budget: seconds(a.budget.ms), preset: a.budget.preset ? ` (${a.budget.preset})` : '', spent: seconds(a.budget.spentMs) })
            : t('precision.noBudget')}
          {a.budget?.exhausted && <> {t('precision.budgetCut')}</>}
          {a.noise && <> {t('precision.noise', { noise: `${f.num(a.noise.rmsBytes / MiB, 2)}\u202fMiB`, n: a.noise.idleBracketsBytes.length })}</>}
        </p>
      )}
      {a?.runtimeGroups?.groups
        .filter((g) => g.aliases.length)
        .map((g) => (
          <p className="small" key={g.canonical}>
            {t('precision.grouped', { canonical: g.canonical, aliases: g.aliases.join(', ') })}
          </p>
        ))}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="precision-table">
            <thead>
              <tr>
                <th scope="col">{t('precision.col.model')}</th>
                <th scope="col">{t('precision.col.figure')}</th>
                <th scope="col" className="num">{t('precision.col.n')}</th>
                <th scope="col">{t('precision.col.stop')}</th>
                <th scope="col">{t('precision.col.reached')}</th>
                <th scope="col">{t('precision.col.cut')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ model, fig }) => (
                <tr key={`${model}/${fig.figure}`} data-model={model} data-figure={fig.figure} data-stop={fig.stopReason}>
                  <th scope="row" className="mono">{model}</th>
                  <td>{t(`precision.figure.${fig.figure}`)}</td>
                  <td className="num mono">{fig.count}</td>
                  <td>{t(`stopReason.${fig.stopReason}`)}</td>
                  <td className="mono">{reached(fig)}</td>
                  <td>{fig.cutByBudget ? t('precision.yes') : t('precision.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
