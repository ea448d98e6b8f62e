import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ISOLATION_SOURCES } from '../../../shared/learn/sources';
import type { Measured } from '../../../shared/learn/measured';
import type { SpectrumColumn, SpectrumLayer, SpectrumRow, Spectrum as SpectrumData } from '../../../shared/learn/spectrum';
import type { TradeoffTable } from '../../../shared/learn/tradeoffs';
import { localeFor, useFormat } from '../format';
import { href } from '../router';
import { Reference } from './TradeoffTable';
import { useBytes } from './units';

/** A short date (no time) in the reader's language, for the documents behind the numbers. */
function useShortDate(): (iso: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(localeFor(i18n.language), { dateStyle: 'medium' });
    return (iso: string) => fmt.format(new Date(iso));
  }, [i18n.language]);
}

/**
 * The spectrum from a process to a full VM, and the orchestrator on top: a group of rows per layer with what its
 * instances share, one row per model with this machine's numbers (only in the columns some model has a number
 * for), and the cited figures of the layer beside them. A model without a number says how to measure it, or why
 * it cannot run here; never a blank, never a number no document holds.
 */
export function Spectrum({ table, error }: { table?: TradeoffTable; error?: string }) {
  const { t } = useTranslation('learn');
  const bytes = useBytes();
  const s = table?.spectrum;
  const used = new Set(s?.layers.flatMap((l) => l.sources) ?? []);
  const sources = ISOLATION_SOURCES.filter((x) => used.has(x.id));
  const tcg = s?.layers.some((l) => l.rows.some((r) => r.accel === 'tcg'));
  return (
    <section className="card" id="learn-spectrum" aria-labelledby="learn-spectrum-title">
      <h2 id="learn-spectrum-title">{t('spectrum.title')}</h2>
      <p className="muted">{t('spectrum.intro')}</p>
      {error && <p className="field-error" role="alert">{error}</p>}
      {!s && !error && <p className="muted">{t('spectrum.loading')}</p>}
      {s && (
        <>
          {s.columns.length === 0 && (
            <p className="spectrum-empty" data-testid="spectrum-empty">
              {t('spectrum.nothingYet')} <code>isolab compare</code>
            </p>
          )}
          <div className="table-wrap">
            <table className="table spectrum" data-testid="spectrum">
              <caption className="visually-hidden">{t('spectrum.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('spectrum.model')}</th>
                  {s.columns.map((c) => (
                    <th scope="col" key={c} data-col={c}>
                      {t(`spectrum.columns.${c}`, { budget: bytes(s.densityBudgetBytes) })}
                    </th>
                  ))}
                  {s.columns.length === 0 && <th scope="col">{t('spectrum.onThisMachine')}</th>}
                  <th scope="col">{t('spectrum.references')}</th>
                </tr>
              </thead>
              {s.layers.map((l) => (
                <LayerRows key={l.id} layer={l} spectrum={s} />
              ))}
            </table>
          </div>
          <ul className="notes small">
            {s.columns.includes('density') && <li>{t('spectrum.notes.density', { budget: bytes(s.densityBudgetBytes) })}</li>}
            {tcg && <li>{t('spectrum.notes.tcg')}</li>}
            <li>{t('spectrum.notes.sources')}</li>
          </ul>
          <details className="learn-sources small" data-testid="spectrum-sources">
            <summary>{t('spectrum.sources', { count: sources.length })}</summary>
            <ul>
              {sources.map((x) => (
                <li key={x.id}>
                  <cite>{x.source}</cite> <span className="muted mono">{x.url}</span>
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
    </section>
  );
}

function LayerRows({ layer: l, spectrum: s }: { layer: SpectrumLayer; spectrum: SpectrumData }) {
  const { t } = useTranslation('learn');
  const metricSpan = Math.max(s.columns.length, 1);
  const refs = (rowSpan: number) => (
    <td className="refs" rowSpan={rowSpan}>
      {l.references.length ? (
        <ul>
          {l.references.map((f, i) => (
            <Reference key={i} f={f} />
          ))}
        </ul>
      ) : (
        <span className="muted small">{t('table.noReference')}</span>
      )}
    </td>
  );
  return (
    <tbody data-layer={l.id}>
      <tr className="spectrum-layer">
        <th scope="rowgroup" colSpan={metricSpan + 2}>
          <span className="spectrum-layer-name">{t(`spectrum.layers.${l.id}.name`)}</span>
          <span className="small"> — {t(`spectrum.layers.${l.id}.blurb`)}</span>
          <Sharing layer={l} />
        </th>
      </tr>
      {l.rows.map((r, i) => (
        <tr key={r.model} data-model={r.model} data-state={r.state}>
          <th scope="row">
            <code>{r.model}</code>
            {r.accel && <span className={`tag tag-after${r.accel === 'tcg' ? ' tag-warn' : ''}`}>{t(`spectrum.accel.${r.accel === 'tcg' ? 'tcg' : 'other'}`, { accel: r.accel.toUpperCase() })}</span>}
          </th>
          {r.state === 'measured' ? (
            s.columns.map((c) => (
              <td key={c} data-col={c}>
                <Cell row={r} column={c} budget={s.densityBudgetBytes} />
                {c === s.columns[0] && r.problem && <Problem row={r} newest />}
              </td>
            ))
          ) : (
            <td colSpan={metricSpan} className="spectrum-why" data-col="why">
              {r.problem ? (
                <Problem row={r} />
              ) : (
                <p className="small">
                  {t('spectrum.notMeasured')} {t('spectrum.howToMeasure')} <code>{r.command}</code>
                </p>
              )}
            </td>
          )}
          {i === 0 && refs(l.rows.length)}
        </tr>
      ))}
      {l.rows.length === 0 && (
        <tr data-state="none">
          <th scope="row">{t(`spectrum.layers.${l.id}.examples`)}</th>
          <td colSpan={metricSpan} className="spectrum-why" data-col="why">
            <p className="small">
              {t('spectrum.noModel')} <code>isolab compare</code>
            </p>
          </td>
          {refs(1)}
        </tr>
      )}
    </tbody>
  );
}

/** What the layer's instances share (kernel, VMM, hypervisor, devices) and what the layer adds. */
function Sharing({ layer: l }: { layer: SpectrumLayer }) {
  const { t } = useTranslation('learn');
  const sh = l.sharing;
  const kernelTone = sh.kernel === 'own' ? 'is-own' : 'is-shared';
  return (
    <span className="spectrum-sharing">
      <span className="visually-hidden">{t('spectrum.sharing.label')}: </span>
      <span className={`chip ${kernelTone}`} data-share="kernel">{t(`spectrum.sharing.kernel.${sh.kernel}`)}</span>
      <span className="chip" data-share="vmm">{t(`spectrum.sharing.vmm.${sh.vmm}`)}</span>
      <span className="chip" data-share="hypervisor">{t(`spectrum.sharing.hypervisor.${sh.hypervisor}`)}</span>
      {sh.devices !== 'none' && <span className="chip" data-share="devices">{t(`spectrum.sharing.devices.${sh.devices}`)}</span>}
      {l.adds.length > 0 && (
        <span className="spectrum-adds small">
          {t('spectrum.adds.label')} {l.adds.map((a) => t(`spectrum.adds.${a}`)).join(' · ')}
        </span>
      )}
    </span>
  );
}

function Cell({ row, column, budget }: { row: SpectrumRow; column: SpectrumColumn; budget: number }) {
  const { t } = useTranslation('learn');
  const f = useFormat();
  const bytes = useBytes();
  const m = row[column];
  if (!m) {
    return (
      <p className="measured is-missing small">
        {t('spectrum.missing')} <code>{row.command}</code>
      </p>
    );
  }
  let value: string;
  let detail: string;
  if (column === 'startup' && row.startup) {
    value = f.ms(row.startup.value);
    const ci = row.startup.ci95;
    detail = [ci ? t('spectrum.ci', { lo: f.ms(ci[0]), hi: f.ms(ci[1]) }) : undefined, t(`spectrum.what.${m.source.what}`), m.n ? t('table.samples', { n: m.n }) : undefined].filter(Boolean).join(' · ');
  } else if (column === 'memory') {
    value = bytes(m.value);
    detail = [t(`spectrum.what.${m.source.what}`), m.n && m.n > 1 ? t('spectrum.perInstances', { n: m.n }) : undefined].filter(Boolean).join(' · ');
  } else {
    value = t('spectrum.fits', { value: f.int(m.value) });
    detail = row.density?.basis === 'densityRun' ? t('spectrum.densityBasis.densityRun', { n: m.n }) : t('spectrum.densityBasis.memory', { budget: bytes(budget) });
  }
  return (
    <div className="measured" data-testid="spectrum-measured">
      <strong className="spectrum-value">{value}</strong>
      <span className="small muted spectrum-detail">{detail}</span>
      <SourceLink m={m} />
    </div>
  );
}

function SourceLink({ m }: { m: Measured }) {
  const { t } = useTranslation('learn');
  const date = useShortDate();
  const link = m.source.kind === 'run' ? href('runs', m.source.id) : href('compare', m.source.id);
  return (
    <a className="small spectrum-source" href={link} title={`${m.source.kind} ${m.source.id} · ${m.source.model}`}>
      {t('spectrum.source', { kind: t(`spectrum.kind.${m.source.kind}`), date: date(m.source.at) })}
    </a>
  );
}

/** Why a model could not run here, in the engine's own words from the newest comparison, and how to try again. */
function Problem({ row, newest }: { row: SpectrumRow; newest?: boolean }) {
  const { t } = useTranslation('learn');
  const date = useShortDate();
  const p = row.problem!;
  return (
    <div className={`spectrum-problem small${newest ? ' is-newest' : ''}`} data-testid="spectrum-problem">
      <p>
        <strong>{t(newest ? 'spectrum.newestProblem' : `spectrum.${p.status}`)}</strong> <span className="engine-line">{p.reason ? t(`compare:reason.${p.reason.code}`, { ...p.reason.params, defaultValue: p.message }) : p.message || t('spectrum.noMessage')}</span>{' '}
        <a href={href('compare', p.source.id)} title={`comparison ${p.source.id}`}>
          {t('spectrum.source', { kind: t('spectrum.kind.comparison'), date: date(p.source.at) })}
        </a>
      </p>
      {!newest && (
        <p className="muted">
          {t('spectrum.then')} <code>{row.command}</code>
        </p>
      )}
    </div>
  );
}
