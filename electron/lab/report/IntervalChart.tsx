import type { ReportFormat } from './format';

export interface IntervalRow {
  label: string;
  median: number;
  lo: number;
  hi: number;
}

interface Props {
  id: string;
  title: string;
  desc: string;
  rows: IntervalRow[];
  fmt: ReportFormat;
  logLabel: string;
}

const W = 760;
const LABEL_W = 210;
const VALUE_W = 110;
const ROW_H = 30;
const TOP = 8;
const AXIS_H = 34;

/**
 * Horizontal bars (medians) with whiskers (95% intervals), drawn as plain SVG so the report needs no script
 * and no network. A logarithmic axis when the values span more than 30× (a process floor beside a VM boot),
 * which the chart says in its axis label.
 */
export function IntervalChart({ id, title, desc, rows, fmt, logLabel }: Props) {
  const values = rows.flatMap((r) => [r.median, r.lo, r.hi]).filter((v) => Number.isFinite(v) && v > 0);
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const log = max / min > 30;
  const plotW = W - LABEL_W - VALUE_W;
  const lo = log ? 10 ** Math.floor(Math.log10(min)) : 0;
  const hi = log ? 10 ** Math.ceil(Math.log10(max)) : niceMax(max);
  const x = (v: number) => LABEL_W + (log ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : v / hi) * plotW;
  const ticks = log ? decades(lo, hi) : [0, hi / 4, hi / 2, (3 * hi) / 4, hi];
  const h = TOP + rows.length * ROW_H + AXIS_H;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{`${desc} ${rows.map((r) => `${r.label}: ${fmt.ms(r.median)} (${fmt.ms(r.lo)}–${fmt.ms(r.hi)})`).join('; ')}`}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={TOP} y2={TOP + rows.length * ROW_H} stroke="#d0d7de" />
            <text x={x(t)} y={TOP + rows.length * ROW_H + 16} textAnchor="middle" fontSize="11" fill="#444c56">
              {fmt.tick(t)}
            </text>
          </g>
        ))}
        <text x={LABEL_W + plotW / 2} y={h - 3} textAnchor="middle" fontSize="11" fill="#444c56">
          {log ? `ms (${logLabel})` : 'ms'}
        </text>
        {rows.map((r, i) => {
          const y = TOP + i * ROW_H;
          const mid = y + ROW_H / 2;
          return (
            <g key={r.label}>
              <text x={LABEL_W - 8} y={mid + 4} textAnchor="end" fontSize="12" fill="#1f2328">
                {r.label}
              </text>
              <rect x={x(lo)} y={y + 7} width={Math.max(1, x(r.median) - x(lo))} height={ROW_H - 14} fill="#4a78b0" />
              <line x1={x(r.lo)} x2={x(r.hi)} y1={mid} y2={mid} stroke="#1f2328" strokeWidth="1.5" />
              <line x1={x(r.lo)} x2={x(r.lo)} y1={mid - 6} y2={mid + 6} stroke="#1f2328" strokeWidth="1.5" />
              <line x1={x(r.hi)} x2={x(r.hi)} y1={mid - 6} y2={mid + 6} stroke="#1f2328" strokeWidth="1.5" />
              <text x={W - VALUE_W + 8} y={mid + 4} fontSize="12" fill="#1f2328">
                {fmt.ms(r.median)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) out.push(v);
  return out;
}
