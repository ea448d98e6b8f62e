import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { boxRow, DOT_LIMIT, isDense, OUTLIER_DOTS, type BoxRow } from './distribution';
import { PhaseChart } from './PhaseChart';

/** A chart per phase in run order, then the total; the baseline's row sits under the container's where both have the phase. */
export function DistributionGrid({ run }: { run: Run }) {
  const { t } = useTranslation('result');
  const [log, setLog] = useState(true); // phases span 0.1 ms to hundreds of ms: log by default
  const baselineLabel = run.baseline ? t('baselineLabel', { model: run.baseline.model }) : '';
  // Sorting thousands of samples per row is done once per run, not again at each toggle of the scale.
  const charts = useMemo(
    () =>
      [...run.phaseOrder, 'total']
        .map((phase) => {
          const rows = [boxRow('target', run.model, run.samples, phase), run.baseline && boxRow('baseline', baselineLabel, run.baseline.samples, phase)].filter(Boolean) as BoxRow[];
          return { phase, rows };
        })
        .filter((c) => c.rows.length > 0),
    [run, baselineLabel],
  );
  if (charts.length === 0) return <p className="muted">{t('noSamples')}</p>;
  const dense = charts.some((c) => c.rows.some(isDense));
  return (
    <section aria-labelledby="dist-title">
      <div className="section-head">
        <h2 id="dist-title">{t('distribution')}</h2>
        <label className="switch">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} data-testid="log-toggle" />
          <span>{t('logScale')}</span>
        </label>
      </div>
      <p className="muted small" data-testid="distribution-legend">
        {dense ? t('chartLegendDense', { limit: DOT_LIMIT, dots: OUTLIER_DOTS }) : t('chartLegend')}
      </p>
      <div className="chart-grid">
        {charts.map((c) => (
          <PhaseChart key={c.phase} phase={c.phase} rows={c.rows} log={log} />
        ))}
      </div>
    </section>
  );
}
