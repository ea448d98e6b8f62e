import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WaterfallBar } from '../../../shared/api-hosts';
import { useFormat } from '../format';
import { useChartColors } from '../result/useChartColors';

/**
 * The boot timeline as a waterfall: systemd's phases end to end from power-on (firmware, loader, kernel,
 * initrd, userspace), then the units of the critical chain placed where they started. Each bar rides on an
 * invisible offset bar, the usual way to draw a waterfall with stacked bars.
 */
export function BootWaterfall({ bars }: { bars: WaterfallBar[] }) {
  const { t } = useTranslation('hosts');
  const f = useFormat();
  const c = useChartColors();
  if (!bars.length) return <p className="muted">{t('boot.none')}</p>;
  const data = bars.map((b) => ({ label: b.label, offset: b.startMs / 1000, took: Math.max(b.durationMs, 1) / 1000, group: b.group, start: b.startMs, ms: b.durationMs }));
  const height = 40 + data.length * 22;
  return (
    <figure className="hosts-waterfall" aria-label={t('boot.chartLabel')}>
      <div style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 4, bottom: 4 }} barCategoryGap={3}>
            <CartesianGrid horizontal={false} stroke={c.border} />
            <XAxis type="number" stroke={c.muted} tick={{ fill: c.muted, fontSize: 11 }} tickFormatter={(v: number) => `${f.tick(v)} s`} />
            <YAxis type="category" dataKey="label" width={190} stroke={c.muted} tick={{ fill: c.fg, fontSize: 11 }} interval={0} />
            <Tooltip
              cursor={{ fill: c.border, fillOpacity: 0.3 }}
              contentStyle={{ background: c.card, borderColor: c.border, color: c.fg }}
              formatter={(_v: unknown, name: unknown, item: { payload?: { ms: number; start: number } }) =>
                name === 'took' && item.payload ? [`${f.ms(item.payload.ms)} (${t('boot.from', { at: f.ms(item.payload.start) })})`, t('boot.took')] : [null, null]
              }
            />
            <Bar dataKey="offset" stackId="w" fill="transparent" isAnimationActive={false} />
            <Bar dataKey="took" stackId="w" isAnimationActive={false}>
              {data.map((d, i) => (
                <Cell key={i} fill={d.group === 'phase' ? c.series[0] : c.series[1]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted small">
        <span className="hosts-key" style={{ background: c.series[0] }} /> {t('boot.legendPhase')} <span className="hosts-key" style={{ background: c.series[1] }} /> {t('boot.legendUnit')}
      </figcaption>
    </figure>
  );
}
