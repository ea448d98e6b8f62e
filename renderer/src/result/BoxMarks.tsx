import { px, type Scale } from './chartGeometry';
import type { BoxRow } from './distribution';

/** Half-height of a box, in row units (rows sit 1 apart). */
const BOX = 0.26;
/** Over a density the box is slimmer, so the shape around it shows. */
export const SLIM_BOX = 0.1;

/**
 * A box plot on the chart's scales (log included): the quartile box, the median as a thick line, Tukey whiskers
 * with caps. `x` pins values a log axis cannot draw (0 ms) on the axis; `y(dy)` places a height in row units
 * about the row's line. `fill` is the box's inside: the row's colour, faint, over dots; the card's over a density.
 */
export function BoxMarks({ row, x, y, color, half = BOX, fill = color, fillOpacity = 0.14 }: { row: BoxRow; x: Scale; y: (dy: number) => number; color: string; half?: number; fill?: string; fillOpacity?: number }) {
  const [lo, q1, med, q3, hi] = [row.whiskerLo, row.q1, row.median, row.q3, row.whiskerHi].map((v) => px(x(v)));
  const [top, mid, bottom, capTop, capBottom] = [-half, 0, half, -half / 2, half / 2].map((dy) => px(y(dy)));
  if (![lo, q1, med, q3, hi, top, bottom].every(Number.isFinite)) return null;
  const line = (x1: number, y1: number, x2: number, y2: number, width = 1.5) => <line x1={x1} y1={y1} x2={x2} y2={y2} stroke={color} strokeWidth={width} />;
  return (
    <g data-box="">
      <rect x={Math.min(q1, q3)} y={Math.min(top, bottom)} width={px(Math.abs(q3 - q1))} height={px(Math.abs(bottom - top))} fill={fill} fillOpacity={fillOpacity} stroke={color} strokeOpacity={0.8} />
      {line(lo, mid, q1, mid)}
      {line(q3, mid, hi, mid)}
      {line(lo, capTop, lo, capBottom)}
      {line(hi, capTop, hi, capBottom)}
      {line(med, top, med, bottom, 3)}
    </g>
  );
}
