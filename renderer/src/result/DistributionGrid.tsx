import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { chartHeight } from './chartGeometry';
import { boxRow, DOT_LIMIT, OUTLIER_DOTS, phaseValue, type BoxRow } from './distribution';
import { PhaseChart } from './PhaseChart';

/**
 * A chart per phase in run order, then the total; the baseline's row sits under the container's where both have the
 * phase. A run of more than DOT_LIMIT samples draws its charts one a task, the first with the rest of the page: each
 * chart's rows (sorting and a density over thousands of samples) and drawing take a good share of a second over six
 * charts, which in one task would hold the whole page, and the browser, until the last is drawn. Each chart is complete
 * when it appears; until then its place holds its title and height.
 */
export function DistributionGrid({ run, onDrawn }: { run: Run; /** Called with the run's id once every chart is drawn. */ onDrawn?: (runId: string) => void }) {
  const { t } = useTranslation('result');
  const [log, setLog] = useState(true); // phases span 0.1 ms to hundreds of ms: log by default
  const baselineLabel = run.baseline ? t('baselineLabel', { model: run.baseline.model }) : '';
  const phases = useMemo(() => [...run.phaseOrder, 'total'], [run.phaseOrder]);
  const [drawn, setDrawn] = useState(() => (run.samples.length > DOT_LIMIT ? 1 : Infinity));
  useEffect(() => {
    if (drawn >= phases.length) return onDrawn?.(run.id);
    // A new task, so the browser paints what is drawn so far (and handles input) before the next chart.
    const timer = setTimeout(() => setDrawn((n) => n + 1), 0);
    return () => clearTimeout(timer);
  }, [drawn, phases.length, onDrawn, run.id]);

  const widthHint = useRef(0);
  // Every timed sample has a total, so the total's rows are the largest: known without computing any row. Counted
  // once, not at each chart's render.
  const timed = useMemo(() => [run.samples, run.baseline?.samples].map((samples) => samples?.filter((s) => !s.warmup).length ?? 0), [run]);
  if (timed.every((n) => n === 0)) return <p className="muted">{t('noSamples')}</p>;
  const dense = timed.some((n) => n > DOT_LIMIT);
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
        {phases.map((phase, i) =>
          i < drawn ? <PhaseRows key={phase} run={run} phase={phase} baselineLabel={baselineLabel} log={log} widthHint={widthHint} /> : <PendingChart key={phase} phase={phase} rowCount={run.baseline?.samples.some((s) => phaseValue(s, phase) !== undefined) ? 2 : 1} />,
        )}
      </div>
    </section>
  );
}

/** One phase's chart; its rows are computed on its first draw, once per run, not again at each toggle of the scale. */
function PhaseRows({ run, phase, baselineLabel, log, widthHint }: { run: Run; phase: string; baselineLabel: string; log: boolean; widthHint: { current: number } }) {
  const rows = useMemo(
    () => [boxRow('target', run.model, run.samples, phase), run.baseline && boxRow('baseline', baselineLabel, run.baseline.samples, phase)].filter(Boolean) as BoxRow[],
    [run, phase, baselineLabel],
  );
  return rows.length > 0 && <PhaseChart phase={phase} rows={rows} log={log} widthHint={widthHint} />;
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
