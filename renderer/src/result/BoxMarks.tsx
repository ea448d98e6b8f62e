import { ReferenceArea, ReferenceLine } from 'recharts';
import type { BoxRow } from './distribution';

/** Half-height of a box, in row units (rows sit at y = 0, 1, ...). */
const BOX = 0.26;
/** Over a density the box is slimmer, so the shape around it shows. */
export const SLIM_BOX = 0.1;

/**
 * A box plot drawn with recharts' reference marks, so it follows the chart's scales (log included): the
 * quartile box, the median as a thick line, Tukey whiskers with caps. `pin` keeps values a log axis cannot
 * draw (0 ms) on the axis. `fill` is the box's inside: the row's colour, faint, over dots; the card's over a density.
 */
export function BoxMarks({ row, y, color, pin, half = BOX, fill = color, fillOpacity = 0.14 }: { row: BoxRow; y: number; color: string; pin: (v: number) => number; half?: number; fill?: string; fillOpacity?: number }) {
  const line = (x1: number, y1: number, x2: number, y2: number, width = 1.5) => (
    <ReferenceLine segment={[{ x: pin(x1), y: y1 }, { x: pin(x2), y: y2 }]} stroke={color} strokeWidth={width} ifOverflow="hidden" />
  );
  return (
    <g>
      <ReferenceArea x1={pin(row.q1)} x2={pin(row.q3)} y1={y - half} y2={y + half} fill={fill} fillOpacity={fillOpacity} stroke={color} strokeOpacity={0.8} ifOverflow="hidden" />
      {line(row.whiskerLo, y, row.q1, y)}
      {line(row.q3, y, row.whiskerHi, y)}
      {line(row.whiskerLo, y - half / 2, row.whiskerLo, y + half / 2)}
      {line(row.whiskerHi, y - half / 2, row.whiskerHi, y + half / 2)}
      {line(row.median, y - half, row.median, y + half, 3)}
    </g>
  );
}
