import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Comparison } from '../../../shared/compare';
import { useFormat } from '../format';
import { logAxis } from '../result/distribution';
import { useChartColors } from '../result/useChartColors';
import { densityRows, memoryRows, phaseRows, startupRows } from './data';

const rowHeight = (n: number) => Math.max(160, 40 + n * 44);
const MODEL_AXIS = 210;
/** Long runtime names (io.containerd.runtime.v1.linux) would be cut at the axis: keep their end, which differs. */
const shortModel = (m: string) => (m.length > 30 ? `…${m.slice(-29)}` : m);
/** Phases coloured by role, so stacks read the same across models: make, start, ready, tear down. */
const PHASE_ROLE: Record<string, number> = { spawn: 0, create: 0, start: 1, started: 1, firstOutput: 2, ready: 2, exit: 3, reap: 3, delete: 3, remove: 3 };

function ChartCard({ title, summary, children, testId }: { title: string; summary: string; children: React.ReactNode; testId: string }) {
  return (
    <figure className="card chart compare-chart" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <div role="img" aria-label={summary}>{children}</div>
    </figure>
  );
}

/** Median time to ready per model on a log scale, with the 95% bootstrap interval as an error bar. */
export function StartupChart({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const col = useChartColors();
  const rows = startupRows(c);
  const axis = logAxis(rows.flatMap((r) => [r.lo, r.hi, r.median]));
  const summary = rows.map((r) => t('chart.startupRow', { model: r.model, median: f.ms(r.median) })).join(' ');
  return (
    <ChartCard title={t('chart.startup')} summary={summary} testId="chart-startup">
      <ResponsiveContainer width="100%" height={rowHeight(rows.length)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid stroke={col.border} horizontal={false} />
          <XAxis type="number" scale="log" domain={axis.domain} ticks={axis.ticks} allowDataOverflow tickFormatter={(v: number) => f.tick(v)} stroke={col.muted} label={{ value: 'ms (log)', position: 'insideBottomRight', offset: -4, fill: col.muted }} />
          <YAxis type="category" dataKey="model" width={MODEL_AXIS} stroke={col.muted} tick={{ fill: col.fg, fontSize: 11 }} tickFormatter={shortModel} />
          <Tooltip formatter={(v) => f.ms(Number(v))} contentStyle={{ background: col.card, borderColor: col.border, color: col.fg }} />
          <Bar dataKey="median" name={t('chart.medianReady')} fill={col.series[0]} isAnimationActive={false}>
            <ErrorBar dataKey="err" width={6} stroke={col.fg} direction="x" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Each model's phases, medians stacked: where the time goes. */
export function PhaseBreakdownChart({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const col = useChartColors();
  const { rows, phases } = phaseRows(c);
  return (
    <ChartCard title={t('chart.phases')} summary={t('chart.phasesSummary', { phases: phases.join(', ') })} testId="chart-phases">
      <ResponsiveContainer width="100%" height={rowHeight(rows.length)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid stroke={col.border} horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => f.tick(v)} stroke={col.muted} label={{ value: 'ms', position: 'insideBottomRight', offset: -4, fill: col.muted }} />
          <YAxis type="category" dataKey="model" width={MODEL_AXIS} stroke={col.muted} tick={{ fill: col.fg, fontSize: 11 }} tickFormatter={shortModel} />
          <Tooltip formatter={(v) => f.ms(Number(v))} contentStyle={{ background: col.card, borderColor: col.border, color: col.fg }} />
          <Legend itemSorter={null} />
          {phases.map((p, i) => (
            <Bar key={p} dataKey={p} stackId="phases" fill={col.series[(PHASE_ROLE[p] ?? 4 + i) % col.series.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Memory per idle instance, one bar per measuring method, on a log scale. */
export function MemoryChart({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const col = useChartColors();
  const rows = memoryRows(c);
  if (!rows.length) return null;
  const axis = logAxis(rows.flatMap((r) => [r.cgroup, r.host, r.helpers, r.process].filter((v): v is number => v !== undefined)));
  const series = [
    ['host', t('mem.host')],
    ['cgroup', t('mem.cgroup')],
    ['helpers', t('mem.helpers')],
    ['process', t('mem.process')],
  ] as const;
  return (
    <ChartCard title={t('chart.memory')} summary={rows.map((r) => t('chart.memoryRow', { model: r.model, host: r.host !== undefined ? f.num(r.host) : '–' })).join(' ')} testId="chart-memory">
      <ResponsiveContainer width="100%" height={rowHeight(rows.length) + 30}>
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid stroke={col.border} horizontal={false} />
          <XAxis type="number" scale="log" domain={axis.domain} ticks={axis.ticks} allowDataOverflow tickFormatter={(v: number) => f.tick(v)} stroke={col.muted} label={{ value: 'MiB (log)', position: 'insideBottomRight', offset: -4, fill: col.muted }} />
          <YAxis type="category" dataKey="model" width={MODEL_AXIS} stroke={col.muted} tick={{ fill: col.fg, fontSize: 11 }} tickFormatter={shortModel} />
          <Tooltip formatter={(v) => `${f.num(Number(v))} MiB`} contentStyle={{ background: col.card, borderColor: col.border, color: col.fg }} />
          <Legend itemSorter={null} />
          {series.map(([key, label], i) => (
            <Bar key={key} dataKey={key} name={label} fill={col.series[i % col.series.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}

/** Start latency against how many instances already run: contention as density grows. */
export function DensityChart({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const col = useChartColors();
  const { rows, models } = densityRows(c);
  if (!models.length) return null;
  return (
    <ChartCard title={t('chart.density')} summary={t('chart.densitySummary', { models: models.join(', '), max: Math.max(...rows.map((r) => r.running)) + 1 })} testId="chart-density">
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows} margin={{ left: 8, right: 24, top: 8, bottom: 16 }}>
          <CartesianGrid stroke={col.border} />
          <XAxis type="number" dataKey="running" stroke={col.muted} domain={[0, 'dataMax']} allowDecimals={false} label={{ value: t('chart.running'), position: 'insideBottom', offset: -8, fill: col.muted }} />
          <YAxis stroke={col.muted} tickFormatter={(v: number) => f.tick(v)} label={{ value: 'ms', angle: -90, position: 'insideLeft', fill: col.muted }} />
          <Tooltip formatter={(v) => f.ms(Number(v))} labelFormatter={(v) => t('chart.runningLabel', { n: v })} contentStyle={{ background: col.card, borderColor: col.border, color: col.fg }} />
          <Legend verticalAlign="top" itemSorter={null} />
          {models.map((m, i) => (
            <Line key={m} dataKey={m} stroke={col.series[i % col.series.length]} dot connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
