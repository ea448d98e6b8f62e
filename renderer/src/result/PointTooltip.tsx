import { useTranslation } from 'react-i18next';
import { useFormat } from '../format';
import type { Point } from './PhaseChart';

/** One sample under the pointer: which model, how long, which iteration. */
export function PointTooltip({ active, payload }: { active?: boolean; payload?: { payload: Point }[] }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const p = payload?.[0]?.payload;
  if (!active || !p) return null;
  return (
    <div className="tooltip">
      <div>{p.row}</div>
      <div className="mono">{f.ms(p.ms)}</div>
      <div className="muted">{t(p.warmup ? 'chart.tooltipWarmup' : 'chart.tooltip', { i: p.iteration })}</div>
    </div>
  );
}
