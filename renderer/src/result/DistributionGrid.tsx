import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { chartHeight } from './chartGeometry';
import { boxRow, DOT_LIMIT, isDense, OUTLIER_DOTS, type BoxRow } from './distribution';
import { PhaseChart } from './PhaseChart';

/**
 * A chart per phase in run order, then the total; the baseline's row sits under the container's where both have the
 * phase. A run of more than DOT_LIMIT samples draws its charts one a task, the first with the rest of the page: each
 * chart's rows (sorting and a density over thousands of samples) and drawing take a good share of a second over six
 * charts, which in one task would hold the whole page, and the browser, until the last is drawn. Each chart is complete
 * when it appears; until then its place holds its title and height.
 */
export function DistributionGrid({ run }: { run: Run }) {
  const { t } = useTranslation('result');
  const [log, setLog] = useState(true); // phases span 0.1 ms to hundreds of ms: log by default
  const baselineLabel = run.baseline ? t('baselineLabel', { model: run.baseline.model }) : '';
  const phases = useMemo(() => [...run.phaseOrder, 'total'], [run.phaseOrder]);
  // A chart's rows are computed on its first draw, once per run, not again at each toggle of the scale.
  const rowsOf = useMemo(() => {
    const cache = new Map<string, BoxRow[]>();
    return (phase: string) => {
      let rows = cache.get(phase);
      if (!rows) {
        rows = [boxRow('target', run.model, run.samples, phase), run.baseline && boxRow('baseline', baselineLabel, run.baseline.samples, phase)].filter(Boolean) as BoxRow[];
        cache.set(phase, rows);
      }
      return rows;
    };
  }, [run, baselineLabel]);
  const [drawn, setDrawn] = useState(() => (run.samples.length > DOT_LIMIT ? 1 : Infinity));
  useEffect(() => {
    if (drawn >= phases.length) return;
    // A new task, so the browser paints what is drawn so far (and handles input) before the next chart.
    const timer = setTimeout(() => setDrawn((n) => n + 1), 0);
    return () => clearTimeout(timer);
  }, [drawn, phases.length]);

  const charts = phases.map((phase, i) => ({ phase, rows: i < drawn ? rowsOf(phase) : undefined }));
  if (drawn >= phases.length && charts.every((c) => c.rows?.length === 0)) return <p className="muted">{t('noSamples')}</p>;
  const dense = charts.some((c) => c.rows?.some(isDense));
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
        {charts.map((c) =>
          c.rows === undefined ? (
            <PendingChart key={c.phase} phase={c.phase} rowCount={run.baseline ? 2 : 1} />
          ) : (
            c.rows.length > 0 && <PhaseChart key={c.phase} phase={c.phase} rows={c.rows} log={log} />
          ),
        )}
      </div>
    </section>
  );
}

/** A chart's place until it is drawn (in the next tasks): its title and the plot's height, so nothing moves. */
function PendingChart({ phase, rowCount }: { phase: string; rowCount: number }) {
  const { t } = useTranslation('result');
  return (
    <div className="chart card" data-pending-chart={phase} aria-busy="true">
      <div className="chart-title">
        <span className="mono">{phase === 'total' ? t('phase.total') : phase}</span>
      </div>
      <div className="chart-plot" style={{ height: chartHeight(rowCount) }} />
    </div>
  );
}
