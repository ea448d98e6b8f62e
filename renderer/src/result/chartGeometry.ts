import { scaleLinear, scaleLog } from 'd3-scale';
import type { DensityCurve } from './density';

/** Room around the plot, in px: the row labels on the left, the x axis' ticks and their labels below. */
export const MARGIN = { top: 6, right: 18, bottom: 28, left: 122 } as const;
/** Length of a tick mark, in px; its label sits past it. */
export const TICK = 6;

/** A chart's height in px for its number of rows. */
export const chartHeight = (rowCount: number) => 56 + rowCount * 52;

/** Where a chart of `width` × `height` px draws its plot. */
export interface Plot {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function plotArea(width: number, height: number): Plot {
  return { left: MARGIN.left, right: Math.max(MARGIN.left + 1, width - MARGIN.right), top: MARGIN.top, bottom: Math.max(MARGIN.top + 1, height - MARGIN.bottom) };
}

/** A position on an axis: a value in, px out. */
export type Scale = (v: number) => number;

/**
 * The x axis as px: log or linear over `domain` onto the plot's width. Values outside the domain are drawn where
 * they fall (the caller pins what a log axis cannot draw); a value a log scale has no place for (≤ 0) goes to the
 * left edge rather than to NaN.
 */
export function xScale(log: boolean, domain: [number, number], plot: Plot): Scale {
  const range = [plot.left, plot.right];
  if (!log) return scaleLinear().domain(domain).range(range);
  const s = scaleLog().domain(domain).range(range);
  return (v) => (v > 0 ? s(v) : plot.left);
}

/** The rows as px, the first at the top: row i is centred in its share of the plot's height; `dy` in row units. */
export function rowScale(rows: number, plot: Plot): (i: number, dy?: number) => number {
  const band = (plot.bottom - plot.top) / Math.max(1, rows);
  return (i, dy = 0) => plot.top + (i + 0.5 + dy) * band;
}

/** px with one decimal: plenty for a screen, and a short attribute. */
export const px = (v: number) => Math.round(v * 10) / 10;

/**
 * A density as a violin about the row's line at `mid`: `half` px at the curve's peak (1), mirrored above and
 * below, one closed path. Every sample the same (one point): a line across the row instead of a shape of no width.
 */
export function violinPath(curve: DensityCurve, x: Scale, mid: number, half: number): string {
  const n = curve.x.length;
  if (n === 0) return '';
  if (n === 1) return `M${px(x(curve.x[0]))},${px(mid - half)}V${px(mid + half)}`;
  const top: string[] = [];
  const bottom: string[] = [];
  for (let i = 0; i < n; i++) {
    const cx = px(x(curve.x[i]));
    top.push(`${cx},${px(mid - curve.y[i] * half)}`);
    bottom.push(`${cx},${px(mid + curve.y[i] * half)}`);
  }
  return `M${top.join('L')}L${bottom.reverse().join('L')}Z`;
}

/**
 * A diamond centred on (cx, cy) of the area a dot of radius `r` has (d3's symbolDiamond, as recharts drew a
 * warmup sample): taller than wide, so it reads apart from the round dots.
 */
export function diamondPath(cx: number, cy: number, r: number): string {
  const area = Math.PI * r * r;
  const h = Math.sqrt(area / (2 * Math.tan(Math.PI / 6)));
  const w = h * Math.tan(Math.PI / 6);
  return `M${px(cx)},${px(cy - h)}L${px(cx + w)},${px(cy)}L${px(cx)},${px(cy + h)}L${px(cx - w)},${px(cy)}Z`;
}

/**
 * Radius of a dot (area 64 px², what recharts drew), of an outlier dot over a density (34 px²: smaller, so a tail
 * of them reads as points beside the shape), and the size a warmup diamond matches (34 px², as recharts drew it).
 */
export const DOT_R = Math.sqrt(64 / Math.PI);
export const OUTLIER_R = Math.sqrt(34 / Math.PI);
export const DIAMOND_R = Math.sqrt(34 / Math.PI);

/** A tick label's width in px at 11 px, estimated rather than measured (a measure per label forces a layout). */
export const labelWidth = (text: string) => text.length * 6.4;

/**
 * Which ticks keep their label when they would touch: the last always (the axis' end reads as its extent), then
 * leftwards each one clear of the last kept by `gap` px. Grid lines stay on every tick.
 */
export function labelledTicks(at: number[], widths: number[], gap = 6): boolean[] {
  const keep = at.map(() => false);
  let edge = Infinity; // left edge of the last label kept
  for (let i = at.length - 1; i >= 0; i--) {
    if (at[i] + widths[i] / 2 + gap <= edge) {
      keep[i] = true;
      edge = at[i] - widths[i] / 2;
    }
  }
  return keep;
}

/** A row label in lines of at most `max` characters, broken at spaces (a word longer than that stays whole). */
export function wrapLabel(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= max) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.length ? lines : [''];
}

/**
 * The dot the arrow keys go to from `from` (undefined: none picked yet): right and left along the chart in order
 * of ms, up and down to the nearest dot of the row above or below; Home and End to the ends; Escape to none.
 * null: not a key the chart answers.
 */
export function stepDot(points: { x: number; i: number }[], from: number | undefined, key: string): number | undefined | null {
  if (points.length === 0) return key === 'Escape' ? undefined : null;
  const byX = points.map((_, k) => k).sort((a, b) => points[a].x - points[b].x || a - b);
  const pos = from === undefined ? -1 : byX.indexOf(from);
  switch (key) {
    case 'ArrowRight':
      return byX[Math.min(byX.length - 1, pos + 1)];
    case 'ArrowLeft':
      return byX[Math.max(0, pos - 1)];
    case 'Home':
      return byX[0];
    case 'End':
      return byX[byX.length - 1];
    case 'ArrowUp':
    case 'ArrowDown': {
      if (from === undefined) return byX[0];
      const here = points[from];
      const target = here.i + (key === 'ArrowDown' ? 1 : -1);
      let best: number | undefined;
      for (let k = 0; k < points.length; k++) if (points[k].i === target && (best === undefined || Math.abs(points[k].x - here.x) < Math.abs(points[best].x - here.x))) best = k;
      return best ?? from;
    }
    case 'Escape':
      return undefined;
    default:
      return null;
  }
}
