import { violinPath, type Scale } from './chartGeometry';
import type { DensityCurve } from './density';

/** Half-height of a density's widest point, in row units: rows sit 1 apart, so neighbours never touch. */
const VIOLIN = 0.4;

/** A row's density as a violin mirrored about the row's line: one SVG path however many samples it stands for. */
export function Violin({ curve, x, y, color }: { curve: DensityCurve; x: Scale; y: (dy: number) => number; color: string }) {
  const mid = y(0);
  const d = violinPath(curve, x, mid, Math.abs(mid - y(-VIOLIN)));
  if (!d) return null;
  return <path data-density="" d={d} fill={color} fillOpacity={0.3} stroke={color} strokeOpacity={0.9} strokeWidth={1} strokeLinejoin="round" />;
}
