import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { machinesView, type LineupRow, type Machine, type MachineCell } from '../../../shared/machines';
import { useFormat } from '../format';
import { logAxis } from '../result/distribution';
import { useChartColors } from '../result/useChartColors';
import { href } from '../router';
import { useMachineComparisons } from './useMachineComparisons';
import { useMachineWords } from './words';
import './machines.css';

const MiB = 2 ** 20;

/**
 * The Compare page's Machines view (issue 15 §3): the same models on several machines side by side, each
 * machine's startup ratio against its own floor, memory per instance and density, and where the plans differ.
 */
export function MachinesView() {
  const { t } = useTranslation('machines');
  const { comparisons, currentMachineId, error, leftOut } = useMachineComparisons();
  const [picked, setPicked] = useState<Record<string, string>>({});
  const view = useMemo(() => (comparisons ? machinesView(comparisons, { currentMachineId, picked }) : undefined), [comparisons, currentMachineId, picked]);
  const w = useMachineWords();

  if (error) return <p className="banner banner-danger" role="alert">{error}</p>;
  if (!view) return <p className="muted">{t('loading')}</p>;
  const names = view.machines.map(w.name);
  return (
    <section className="machines" data-testid="machines-view" aria-label={t('title')}>
      <p className="muted">{t('intro')}</p>
      {view.machines.length === 0 && <HowToAdd lead={t('none')} />}
      {view.machines.length === 1 && <HowToAdd lead={t('onlyOne')} />}
      {view.differences.length > 0 && (
        <div className="banner banner-warn" role="note" data-testid="plan-differences">
          <div>
          <strong>{t('differ')}</strong>
          <ul>
            {view.differences.map((d, i) => (
              <li key={i} data-code={d.code}>
                {w.difference(d, names)}
              </li>
            ))}
          </ul>
          </div>
        </div>
      )}
      {view.machines.length > 0 && (
        <>
          <MachinesTable machines={view.machines} picked={view.picked.map((c) => c.id)} rows={view.rows} onPick={(key, id) => setPicked((p) => ({ ...p, [key]: id }))} />
          <div className="compare-charts">
            <RatioChart names={names} rows={view.rows} />
            <MemoryChart names={names} rows={view.rows} />
          </div>
        </>
      )}
      {leftOut > 0 && <p className="muted small">{t('leftOut', { count: leftOut })}</p>}
    </section>
  );
}

function HowToAdd({ lead }: { lead: string }) {
  const { t } = useTranslation('machines');
  return (
    <div className="card machines-empty" data-testid="machines-how">
      <p>{lead}</p>
      <ul>
        <li>{t('how.remote')}</li>
        <li>{t('how.cli')} <code>isolab compare --host NAME</code></li>
        <li>
          {t('how.import')} <a href={href('runs')}>{t('how.runsPage')}</a>
        </li>
      </ul>
    </div>
  );
}

function MachinesTable({ machines, picked, rows, onPick }: { machines: Machine[]; picked: string[]; rows: LineupRow[]; onPick(key: string, id: string): void }) {
  const { t } = useTranslation('machines');
  const f = useFormat();
  const w = useMachineWords();
  return (
    <div className="table-wrap">
      <table className="table compare-table machines-table" data-testid="machines-table">
        <caption className="visually-hidden">{t('tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('col.model')}</th>
            {machines.map((m, i) => (
              <th scope="col" key={m.key} data-machine={m.key}>
                <div className="strong">{w.name(m)}</div>
                <div className="small">{w.size(m)}</div>
                <div className="muted small">{w.origin(m)}</div>
                {m.guessed && (
                  <span className="badge badge-warn" title={t('guessedTitle')}>
                    {t('guessed')}
                  </span>
                )}
                <label className="machines-pick small">
                  <span className="visually-hidden">{t('pick', { machine: w.name(m) })}</span>
                  <select value={picked[i]} onChange={(e) => onPick(m.key, e.currentTarget.value)} disabled={m.comparisons.length < 2} data-testid={`machine-pick-${i}`}>
                    {m.comparisons.map((c) => (
                      <option key={c.id} value={c.id}>
                        {f.date(c.startedAt)}
                        {typeof c.plan.name === 'string' ? ` · ${c.plan.name}` : ''}
                      </option>
                    ))}
                  </select>
                </label>
                <a className="small" href={href('compare', picked[i])}>{t('open')}</a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.model} data-model={r.model}>
              <th scope="row" className="mono">{r.model}</th>
              {r.cells.map((c, i) => (
                <Cell key={machines[i].key} c={c} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ c }: { c: MachineCell | undefined }) {
  const { t } = useTranslation('machines');
  const tc = useTranslation('compare').t;
  const f = useFormat();
  if (!c) return <td className="muted small">{t('notListed')}</td>;
  if (c.status !== 'ok') return <td className="muted small">{tc(`status.${c.status}`)}</td>;
  const perInstance = (s: number) => `${s >= 0 ? '+' : '−'}${Math.abs(s) >= 100 ? f.int(Math.abs(s)) : f.num(Math.abs(s))}`;
  return (
    <td className="num mono" data-ratio={c.ratio?.ratio}>
      <div className="strong">{c.ratio ? f.ratio(c.ratio.ratio) : '–'}</div>
      {c.ratio && c.ratio.ratio !== 1 && <div className="muted small">{f.ratio(c.ratio.ci95[0])}–{f.ratio(c.ratio.ci95[1])}</div>}
      <div className="small">{t('median', { ms: f.ms(c.medianReadyMs) })}</div>
      {c.memory && (
        <div className="small" data-testid="memory">
          {t('memory', { mib: f.num(c.memory.bytes / MiB) })} <span className="muted">({t(`method.${c.memory.method}`)})</span>
        </div>
      )}
      {c.latencySlope && <div className="small">{t('latencySlope', { ms: perInstance(c.latencySlope.slope) })}</div>}
      {c.memorySlope && <div className="muted small">{t('memorySlope', { mib: perInstance(c.memorySlope.slope / MiB) })}</div>}
    </td>
  );
}

function seriesRows(rows: LineupRow[], value: (c: MachineCell) => { v?: number; lo?: number; hi?: number }, skip?: (model: string) => boolean) {
  return rows
    .filter((r) => !skip?.(r.model))
    .map((r) => {
      const row: Record<string, unknown> = { model: r.model };
      r.cells.forEach((c, i) => {
        const x = c && c.status === 'ok' ? value(c) : {};
        if (x.v === undefined || !(x.v > 0)) return;
        row[`m${i}`] = x.v;
        row[`e${i}`] = [x.v - (x.lo ?? x.v), (x.hi ?? x.v) - x.v];
      });
      return row;
    })
    .filter((row) => Object.keys(row).length > 1);
}

function GroupedChart({ title, testId, unit, names, data, format, errors }: { title: string; testId: string; unit: string; names: string[]; data: Record<string, unknown>[]; format(v: number): string; errors: boolean }) {
  const col = useChartColors();
  const f = useFormat();
  const values = data.flatMap((r) => names.map((_, i) => r[`m${i}`] as number)).filter((v) => v > 0);
  // A bar starts at the axis' lowest tick: room below the smallest value, so it is never a bar of no length.
  const axis = logAxis([...values, Math.min(...values) / 2]);
  const summary = data.map((r) => `${String(r.model)}: ${names.map((n, i) => (r[`m${i}`] === undefined ? '' : `${n} ${format(r[`m${i}`] as number)}`)).filter(Boolean).join(', ')}.`).join(' ');
  return (
    <figure className="card chart compare-chart" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <div role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={Math.max(180, 60 + data.length * names.length * 22)}>
          <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
            <CartesianGrid stroke={col.border} horizontal={false} />
            <XAxis type="number" scale="log" domain={axis.domain} ticks={axis.ticks} allowDataOverflow tickFormatter={(v: number) => f.tick(v)} stroke={col.muted} label={{ value: unit, position: 'insideBottomRight', offset: -4, fill: col.muted }} />
            <YAxis type="category" dataKey="model" width={170} stroke={col.muted} tick={{ fill: col.fg, fontSize: 11 }} />
            <Tooltip formatter={(v) => format(Number(v))} contentStyle={{ background: col.card, borderColor: col.border, color: col.fg }} />
            <Legend />
            {names.map((n, i) => (
              <Bar key={i} dataKey={`m${i}`} name={n} fill={col.series[i % col.series.length]} isAnimationActive={false}>
                {errors && <ErrorBar dataKey={`e${i}`} width={5} stroke={col.fg} direction="x" />}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/** Each model's startup ratio to its own machine's floor, one bar per machine, with its 95% interval. */
function RatioChart({ names, rows }: { names: string[]; rows: LineupRow[] }) {
  const { t } = useTranslation('machines');
  const f = useFormat();
  // The floor is 1× on every machine by definition: no bar to draw.
  const isFloor = (model: string) => rows.find((r) => r.model === model)!.cells.every((c) => !c?.ratio || c.ratio.ratio === 1);
  const data = seriesRows(rows, (c) => ({ v: c.ratio?.ratio, lo: c.ratio?.ci95[0], hi: c.ratio?.ci95[1] }), isFloor);
  return <GroupedChart title={t('chart.ratio')} testId="machines-chart-ratio" unit={t('chart.ratioUnit')} names={names} data={data} format={f.ratio} errors />;
}

function MemoryChart({ names, rows }: { names: string[]; rows: LineupRow[] }) {
  const { t } = useTranslation('machines');
  const f = useFormat();
  const data = seriesRows(rows, (c) => ({ v: c.memory && c.memory.bytes / MiB }));
  return <GroupedChart title={t('chart.memory')} testId="machines-chart-memory" unit="MiB (log)" names={names} data={data} format={(v) => `${f.num(v)}\u202fMiB`} errors={false} />;
}
