import { useDeferredValue, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LabApi } from '../../../shared/api';
import { parse as parseCsv } from 'csv-parse/browser/esm/sync';
import { BurstScenario, describeIssues, ratePointsFromRecords, startupReferences, type BurstFigure, type BurstOutcome, type Estimate, type MachineFigures } from '../../../shared/sim';
import { useFormat } from '../format';
import { useChartColors } from '../result/useChartColors';
import { defaultBurstForm, PROFILE_KINDS, toBurstScenario, withMachineStartups, type BurstForm, type ModelRow, type ProfileKind } from './burstForm';
import { Slider } from './Slider';
import { SourceBadge, SourceList } from './Sources';
import { useBurstRun } from './useBurstRun';
import { useCompleteRuns, useRunDocs } from './useRuns';

/** The scale-out simulator: a spike against several isolation models, re-run on every change. */
export function BurstPanel({ api, machine }: { api: LabApi; machine?: MachineFigures }) {
  const { t } = useTranslation('sim');
  const f = useFormat();
  const [form, setForm] = useState<BurstForm>(defaultBurstForm);
  const set = <K extends keyof BurstForm>(k: K) => (v: BurstForm[K]) => setForm((prev) => ({ ...prev, [k]: v }));
  const { runs } = useCompleteRuns(api);
  const startRuns = runs.filter((r) => /^(container|vm|process|host)/.test(r.model));
  // A picked machine's startups take the place of the published figures they stand for (and give it back after).
  // Adjusted while rendering (not in an effect): once per machine and list of runs on file.
  const machineKey = `${machine?.comparisonId ?? ''}|${runs.map((r) => r.id).join(',')}`;
  const [appliedKey, setAppliedKey] = useState('|');
  if (appliedKey !== machineKey) {
    setAppliedKey(machineKey);
    const onFile = new Set(runs.map((r) => r.id));
    setForm((prev) => ({ ...prev, models: withMachineStartups(prev.models, machine, onFile) }));
  }
  const docs = useRunDocs(
    api,
    form.models.map((m) => m.source).filter((s) => s.startsWith('run:')).map((s) => s.slice(4)),
  );
  const deferred = useDeferredValue(form);
  const parsed = useMemo((): { ok: BurstScenario } | { error: string } | { loading: true } => {
    if (deferred.models.some((m) => m.source.startsWith('run:') && !docs.has(m.source.slice(4)))) return { loading: true };
    const p = BurstScenario.safeParse(toBurstScenario(deferred));
    return p.success ? { ok: p.data } : { error: describeIssues(p.error) };
  }, [deferred, docs]);
  const run = useBurstRun('ok' in parsed ? parsed.ok : undefined, docs);

  const setModel = (i: number, patch: Partial<ModelRow>) => setForm((prev) => ({ ...prev, models: prev.models.map((m, j) => (j === i ? { ...m, ...patch } : m)) }));
  const refs = [...new Set(startupReferences().map((r) => r.model))];
  const sec = (v: number) => `${f.num(v, 0)}\u202fs`;

  return (
    <div className="sim-panel">
      <section className="card sim-controls" aria-label={t('controls')}>
        <label className="field">
          {t('burst.profile')}
          <select value={form.profile} onChange={(e) => set('profile')(e.currentTarget.value as ProfileKind)} data-testid="profile">
            {PROFILE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`profiles.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <Slider label={t('burst.duration')} value={form.durationS} min={300} max={7200} step={60} onChange={set('durationS')} format={sec} />
        {form.profile === 'csv' ? (
          <CsvInput value={form.csv} onChange={set('csv')} />
        ) : (
          <Slider
            label={t(form.profile === 'diurnal' ? 'burst.meanRate' : 'burst.baseRate')}
            value={form.rate}
            min={1}
            max={200}
            step={1}
            onChange={set('rate')}
            format={(v) => `${v}/s`}
            testId="base-rate"
          />
        )}
        {(form.profile === 'spike' || form.profile === 'step') && (
          <>
            <Slider label={t(form.profile === 'spike' ? 'burst.peakRate' : 'burst.toRate')} value={form.peakRate} min={1} max={1000} step={5} onChange={set('peakRate')} format={(v) => `${v}/s`} testId="peak-rate" />
            <Slider label={t('burst.atS')} value={Math.min(form.atS, form.durationS)} min={0} max={form.durationS} step={10} onChange={set('atS')} format={sec} />
          </>
        )}
        {form.profile === 'spike' && <Slider label={t('burst.spikeDuration')} value={form.spikeS} min={10} max={900} step={10} onChange={set('spikeS')} format={sec} />}
        {form.profile === 'diurnal' && (
          <Slider label={t('burst.amplitude')} value={form.amplitude} min={0} max={1} step={0.05} onChange={set('amplitude')} format={(v) => `±${f.num(v * 100, 0)}\u202f%`} />
        )}
        <Slider label={t('burst.serviceMedian')} value={form.serviceMs} min={5} max={1000} step={5} onChange={set('serviceMs')} format={(v) => f.ms(v)} />
        <Slider label={t('burst.concurrency')} value={form.concurrency} min={1} max={32} step={1} onChange={set('concurrency')} />
        <Slider label={t('burst.timeout')} value={form.timeoutMs} min={100} max={30000} step={100} onChange={set('timeoutMs')} format={(v) => f.ms(v)} />
        <label className="field-check">
          <input type="checkbox" checked={form.autoscale} onChange={(e) => set('autoscale')(e.currentTarget.checked)} data-testid="autoscale" />
          {t('burst.autoscale')}
        </label>
        {form.autoscale ? (
          <>
            <Slider label={t('burst.target')} value={form.target} min={0.1} max={1} step={0.05} onChange={set('target')} format={(v) => `${f.num(v * 100, 0)}\u202f%`} />
            <Slider label={t('burst.evaluation')} value={form.evaluationS} min={1} max={120} step={1} onChange={set('evaluationS')} format={sec} />
            <Slider label={t('burst.cooldown')} value={form.cooldownS} min={0} max={600} step={5} onChange={set('cooldownS')} format={sec} />
            <Slider label={t('burst.min')} value={form.min} min={0} max={50} step={1} onChange={set('min')} />
            <Slider label={t('burst.max')} value={form.max} min={1} max={500} step={1} onChange={set('max')} />
          </>
        ) : (
          <Slider label={t('burst.instances')} value={form.instances} min={1} max={200} step={1} onChange={set('instances')} />
        )}
        <Slider label={t('burst.seed')} value={form.seed} min={1} max={100} step={1} onChange={set('seed')} />
        <Slider label={t('burst.replications')} value={form.replications} min={1} max={30} step={1} onChange={set('replications')} testId="replications" />
      </section>

      <section className="card">
        <h2>{t('burst.models')}</h2>
        <div className="sim-models">
          {form.models.map((m, i) => (
            <div key={i} className="sim-model-row">
              <span className="sim-swatch" style={{ background: `var(--c${(i % 6) + 1})` }} aria-hidden="true" />
              <input type="text" aria-label={t('burst.modelName')} value={m.name} onChange={(e) => setModel(i, { name: e.currentTarget.value })} />
              <select aria-label={t('burst.startup')} value={m.source} onChange={(e) => setModel(i, { source: e.currentTarget.value })} data-testid={`model-source-${i}`}>
                <optgroup label={t('burst.measuredRuns')}>
                  {startRuns.length === 0 && <option disabled>{t('burst.noRuns')}</option>}
                  {startRuns.map((r) => (
                    <option key={r.id} value={`run:${r.id}`}>
                      {r.model} · {f.date(r.startedAt)}
                      {r.medianTotalMs !== undefined ? ` · ${f.ms(r.medianTotalMs)}` : ''}
                    </option>
                  ))}
                </optgroup>
                <optgroup label={t('burst.references')}>
                  {refs.map((r) => (
                    <option key={r} value={`ref:${r}`}>
                      {r}
                    </option>
                  ))}
                </optgroup>
              </select>
              <label className="sim-price">
                <span className="small muted">{t('burst.price')}</span>
                <input
                  type="number"
                  min={0}
                  step={0.001}
                  value={m.price}
                  onChange={(e) => setModel(i, { price: Number(e.currentTarget.value) })}
                />
              </label>
              {form.models.length > 1 && (
                <button type="button" className="button button-small" onClick={() => setForm((prev) => ({ ...prev, models: prev.models.filter((_, j) => j !== i) }))}>
                  {t('burst.remove')}
                </button>
              )}
            </div>
          ))}
        </div>
        {form.models.length < 6 && (
          <button
            type="button"
            className="button button-small"
            onClick={() => setForm((prev) => ({ ...prev, models: [...prev.models, { name: `model ${prev.models.length + 1}`, source: `ref:${refs[0]}`, price: 0.05 }] }))}
          >
            {t('burst.add')}
          </button>
        )}
      </section>

      {'error' in parsed || run.error ? (
        <p className="banner banner-danger" role="alert">
          {'error' in parsed ? parsed.error : run.error}
        </p>
      ) : 'loading' in parsed || !run.outcome ? (
        <p className="muted">{t('loading' in parsed ? 'burst.loadingRuns' : 'burst.running')}</p>
      ) : (
        <BurstResult outcome={run.outcome} running={run.running} total={'ok' in parsed ? parsed.ok.replications : run.outcome.seeds.length} />
      )}
    </div>
  );
}

/** A rate curve from a CSV file the user picks: seconds, requests per second. */
function CsvInput({ value, onChange }: { value: BurstForm['csv']; onChange(v: BurstForm['csv']): void }) {
  const { t } = useTranslation('sim');
  const [error, setError] = useState<string>();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('burst.csvFile')}</label>
      <input
        id={id}
        type="file"
        accept=".csv,text/csv"
        data-testid="csv-file"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          if (!file) return;
          try {
            const points = ratePointsFromRecords(parseCsv(await file.text(), { skip_empty_lines: true, trim: true, comment: '#', relax_column_count: true }));
            setError(undefined);
            onChange({ name: file.name, points });
          } catch (err) {
            setError(`${file.name}: ${(err as Error).message}`);
          }
        }}
      />
      <small className={error ? 'field-error' : 'field-hint'}>
        {error ?? (value ? t('burst.csvLoaded', { name: value.name, count: value.points.length }) : t('burst.csvHint'))}
      </small>
    </div>
  );
}

function BurstResult({ outcome, running, total }: { outcome: BurstOutcome; running: boolean; total: number }) {
  const { t } = useTranslation('sim');
  const f = useFormat();
  const c = useChartColors();
  const models = outcome.models;
  const first = models[0].result.series;
  const step = first.t[0]; // the first bucket ends one sample width in
  const seeds = outcome.seeds;
  const seedRange = seeds.length > 1 ? `${seeds[0]}–${seeds[seeds.length - 1]}` : String(seeds[0]);
  const rows = first.t.map((tt, i) => {
    const row: Record<string, number> = { t: tt, arrivals: first.arrivals[i] / step };
    models.forEach((m, k) => {
      row[`ready${k}`] = m.result.series.ready[i];
      row[`starting${k}`] = m.result.series.starting[i];
      row[`queue${k}`] = m.result.series.queue[i];
      row[`dropped${k}`] = m.result.series.dropped[i] / step;
    });
    return row;
  });
  const color = (k: number) => c.series[k % c.series.length];
  const axis = { stroke: c.muted, tick: { fill: c.muted, fontSize: 12 } };
  const xAxis = <XAxis dataKey="t" type="number" domain={[0, outcome.scenario.durationS]} {...axis} tickFormatter={(v: number) => `${v}s`} />;
  const chart = (title: string, testId: string, lines: React.ReactNode) => (
    <figure className="card chart" data-testid={testId}>
      <figcaption className="chart-title">{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={rows} margin={{ top: 8, right: 12, left: 0, bottom: 0 }}>
          <CartesianGrid stroke={c.border} vertical={false} />
          {xAxis}
          <YAxis {...axis} />
          <Tooltip labelFormatter={(v) => `${v} s`} formatter={(v) => f.num(Number(v), 1)} contentStyle={{ background: c.card, borderColor: c.border }} />
          <Legend />
          {lines}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
  const costData = models.map((m) => ({ name: m.name, cost: m.summary.cost.mean, hours: m.summary.instanceHours.mean }));
  const secs = (s: number) => (!Number.isFinite(s) ? '–' : s === 0 ? '0' : s >= 1 ? `${f.num(s, 2)}\u202fs` : f.ms(s * 1000));
  const cols: { key: string; figure: BurstFigure; fmt: (x: number) => string }[] = [
    { key: 'served', figure: 'served', fmt: (x) => f.int(x) },
    { key: 'dropped', figure: 'dropRate', fmt: (x) => `${f.num(100 * x, 1)}\u202f%` },
    { key: 'p50', figure: 'waitP50S', fmt: secs },
    { key: 'p95', figure: 'waitP95S', fmt: secs },
    { key: 'p99', figure: 'waitP99S', fmt: secs },
    { key: 'peak', figure: 'peakInstances', fmt: (x) => f.num(x, 1) },
    { key: 'instanceHours', figure: 'instanceHours', fmt: (x) => f.num(x, 2) },
    { key: 'cost', figure: 'cost', fmt: (x) => `$${f.num(x, 2)}` },
  ];

  return (
    <>
      <div className="sim-grid-2">
        {chart(
          t('burst.chartArrivals'),
          'chart-arrivals',
          <>
            <Line dataKey="arrivals" name={t('burst.arrivalsRate')} stroke={c.fg} dot={false} isAnimationActive={false} />
            {models.map((m, k) => (
              <Line key={k} dataKey={`dropped${k}`} name={t('burst.droppedOf', { model: m.name })} stroke={color(k)} strokeDasharray="4 3" dot={false} isAnimationActive={false} />
            ))}
          </>,
        )}
        {chart(
          t('burst.chartInstances'),
          'chart-instances',
          models.flatMap((m, k) => [
            <Line key={`r${k}`} dataKey={`ready${k}`} name={t('burst.readyOf', { model: m.name })} stroke={color(k)} dot={false} type="stepAfter" isAnimationActive={false} />,
            <Line key={`s${k}`} dataKey={`starting${k}`} name={t('burst.startingOf', { model: m.name })} stroke={color(k)} strokeDasharray="2 3" dot={false} type="stepAfter" isAnimationActive={false} />,
          ]),
        )}
        {chart(
          t('burst.chartQueue'),
          'chart-queue',
          models.map((m, k) => <Line key={k} dataKey={`queue${k}`} name={m.name} stroke={color(k)} dot={false} isAnimationActive={false} />),
        )}
        <figure className="card chart" data-testid="chart-cost">
          <figcaption className="chart-title">{t('burst.chartCost')}</figcaption>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={costData} margin={{ top: 8, right: 12, left: 0, bottom: 0 }}>
              <CartesianGrid stroke={c.border} vertical={false} />
              <XAxis dataKey="name" {...axis} />
              <YAxis yAxisId="cost" {...axis} tickFormatter={(v: number) => `$${f.tick(v)}`} />
              <YAxis yAxisId="hours" orientation="right" {...axis} tickFormatter={(v: number) => `${f.tick(v)} h`} />
              <Tooltip formatter={(v) => f.num(Number(v), 2)} contentStyle={{ background: c.card, borderColor: c.border }} />
              <Legend />
              <Bar yAxisId="cost" dataKey="cost" name={t('burst.cost')} fill={c.series[0]} isAnimationActive={false} />
              <Bar yAxisId="hours" dataKey="hours" name={t('burst.instanceHours')} fill={c.series[1]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      </div>

      <section className="card">
        <h2>{t('burst.results')}</h2>
        {/* Focusable so a keyboard can scroll it on a narrow window. */}
        <div className="sim-table-wrap" tabIndex={0} role="region" aria-label={t('burst.results')}>
          <table className="num-table sim-table sim-burst-table" data-testid="burst-table">
            <thead>
              <tr>
                <th>{t('burst.model')}</th>
                <th>{t('burst.startup')}</th>
                {cols.map((col) => (
                  <th key={col.key}>{['p50', 'p95', 'p99'].includes(col.key) ? col.key : t(`burst.${col.key}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {models.map((m, k) => (
                <tr key={k}>
                  <th scope="row">
                    <span className="sim-swatch" style={{ background: color(k) }} aria-hidden="true" /> {m.name}
                  </th>
                  <td>
                    <SourceBadge p={m.startupProvenance} />
                  </td>
                  {cols.map((col) => (
                    <td key={col.key} data-figure={col.figure}>
                      <EstimateCell e={m.summary[col.figure]} fmt={col.fmt} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted small" data-testid="replication-note" aria-live="polite">
          {seeds.length > 1 ? t('burst.replicationNote', { count: seeds.length, seeds: seedRange }) : t('burst.oneReplication', { seed: seedRange })}{' '}
          {running && t('burst.moreComing', { done: seeds.length, total })}
        </p>
        <p className="muted small">{t('burst.sameArrivals', { seed: seeds[0] })}</p>
      </section>

      <section className="card">
        <h2>{t('sources')}</h2>
        <SourceList items={models.map((m) => ({ label: m.name, p: m.startupProvenance }))} />
      </section>
    </>
  );
}

/** A figure across replications: the mean, with the half-width of its 95% interval beneath; the interval and
 * the median in the tooltip. */
function EstimateCell({ e, fmt }: { e: Estimate; fmt(x: number): string }) {
  const { t } = useTranslation('sim');
  if (e.n === 0) return <>–</>;
  if (!Number.isFinite(e.lo)) return <>{fmt(e.mean)}</>;
  const half = (e.hi - e.lo) / 2;
  return (
    <span className="sim-estimate" title={t('burst.interval', { lo: fmt(e.lo), hi: fmt(e.hi), median: fmt(e.median), n: e.n })}>
      {fmt(e.mean)}
      {/* A spread too small to print is 0, not "0.000 ms". */}
      <span className="sim-ci">± {half <= 1e-4 * Math.abs(e.mean) ? '0' : fmt(half)}</span>
    </span>
  );
}
