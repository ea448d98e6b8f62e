import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis, ResponsiveContainer } from 'recharts';
import { useFormat } from '../format';
import { BoxMarks, SLIM_BOX } from './BoxMarks';
import { densityCurve } from './density';
import { PointTooltip } from './PointTooltip';
import { DOT_LIMIT, isDense, jitter, linearAxis, logAxis, outliers, type BoxRow, type RowSample } from './distribution';
import { useChartColors } from './useChartColors';
import { Violin } from './Violin';

interface Props {
  phase: string;
  rows: BoxRow[];
  log: boolean;
}

export interface Point {
  x: number;
  y: number;
  ms: number;
  iteration: number;
  row: string;
  warmup: boolean;
}

const JITTER = 0.2;
/** Dots beyond the whiskers of a density spread less, so they stay on the row's line. */
const OUTLIER_JITTER = 0.08;

/**
 * One phase, a row per model (the container and, where it has the phase, the process floor). The box spans the
 * quartiles with the median as a thick line; whiskers reach the furthest sample within 1.5 × IQR (Tukey). Up to
 * DOT_LIMIT timed samples, every one is a dot (a strip plot over the box); past that, the row is a density (a
 * violin) around a slim box, and only the samples beyond the whiskers are dots. Warmup samples are hollow
 * diamonds and never in the box. Memoised: the scale toggle redraws without recomputing the boxes.
 */
export const PhaseChart = memo(function PhaseChart({ phase, rows, log }: Props) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const c = useChartColors();
  const axes = useMemo(() => {
    const all = rows.flatMap((r) => [r.min, r.max, ...r.warmup]);
    // The log axis needs the smallest positive value, which the min of a row with zeros is not.
    for (const r of rows) if (r.min <= 0) all.push(r.values.reduce((m, v) => (v > 0 && v < m ? v : m), Infinity));
    return { log: logAxis(all), lin: linearAxis(all) };
  }, [rows]);
  const floor = axes.log.floor;
  const pin = useMemo(() => (log ? (v: number) => Math.max(v, floor) : (v: number) => v), [log, floor]);

  // What each row draws: the dots (every sample, or those beyond the whiskers) and, past DOT_LIMIT, its density.
  const marks = useMemo(
    () =>
      rows.map((r, i) => {
        const dense = isDense(r);
        const seed = 17 + i * 101 + phase.length;
        const beyond = dense ? outliers(r, log) : undefined;
        const timed: RowSample[] = beyond ? beyond.shown : r.values.map((ms, j) => ({ ms, iteration: r.iterations[j] }));
        const warm: RowSample[] = r.warmup.slice(0, DOT_LIMIT).map((ms, j) => ({ ms, iteration: r.warmupIterations[j] }));
        const dy = jitter(timed.length + warm.length, seed, dense ? OUTLIER_JITTER : JITTER);
        const point = (s: RowSample, j: number, warmup: boolean): Point => ({ x: pin(s.ms), y: i + dy[j], ms: s.ms, iteration: s.iteration, row: r.label, warmup });
        return {
          row: r,
          dense,
          curve: dense ? densityCurve(r.values, log, floor) : undefined,
          beyond,
          timed: timed.map((s, j) => point(s, j, false)),
          warm: warm.map((s, j) => point(s, timed.length + j, true)),
        };
      }),
    [rows, log, floor, pin, phase],
  );
  const pinned = useMemo(() => (log ? rows.reduce((n, r) => n + r.values.filter((v) => v < floor).length + r.warmup.filter((v) => v < floor).length, 0) : 0), [rows, log, floor]);

  const summary = marks
    .map(({ row: r, beyond }) => {
      const s = t('chart.rowSummary', { row: r.label, n: f.int(r.values.length), median: f.ms(r.median), q1: f.ms(r.q1), q3: f.ms(r.q3), min: f.ms(r.min), max: f.ms(r.max) });
      return beyond ? `${s} ${t('chart.rowBeyond', { n: f.int(beyond.count) })}` : s;
    })
    .join(' ');
  const label = `${t('chart.title', { phase: t(`phase.${phase}`, { defaultValue: phase }) })}. ${summary}`;
  const height = 56 + rows.length * 52;
  const notes = rows.filter((r) => r.warmup.length > DOT_LIMIT).map((r) => t('chart.warmupCapped', { row: r.label, n: f.int(r.warmup.length), shown: f.int(DOT_LIMIT) }));

  return (
    <figure className="chart card" data-testid={`chart-${phase}`}>
      <figcaption className="chart-title">
        <span className="mono">{phase === 'total' ? t('phase.total') : phase}</span>
        {pinned > 0 && <span className="muted small"> {t('chart.pinned', { count: pinned })}</span>}
        {notes.map((n) => (
          <span key={n} className="muted small"> {n}</span>
        ))}
      </figcaption>
      <div role="img" aria-label={label} style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 6, right: 18, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke={c.border} />
            <XAxis
              type="number"
              dataKey="x"
              scale={log ? 'log' : 'linear'}
              domain={log ? axes.log.domain : axes.lin.domain}
              ticks={log ? axes.log.ticks : axes.lin.ticks}
              allowDataOverflow
              tickFormatter={(v: number) => f.tick(v)}
              stroke={c.muted}
              tick={{ fill: c.muted, fontSize: 11 }}
              unit=" ms"
              height={24}
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={[-0.5, rows.length - 0.5]}
              ticks={rows.map((_, i) => i)}
              tickFormatter={(i: number) => rows[i]?.label ?? ''}
              reversed
              stroke={c.muted}
              tick={{ fill: c.fg, fontSize: 11 }}
              width={118}
              interval={0}
            />
            <ZAxis zAxisId="dot" range={[34, 34]} />
            <ZAxis zAxisId="outlier" range={[20, 20]} />
            {marks.map(({ row, curve }, i) => curve && <Violin key={`${row.key}-d`} curve={curve} y={i} color={c.series[i % c.series.length]} />)}
            {marks.map(({ row, dense }, i) =>
              dense ? (
                <BoxMarks key={row.key} row={row} y={i} color={c.fg} pin={pin} half={SLIM_BOX} fill={c.card} fillOpacity={0.9} />
              ) : (
                <BoxMarks key={row.key} row={row} y={i} color={c.series[i % c.series.length]} pin={pin} />
              ),
            )}
            {marks.map(({ row, dense, timed, warm }, i) => [
              <Scatter key={`${row.key}-t`} name={row.label} data={timed} zAxisId={dense ? 'outlier' : 'dot'} fill={c.series[i % c.series.length]} fillOpacity={0.85} stroke={c.card} strokeWidth={dense ? 0.5 : 1} isAnimationActive={false} />,
              warm.length > 0 && <Scatter key={`${row.key}-w`} name={`${row.label} (${t('chart.warmup')})`} data={warm} zAxisId="dot" fill="none" stroke={c.muted} strokeWidth={1.5} shape="diamond" isAnimationActive={false} />,
            ])}
            <Tooltip cursor={false} isAnimationActive={false} content={<PointTooltip />} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
