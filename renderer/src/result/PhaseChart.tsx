import { useTranslation } from 'react-i18next';
import { CartesianGrid, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis, ResponsiveContainer } from 'recharts';
import { useFormat } from '../format';
import { BoxMarks } from './BoxMarks';
import { PointTooltip } from './PointTooltip';
import { jitter, linearAxis, logAxis, type BoxRow } from './distribution';
import { useChartColors } from './useChartColors';

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

/**
 * One phase as a strip plot over a box plot: a row per model (the container and, where it has the phase, the
 * process floor). The box spans the quartiles with the median as a thick line; whiskers reach the furthest
 * sample within 1.5 × IQR (Tukey). Every timed sample is a dot; warmup samples are hollow and not in the box.
 */
export function PhaseChart({ phase, rows, log }: Props) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const c = useChartColors();
  const all = rows.flatMap((r) => [...r.values, ...r.warmup]);
  const axis = logAxis(all);
  const lin = linearAxis(all);
  const pin = (v: number) => (log ? Math.max(v, axis.floor) : v);
  const pinned = log ? all.filter((v) => v < axis.floor).length : 0;

  const series = rows.map((r, i) => {
    const dy = jitter(r.values.length + r.warmup.length, 17 + i * 101 + phase.length, JITTER);
    const timed: Point[] = r.values.map((v, j) => ({ x: pin(v), y: i + dy[j], ms: v, iteration: r.iterations[j], row: r.label, warmup: false }));
    const warm: Point[] = r.warmup.map((v, j) => ({ x: pin(v), y: i + dy[r.values.length + j], ms: v, iteration: r.warmupIterations[j], row: r.label, warmup: true }));
    return { row: r, color: c.series[i % c.series.length], timed, warm };
  });

  const summary = rows
    .map((r) => t('chart.rowSummary', { row: r.label, n: r.values.length, median: f.ms(r.median), q1: f.ms(r.q1), q3: f.ms(r.q3), min: f.ms(Math.min(...r.values)), max: f.ms(Math.max(...r.values)) }))
    .join(' ');
  const label = `${t('chart.title', { phase: t(`phase.${phase}`, { defaultValue: phase }) })}. ${summary}`;
  const height = 56 + rows.length * 52;

  return (
    <figure className="chart card" data-testid={`chart-${phase}`}>
      <figcaption className="chart-title">
        <span className="mono">{phase === 'total' ? t('phase.total') : phase}</span>
        {pinned > 0 && <span className="muted small"> {t('chart.pinned', { count: pinned })}</span>}
      </figcaption>
      <div role="img" aria-label={label} style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 6, right: 18, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke={c.border} />
            <XAxis
              type="number"
              dataKey="x"
              scale={log ? 'log' : 'linear'}
              domain={log ? axis.domain : lin.domain}
              ticks={log ? axis.ticks : lin.ticks}
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
            <ZAxis range={[34, 34]} />
            {series.map(({ row, color }, i) => (
              <BoxMarks key={row.key} row={row} y={i} color={color} pin={pin} />
            ))}
            {series.map(({ row, color, timed, warm }) => [
              <Scatter key={`${row.key}-t`} name={row.label} data={timed} fill={color} fillOpacity={0.85} stroke={c.card} strokeWidth={1} isAnimationActive={false} />,
              warm.length > 0 && <Scatter key={`${row.key}-w`} name={`${row.label} (${t('chart.warmup')})`} data={warm} fill="none" stroke={c.muted} strokeWidth={1.5} shape="diamond" isAnimationActive={false} />,
            ])}
            <Tooltip cursor={false} isAnimationActive={false} content={<PointTooltip />} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
