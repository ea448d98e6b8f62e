import { useTranslation } from 'react-i18next';
import type { PhaseSummary } from '../../../shared/run';
import { useFormat } from '../format';

/** The statistics of one model, phases in run order then the total; numbers right-aligned in mono. */
export function SummaryTable({ caption, order, summary, testId }: { caption: string; order: string[]; summary: Record<string, PhaseSummary>; testId?: string }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const rows = [...order, 'total'].filter((p) => summary[p] && summary[p].n > 0);
  return (
    <div className="table-wrap">
      <table className="table num-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('table.phase')}</th>
            <th scope="col">{t('table.n')}</th>
            <th scope="col">{t('table.median')}</th>
            <th scope="col">{t('table.ci95')}</th>
            <th scope="col">{t('table.meanSd')}</th>
            <th scope="col">{t('table.mad')}</th>
            <th scope="col">{t('table.range')}</th>
            <th scope="col">{t('table.p95')}</th>
            <th scope="col">{t('table.p99')}</th>
            <th scope="col">{t('table.outliers')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const s = summary[p];
            return (
              <tr key={p} className={p === 'total' ? 'total-row' : undefined}>
                <th scope="row" className="mono">{p === 'total' ? t('phase.total') : p}</th>
                <td>{f.int(s.n)}</td>
                <td className="strong">{f.ms(s.median)}</td>
                <td>{`${f.num(s.ci95[0])}–${f.num(s.ci95[1])}`}</td>
                <td>{`${f.num(s.mean)} ± ${f.num(s.stddev)}`}</td>
                <td>{f.num(s.mad)}</td>
                <td>{`${f.num(s.min)} … ${f.num(s.max)}`}</td>
                <td>{f.num(s.p95)}</td>
                <td>{f.num(s.p99)}</td>
                <td title={s.outliers.length ? t('table.outlierIterations', { list: s.outliers.join(', ') }) : undefined}>{outliers(s.outliers)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The count, and which iterations while the list is short; the full list is in the cell's title. */
function outliers(ids: number[]): string {
  if (ids.length === 0) return '0';
  const shown = ids.slice(0, 3).map((i) => `#${i}`).join(', ');
  return `${ids.length} (${shown}${ids.length > 3 ? ', …' : ''})`;
}
