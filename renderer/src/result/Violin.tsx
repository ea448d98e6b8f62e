import { useXAxisScale, useYAxisScale } from 'recharts';
import type { DensityCurve } from './density';

/** Half-height of a density's widest point, in row units: rows sit 1 apart, so neighbours never touch. */
const VIOLIN = 0.4;

/**
 * A row's density as a violin, mirrored about the row's line and drawn on the chart's own scales (log included),
 * as one SVG path however many samples it stands for.
 */
export function Violin({ curve, y, color }: { curve: DensityCurve; y: number; color: string }) {
  const xs = useXAxisScale();
  const ys = useYAxisScale();
  if (!xs || !ys) return null;
  const pts: [number, number][] = [];
  curve.x.forEach((x, i) => {
    const px = xs(x);
    if (px !== undefined) pts.push([px, curve.y[i]]);
  });
  const at = (dy: number) => ys(y + dy);
  const top = at(-VIOLIN);
  const mid = at(0);
  if (pts.length === 0 || top === undefined || mid === undefined) return null;
  const h = mid - top; // px per unit of density (the peak is 1); positive whichever way the axis runs
  const edge = (sign: number) => pts.map(([px, d]) => `${px.toFixed(1)},${(mid + sign * d * h).toFixed(1)}`);
  // Every sample the same: a line across the row rather than a shape of no width.
  const d = pts.length === 1 ? `M${pts[0][0].toFixed(1)},${(mid - h).toFixed(1)}V${(mid + h).toFixed(1)}` : `M${[...edge(-1), ...edge(1).reverse()].join('L')}Z`;
  return <path data-density="" d={d} fill={color} fillOpacity={0.3} stroke={color} strokeOpacity={0.9} strokeWidth={1} strokeLinejoin="round" />;
}
