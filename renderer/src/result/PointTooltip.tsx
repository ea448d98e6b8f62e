import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';

/** One sample as a chart draws it: where (px) and what it stands for. */
export interface Point {
  x: number;
  y: number;
  ms: number;
  iteration: number;
  row: string;
  warmup: boolean;
}

/** One sample under the pointer (or picked with the arrow keys): which model, how long, which iteration. */
export function PointTooltip({ point, style }: { point: Point; style: CSSProperties }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  return (
    <div className="tooltip chart-tooltip" style={style} data-testid="chart-tooltip">
      <div>{point.row}</div>
      <div className="mono">{f.ms(point.ms)}</div>
      <div className="muted">{t(point.warmup ? 'chart.tooltipWarmup' : 'chart.tooltip', { i: point.iteration })}</div>
    </div>
  );
}
