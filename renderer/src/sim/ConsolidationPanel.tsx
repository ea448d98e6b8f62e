import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LabApi } from '../../../shared/api';
import type { RunListItem } from '../../../shared/run';
import {
  CLASSIC_CONSOLIDATION,
  ConsolidationScenario,
  DEFAULT_CATALOGUE,
  describeIssues,
  OVERHEAD_FIELDS,
  runConsolidation,
  type ConsolidationOutcome,
  type MachineFigures,
  type PriceSource,
  type Provenance,
} from '../../../shared/sim';
import { useFormat } from '../format';
import { useChartColors } from '../result/useChartColors';
import { Slider } from './Slider';
import { SourceList } from './Sources';
import { useCompleteRuns, useRunDocs } from './useRuns';

/** The consolidation planner on the classic scenario, with the knobs that change its answer. */
export function ConsolidationPanel({ api, machine }: { api: LabApi; machine?: MachineFigures }) {
  const { t } = useTranslation('sim');
  const f = useFormat();
  const c = useChartColors();
  const [headroom, setHeadroom] = useState(0.25);
  const [maxPerVm, setMaxPerVm] = useState(1);
  const [hostSize, setHostSize] = useState('');
  const [guestMem, setGuestMem] = useState<number | undefined>();
  const [vmRun, setVmRun] = useState('');
  const [containerRun, setContainerRun] = useState('');
  const { runs } = useCompleteRuns(api);
  const docs = useRunDocs(api, [vmRun, containerRun].filter(Boolean));

  // The chosen machine's VM memory per instance is the slider's starting point, until the user moves it.
  const machineGuestMem = machine?.memory.vm && machine.memory.vm.bytes / 2 ** 30;
  const input = useDeferredValue({ headroom, maxPerVm, hostSize, guestMem, vmRun, containerRun });
  const outcome = useMemo((): { ok: ConsolidationOutcome } | { error: string } => {
    const parsed = ConsolidationScenario.safeParse({
      ...CLASSIC_CONSOLIDATION,
      headroom: input.headroom,
      spread: { maxReplicasPerVm: input.maxPerVm },
      hostSize: input.hostSize || undefined,
      overheads: {
        vm: input.guestMem === undefined ? undefined : { memoryGiB: input.guestMem },
        // A run still loading is left out rather than reported missing.
        measured: { vm: docs.has(input.vmRun) ? input.vmRun : undefined, container: docs.has(input.containerRun) ? input.containerRun : undefined },
      },
    });
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    try {
      return { ok: runConsolidation(parsed.data, docs, undefined, machine) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }, [input, docs, machine]);

  const money = (x: number) => `$${f.num(x, 0)}`;
  const pct = (x: number) => `${f.num(100 * x, 0)}\u202f%`;

  return (
    <div className="sim-panel">
      <section className="card sim-controls" aria-label={t('controls')}>
        <Slider label={t('consolidate.headroom')} value={headroom} min={0} max={0.6} step={0.05} onChange={setHeadroom} format={pct} testId="headroom" />
        <Slider label={t('consolidate.maxPerVm')} value={maxPerVm} min={1} max={4} step={1} onChange={setMaxPerVm} />
        <Slider
          label={t('consolidate.guestMem')}
          value={guestMem ?? machineGuestMem ?? 0.5}
          min={0.1}
          max={2}
          step={0.05}
          onChange={setGuestMem}
          format={(v) => `${f.num(v, 2)}\u202fGiB${guestMem === undefined ? ` (${t(machineGuestMem === undefined ? 'source.assumption' : 'source.measured')})` : ''}`}
        />
        <label className="field">
          {t('consolidate.hostSize')}
          <select value={hostSize} onChange={(e) => setHostSize(e.currentTarget.value)}>
            <option value="">{t('consolidate.cheapest')}</option>
            {DEFAULT_CATALOGUE.sizes.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} ({s.vcpus} vCPU, {s.memoryGiB} GiB)
              </option>
            ))}
          </select>
        </label>
        <RunSelect label={t('consolidate.vmRun')} runs={runs.filter((r) => r.model.startsWith('vm:'))} value={vmRun} onChange={setVmRun} />
        <RunSelect label={t('consolidate.containerRun')} runs={runs.filter((r) => r.model.startsWith('container:'))} value={containerRun} onChange={setContainerRun} />
      </section>

      {'error' in outcome ? (
        <p className="banner banner-danger" role="alert">
          {outcome.error}
        </p>
      ) : (
        <ConsolidationResult outcome={outcome.ok} money={money} pct={pct} colors={c.series} grid={c.border} fg={c.muted} />
      )}
    </div>
  );
}

function ConsolidationResult({
  outcome,
  money,
  pct,
  colors,
  grid,
  fg,
}: {
  outcome: ConsolidationOutcome;
  money(x: number): string;
  pct(x: number): string;
  colors: string[];
  grid: string;
  fg: string;
}) {
  const { t } = useTranslation('sim');
  const f = useFormat();
  const { plan, overheads } = outcome;
  const a = plan.vmPerReplica.totals;
  const b = plan.containers.totals;
  const strategies = [t('consolidate.perReplica'), t('consolidate.packed')];
  const costData = [
    { name: strategies[0], compute: a.computeMonthlyCost, disks: a.diskMonthlyCost },
    { name: strategies[1], compute: b.computeMonthlyCost, disks: b.diskMonthlyCost },
  ];
  const useData = [
    { name: strategies[0], vcpu: 100 * a.utilization.vcpu, memory: 100 * a.utilization.memory },
    { name: strategies[1], vcpu: 100 * b.utilization.vcpu, memory: 100 * b.utilization.memory },
  ];
  const bySize = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${v} × ${k}`).join(', ');
  const res = (v: number, m: number) => t('consolidate.resources', { vcpu: f.num(v, v % 1 ? 2 : 0), gib: f.num(m, 1) });
  const disks = (x: typeof a) => (plan.diskType ? `${bySize(x.disksByTier)} (${t('consolidate.gib', { n: f.int(x.diskGiB) })})` : t('consolidate.disksUnpriced', { count: x.vmCount }));
  const rows: [string, string, string][] = [
    ['demand', res(a.demandVcpu, a.demandMemoryGiB), res(b.demandVcpu, b.demandMemoryGiB)],
    ['vms', `${a.vmCount} (${bySize(a.bySize)})`, `${b.vmCount} (${bySize(b.bySize)})`],
    ['instances', String(a.instances), String(b.instances)],
    ['headroom', pct(plan.headroom), pct(plan.headroom)],
    ['capacity', res(a.vcpus, a.memoryGiB), res(b.vcpus, b.memoryGiB)],
    ['guestOs', String(a.guestOsCopies), String(b.guestOsCopies)],
    ['overheads', res(a.overheadVcpu, a.overheadMemoryGiB), res(b.overheadVcpu, b.overheadMemoryGiB)],
    ['osDisks', disks(a), disks(b)],
    ['utilization', `${pct(a.utilization.vcpu)} / ${pct(a.utilization.memory)}`, `${pct(b.utilization.vcpu)} / ${pct(b.utilization.memory)}`],
    ['compute', money(a.computeMonthlyCost), money(b.computeMonthlyCost)],
    ['diskCost', money(a.diskMonthlyCost), money(b.diskMonthlyCost)],
    ['monthlyCost', money(a.monthlyCost), money(b.monthlyCost)],
  ];
  const axis = { stroke: fg, tick: { fill: fg, fontSize: 12 } };

  return (
    <>
      <section className="card sim-headline" data-testid="consolidation-headline">
        <div>
          <div className="sim-big">{a.vmCount}</div>
          <div className="muted">{t('consolidate.vmsPerReplica', { sizes: bySize(a.bySize) })}</div>
        </div>
        <div className="sim-arrow" aria-hidden="true">
          →
        </div>
        <div>
          <div className="sim-big">
            {b.vmCount} <span className="sim-plus">+ {t('consolidate.containersN', { count: b.instances })}</span>
          </div>
          <div className="muted">{t('consolidate.vmsPacked', { sizes: bySize(b.bySize) })}</div>
        </div>
        <div className="sim-saving">
          <div className="sim-big">
            {b.monthlyCost <= a.monthlyCost ? '−' : '+'}
            {money(Math.abs(b.monthlyCost - a.monthlyCost))}
          </div>
          <div className="muted">{t('consolidate.perMonth', { from: money(a.monthlyCost), to: money(b.monthlyCost) })}</div>
        </div>
        <p className="sim-same small" data-testid="same-demand">
          {t('consolidate.sameDemand', { demand: res(a.demandVcpu, a.demandMemoryGiB), headroom: pct(plan.headroom) })}
        </p>
      </section>

      <div className="sim-grid-2">
        <figure className="card chart">
          <figcaption className="chart-title">{t('consolidate.costChart')}</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={costData} margin={{ top: 8, right: 12, left: 8, bottom: 0 }}>
              <CartesianGrid stroke={grid} vertical={false} />
              <XAxis dataKey="name" {...axis} />
              <YAxis {...axis} tickFormatter={(v: number) => `$${v}`} />
              <Tooltip formatter={(v) => money(Number(v))} />
              <Legend />
              <Bar dataKey="compute" stackId="cost" name={t('consolidate.compute')} fill={colors[0]} isAnimationActive={false} />
              <Bar dataKey="disks" stackId="cost" name={t('consolidate.osDisks')} fill={colors[3]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <p className="muted small" data-testid="prices-note">
            {pricesNote(outcome.prices, t)}
          </p>
        </figure>
        <figure className="card chart">
          <figcaption className="chart-title">{t('consolidate.utilChart')}</figcaption>
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={useData} margin={{ top: 8, right: 12, left: 8, bottom: 0 }}>
              <CartesianGrid stroke={grid} vertical={false} />
              <XAxis dataKey="name" {...axis} />
              <YAxis {...axis} domain={[0, 100]} unit="%" />
              <Tooltip formatter={(v) => `${Number(v).toFixed(0)} %`} />
              <Legend />
              <Bar dataKey="vcpu" name="vCPU" fill={colors[1]} isAnimationActive={false} />
              <Bar dataKey="memory" name={t('consolidate.memory')} fill={colors[2]} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      </div>

      <section className="card">
        <h2>{t('consolidate.changes')}</h2>
        <table className="num-table sim-table">
          <thead>
            <tr>
              <th />
              <th>{strategies[0]}</th>
              <th>{strategies[1]}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([key, x, y]) => (
              <tr key={key} data-row={key}>
                <th scope="row">{t(`consolidate.row.${key}`)}</th>
                <td>{x}</td>
                <td>{y}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card">
        <h2>{t('consolidate.hosts', { size: plan.containers.hostSize })}</h2>
        <div className="sim-hosts" data-testid="hosts">
          {plan.containers.vms.map((h) => (
            <div key={h.index} className="sim-host">
              <div className="strong">
                VM {h.index} <span className="muted small mono">{h.size}</span>
              </div>
              <div className="sim-chips">
                {h.containers.map((ct) => (
                  <span key={`${ct.service}${ct.replica}`} className="tag mono">
                    {ct.service}#{ct.replica}
                  </span>
                ))}
              </div>
              <Meter label="vCPU" value={h.vcpuLoad} pct={pct} />
              <Meter label={t('consolidate.memory')} value={h.memoryLoad} pct={pct} />
            </div>
          ))}
        </div>
      </section>

      <section className="card">
        <h2>{t('sources')}</h2>
        <SourceList
          items={[
            ...OVERHEAD_FIELDS.map((k) => ({ label: t('consolidate.vmOverhead'), p: overheads.vm.sources[k] })),
            ...OVERHEAD_FIELDS.map((k) => ({ label: t('consolidate.containerOverhead'), p: overheads.container.sources[k] })),
            { label: t('consolidate.prices'), p: priceProvenance(outcome.prices, t) },
          ]}
        />
      </section>
    </>
  );
}

/** Whose prices these are, in words: the scenario's own, Azure's indicative snapshot, or Azure's refreshed. */
function pricesNote(p: PriceSource, t: TFunction<'sim'>): string {
  const disks = p.diskType ? t('consolidate.disksPriced', { type: p.diskType }) : t('consolidate.disksNotPriced');
  if (p.origin === 'scenario') return t('consolidate.pricesScenario', { about: p.about ?? '', hours: p.hoursPerMonth, disks });
  if (p.refreshedAt) return t('consolidate.pricesRefreshed', { date: p.refreshedAt.slice(0, 10), region: p.region ?? '?', hours: p.hoursPerMonth, disks });
  return t('consolidate.pricesIndicative', { region: p.region ?? '?', hours: p.hoursPerMonth, disks });
}

function priceProvenance(p: PriceSource, t: TFunction<'sim'>): Provenance {
  if (p.origin === 'scenario') return { kind: 'input', detail: pricesNote(p, t) };
  return { kind: 'reference', source: 'Azure Retail Prices API (prices.azure.com)', detail: pricesNote(p, t) };
}

/** A measured run to take an overhead from, or none (the references). */
function RunSelect({ label, runs, value, onChange }: { label: string; runs: RunListItem[]; value: string; onChange(id: string): void }) {
  const { t } = useTranslation('sim');
  const f = useFormat();
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('consolidate.noRun')}</option>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.model} · {f.date(r.startedAt)}
          </option>
        ))}
      </select>
    </label>
  );
}

function Meter({ label, value, pct }: { label: string; value: number; pct(x: number): string }) {
  return (
    <div className="sim-meter">
      <span className="small muted">{label}</span>
      <meter min={0} max={1} value={value} aria-label={label} />
      <span className="small mono">{pct(value)}</span>
    </div>
  );
}
