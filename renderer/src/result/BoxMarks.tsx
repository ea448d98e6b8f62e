import { useXAxisScale, useYAxisScale } from 'recharts';
import type { BoxRow } from './distribution';

/** Half-height of a box, in row units (rows sit at y = 0, 1, ...). */
const BOX = 0.26;
/** Over a density the box is slimmer, so the shape around it shows. */
export const SLIM_BOX = 0.1;

/**
 * A box plot on the chart's own scales (log included), drawn as plain SVG like the violin: the quartile box, the
 * median as a thick line, Tukey whiskers with caps. (As recharts reference marks, six components a row each took a
 * part in the chart's state: most of the time a page of charts took to draw.) `pin` keeps values a log axis
 * cannot draw (0 ms) on the axis. `fill` is the box's inside: the row's colour, faint, over dots; the card's over
 * a density.
 */
export function BoxMarks({ row, y, color, pin, half = BOX, fill = color, fillOpacity = 0.14 }: { row: BoxRow; y: number; color: string; pin: (v: number) => number; half?: number; fill?: string; fillOpacity?: number }) {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  if (!xs || !ys) return null;
  const px = (v: number) => xs(pin(v));
  const [lo, q1, med, q3, hi] = [row.whiskerLo, row.q1, row.median, row.q3, row.whiskerHi].map(px);
  const [top, mid, bottom, capTop, capBottom] = [y - half, y, y + half, y - half / 2, y + half / 2].map((v) => ys(v));
  if ([lo, q1, med, q3, hi, top, mid, bottom, capTop, capBottom].some((v) => v === undefined || !Number.isFinite(v))) return null;
  const n = (v: number | undefined) => v!.toFixed(1);
  const line = (x1: number | undefined, y1: number | undefined, x2: number | undefined, y2: number | undefined, width = 1.5) => (
    <line x1={n(x1)} y1={n(y1)} x2={n(x2)} y2={n(y2)} stroke={color} strokeWidth={width} />
  );
  return (
    <g data-box="">
      <rect x={n(Math.min(q1!, q3!))} y={n(Math.min(top!, bottom!))} width={n(Math.abs(q3! - q1!))} height={n(Math.abs(bottom! - top!))} fill={fill} fillOpacity={fillOpacity} stroke={color} strokeOpacity={0.8} />
      {line(lo, mid, q1, mid)}
      {line(q3, mid, hi, mid)}
      {line(lo, capTop, lo, capBottom)}
      {line(hi, capTop, hi, capBottom)}
      {line(med, top, med, bottom, 3)}
    </g>
  );
}
