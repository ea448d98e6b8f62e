import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { SummaryTable } from './SummaryTable';

/** The statistics of the run and of its floor, one table each. */
export function SummaryCard({ run }: { run: Run }) {
  const { t } = useTranslation('result');
  return (
    <section className="card" aria-labelledby="summary-title">
      <h2 id="summary-title">{t('summary')}</h2>
      <SummaryTable caption={run.model} order={run.phaseOrder} summary={run.summary} testId="summary-table" />
      {run.baseline && <SummaryTable caption={t('baselineLabel', { model: run.baseline.model })} order={run.baseline.phaseOrder} summary={run.baseline.summary} testId="baseline-table" />}
      <p className="muted small">{t('tableNote')}</p>
    </section>
  );
}
