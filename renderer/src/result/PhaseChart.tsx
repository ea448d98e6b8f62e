import { memo, useLayoutEffect, useMemo, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import { BoxMarks, SLIM_BOX } from './BoxMarks';
import { chartHeight, DIAMOND_R, diamondPath, DOT_R, labelledTicks, labelWidth, MARGIN, OUTLIER_R, plotArea, px, rowScale, stepDot, TICK, wrapLabel, xScale } from './chartGeometry';
import { densityCurve } from './density';
import { DOT_LIMIT, isDense, jitter, linearAxis, logAxis, outliers, type BoxRow, type RowSample } from './distribution';
import { PointTooltip, type Point } from './PointTooltip';
import { useChartColors } from './useChartColors';
import { useWidth } from './useWidth';
import { Violin } from './Violin';

interface Props {
  phase: string;
  rows: BoxRow[];
  log: boolean;
  /**
   * The width the grid's charts were last drawn at (they share a column width), read and updated by each chart: a
   * chart drawn after the first starts at it instead of reading its own width, which would lay the page out again.
   */
  widthHint?: { current: number };
}

const JITTER = 0.2;
/** Dots beyond the whiskers of a density spread less, so they stay on the row's line. */
const OUTLIER_JITTER = 0.08;
/** A row label's line, in characters: what fits left of the plot at 11 px. */
const LABEL_CHARS = 17;
const FONT = 11;

/** A dot before it has a place: its sample, its row (i) and its jitter in row units. */
interface Mark extends Omit<Point, 'x' | 'y'> {
  i: number;
  dy: number;
  dense: boolean;
}
type Dot = Point & Mark;

/**
 * One phase, a row per model (the container and, where it has the phase, the process floor). The box spans the
 * quartiles with the median as a thick line; whiskers reach the furthest sample within 1.5 × IQR (Tukey). Up to
 * DOT_LIMIT timed samples, every one is a dot (a strip plot over the box); past that, the row is a density (a
 * violin) around a slim box, and only the samples beyond the whiskers are dots. Warmup samples are hollow
 * diamonds and never in the box. Plain SVG on d3 scales, drawn in one render: no chart library state to settle.
 * Memoised: the scale toggle redraws without recomputing the boxes.
 */
export const PhaseChart = memo(function PhaseChart({ phase, rows, log, widthHint }: Props) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const c = useChartColors();
  const [ref, width] = useWidth<HTMLDivElement>(widthHint?.current);
  useLayoutEffect(() => {
    if (widthHint && width > 0) widthHint.current = width;
  }, [widthHint, width]);
  const [active, setActive] = useState<number>();
  const axes = useMemo(() => {
    const all = rows.flatMap((r) => [r.min, r.max, ...r.warmup]);
    // The log axis needs the smallest positive value, which the min of a row with zeros is not.
    for (const r of rows) if (r.min <= 0) all.push(r.values.reduce((m, v) => (v > 0 && v < m ? v : m), Infinity));
    return { log: logAxis(all), lin: linearAxis(all) };
  }, [rows]);
  const floor = axes.log.floor;

  // What each row draws, whatever the width: its density past DOT_LIMIT, and its dots (every sample, or those
  // beyond the whiskers) with their jitter.
  const rowMarks = useMemo(
    () =>
      rows.map((r, i) => {
        const dense = isDense(r);
        const seed = 17 + i * 101 + phase.length;
        const beyond = dense ? outliers(r, log) : undefined;
        const timed: RowSample[] = beyond ? beyond.shown : r.values.map((ms, j) => ({ ms, iteration: r.iterations[j] }));
        const warm: RowSample[] = r.warmup.slice(0, DOT_LIMIT).map((ms, j) => ({ ms, iteration: r.warmupIterations[j] }));
        const dy = jitter(timed.length + warm.length, seed, dense ? OUTLIER_JITTER : JITTER);
        const mark = (s: RowSample, j: number, warmup: boolean): Mark => ({ i, dy: dy[j], dense, ms: s.ms, iteration: s.iteration, row: r.label, warmup });
        return {
          row: r,
          dense,
          curve: dense ? densityCurve(r.sorted, log, floor) : undefined,
          beyond,
          dots: [...timed.map((s, j) => mark(s, j, false)), ...warm.map((s, j) => mark(s, timed.length + j, true))],
        };
      }),
    [rows, log, floor, phase],
  );
  const pinned = useMemo(() => {
    let n = 0;
    if (!log) return 0;
    for (const r of rows) {
      // The timed values are sorted: those below the floor come first.
      let k = 0;
      while (k < r.sorted.length && r.sorted[k] < floor) k++;
      n += k;
      for (const v of r.warmup) if (v < floor) n++;
    }
    return n;
  }, [rows, log, floor]);

  const height = chartHeight(rows.length);
  const axis = log ? axes.log : axes.lin;
  const geometry = useMemo(() => {
    const plot = plotArea(width, height);
    const x = xScale(log, axis.domain, plot);
    // Pinned: values a log axis cannot draw (0 ms) sit at its low end.
    const at = log ? (v: number) => x(Math.max(v, floor)) : x;
    const y = rowScale(rows.length, plot);
    const points: Dot[] = rowMarks.flatMap((m) => m.dots.map((d) => ({ ...d, x: at(d.ms), y: y(d.i, d.dy) })));
    return { plot, at, y, points };
  }, [width, height, log, axis, floor, rows.length, rowMarks]);

  // The drawing itself does not change on hover: memoised apart from the tooltip.
  const drawing = useMemo(() => {
    if (width === 0) return null;
    const { plot, at, y, points } = geometry;
    const colour = (i: number) => c.series[i % c.series.length];
    const ticks = axis.ticks.map((v) => ({ v, x: px(at(v)), label: `${f.tick(v)} ms` }));
    const shown = labelledTicks(
      ticks.map((k) => k.x),
      ticks.map((k) => labelWidth(k.label)),
    );
    return (
      <svg className="chart-svg" width={width} height={height} aria-hidden="true" focusable="false">
        <g className="chart-grid-lines" stroke={c.border}>
          {ticks.map((k) => (
            <line key={k.v} x1={k.x} x2={k.x} y1={plot.top} y2={plot.bottom} />
          ))}
        </g>
        {rowMarks.map(({ row, curve }, i) => curve && <Violin key={`${row.key}-d`} curve={curve} x={at} y={(dy) => y(i, dy)} color={colour(i)} />)}
        {rowMarks.map(({ row, dense }, i) =>
          dense ? (
            <BoxMarks key={row.key} row={row} x={at} y={(dy) => y(i, dy)} color={c.fg} half={SLIM_BOX} fill={c.card} fillOpacity={0.9} />
          ) : (
            <BoxMarks key={row.key} row={row} x={at} y={(dy) => y(i, dy)} color={colour(i)} />
          ),
        )}
        <g className="chart-dots">
          {points.map((p, k) =>
            p.warmup ? (
              <path key={k} className="chart-dot chart-dot-warmup" data-k={k} d={diamondPath(p.x, p.y, DIAMOND_R)} fill="none" stroke={c.muted} strokeWidth={1.5} />
            ) : (
              <circle key={k} className="chart-dot" data-k={k} cx={px(p.x)} cy={px(p.y)} r={p.dense ? OUTLIER_R : DOT_R} fill={colour(p.i)} fillOpacity={0.85} stroke={c.card} strokeWidth={p.dense ? 0.5 : 1} />
            ),
          )}
        </g>
        <g className="chart-axis chart-axis-x" fontSize={FONT}>
          <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke={c.muted} />
          {ticks.map((k, i) => (
            <g key={k.v}>
              <line x1={k.x} x2={k.x} y1={plot.bottom} y2={plot.bottom + TICK} stroke={c.muted} />
              {shown[i] && (
                <text className="chart-tick" x={k.x} y={plot.bottom + TICK + 2} dy="0.71em" textAnchor="middle" fill={c.muted}>
                  {k.label}
                </text>
              )}
            </g>
          ))}
        </g>
        <g className="chart-axis chart-axis-y" fontSize={FONT}>
          <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke={c.muted} />
          {rows.map((r, i) => {
            const lines = wrapLabel(r.label, LABEL_CHARS);
            const mid = y(i);
            return (
              <g key={r.key}>
                <line x1={plot.left - TICK} x2={plot.left} y1={mid} y2={mid} stroke={c.muted} />
                <text className="chart-row-label" x={plot.left - TICK - 3} y={mid} textAnchor="end" fill={c.fg}>
                  {lines.map((l, j) => (
                    <tspan key={j} x={plot.left - TICK - 3} dy={j === 0 ? `${0.35 - (lines.length - 1) * 0.6}em` : '1.2em'}>
                      {l}
                    </tspan>
                  ))}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    );
  }, [width, height, geometry, axis, rowMarks, rows, c, f]);

  const summary = rowMarks
    .map(({ row: r, beyond }) => {
      const s = t('chart.rowSummary', { row: r.label, n: f.int(r.values.length), median: f.ms(r.median), q1: f.ms(r.q1), q3: f.ms(r.q3), min: f.ms(r.min), max: f.ms(r.max) });
      return beyond ? `${s} ${t('chart.rowBeyond', { n: f.int(beyond.count) })}` : s;
    })
    .join(' ');
  const label = `${t('chart.title', { phase: t(`phase.${phase}`, { defaultValue: phase }) })}. ${summary}`;
  const notes = rows.filter((r) => r.warmup.length > DOT_LIMIT).map((r) => t('chart.warmupCapped', { row: r.label, n: f.int(r.warmup.length), shown: f.int(DOT_LIMIT) }));

  const { points } = geometry;
  const point = active === undefined ? undefined : points[active];
  // The pointer over a dot shows its sample; so do the arrow keys once the chart has the focus.
  const onPointer = (e: PointerEvent) => {
    const k = e.target instanceof Element ? e.target.getAttribute('data-k') : null;
    const next = k === null ? undefined : Number(k);
    if (next !== active) setActive(next);
  };
  const onKey = (e: KeyboardEvent) => {
    const next = stepDot(points, active, e.key);
    if (next === null) return;
    e.preventDefault();
    setActive(next);
  };

  return (
    <figure className="chart card" data-testid={`chart-${phase}`}>
      <figcaption className="chart-title">
        <span className="mono">{phase === 'total' ? t('phase.total') : phase}</span>
        {pinned > 0 && <span className="muted small"> {t('chart.pinned', { count: pinned })}</span>}
        {notes.map((n) => (
          <span key={n} className="muted small"> {n}</span>
        ))}
      </figcaption>
      <div className="chart-plot" ref={ref} style={{ height }}>
        <div role="img" aria-label={label} tabIndex={0} className="chart-surface" onPointerMove={onPointer} onPointerLeave={() => setActive(undefined)} onKeyDown={onKey} onBlur={() => setActive(undefined)}>
          {drawing}
          {point && (
            <svg className="chart-overlay" width={width} height={height} aria-hidden="true" focusable="false">
              <circle cx={px(point.x)} cy={px(point.y)} r={(point.warmup ? DIAMOND_R * 1.6 : point.dense ? OUTLIER_R : DOT_R) + 3} fill="none" stroke={c.fg} strokeWidth={1.5} />
            </svg>
          )}
        </div>
        {point && <PointTooltip point={point} style={tooltipPlace(point, width)} />}
      </div>
    </figure>
  );
});

/** Beside the dot, on the side with room: right of it in the plot's left half, left of it in the right half. */
function tooltipPlace(p: Point, width: number) {
  const left = p.x < (MARGIN.left + width) / 2;
  return { top: p.y + 10, ...(left ? { left: p.x + 12 } : { right: width - p.x + 12 }) };
}
