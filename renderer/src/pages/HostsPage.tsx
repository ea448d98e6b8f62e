import { useCallback, useEffect, useState } from 'react';
import '../hosts/hosts.css';
import { useTranslation } from 'react-i18next';
import type { HostListItem } from '../../../shared/api-hosts';
import type { RunListItem } from '../../../shared/run';
import { useFormat } from '../format';
import { AddHostForm } from '../hosts/AddHostForm';
import { compareGroups, isRemote } from '../hosts/compareGroups';
import { FleetsSection } from '../hosts/FleetsSection';
import { HostCard } from '../hosts/HostCard';
import { useLab } from '../lab/LabContext';
import { href } from '../router';
import type { PageProps } from '.';

/** Remote hosts over SSH: the ones in ~/.ssh/config and the ones added here; test, probe, compare. */
export function HostsPage(_: PageProps) {
  const { t } = useTranslation('hosts');
  const f = useFormat();
  const { api, readOnly } = useLab();
  const [hosts, setHosts] = useState<HostListItem[]>();
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [error, setError] = useState<string>();
  const [fleetId, setFleetId] = useState<string>();
  const [fleet, setFleet] = useState<Record<string, string>>({});
  // Compare all: each host's comparison id and where it is (running, or its final status).
  const [compares, setCompares] = useState<Record<string, { id?: string; status: string; error?: string }>>({});

  const refresh = useCallback(() => {
    api.listHosts().then(setHosts, (err: Error) => setError(err.message));
    api.listRuns().then(setRuns, () => undefined);
  }, [api]);
  useEffect(refresh, [refresh]);
  useEffect(() => api.onEvent((e) => e.type === 'run-finished' && refresh()), [api, refresh]);
  // Each host of a fleet reports on its own line.
  useEffect(() => {
    if (!fleetId) return;
    return api.onEvent((e) => {
      if (e.type !== 'host-progress' || e.fleetId !== fleetId) return;
      setFleet((f) => ({ ...f, [e.host]: e.step === 'failed' ? `failed: ${(e.message ?? '').replace(`${e.host}: `, '')}` : f[e.host]?.startsWith('failed') ? f[e.host] : e.step }));
    });
  }, [api, fleetId]);
  const probeAll = async () => {
    if (!hosts?.length) return;
    setFleet(Object.fromEntries(hosts.map((h) => [h.name, 'queued'])));
    try {
      setFleetId((await api.startFleet({ targets: hosts.map((h) => h.name), concurrency: 4 })).fleetId);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type !== 'compare-finished') return;
        setCompares((cur) => {
          const host = Object.keys(cur).find((h) => cur[h].id === e.comparisonId);
          return host ? { ...cur, [host]: { ...cur[host], status: e.status } } : cur;
        });
      }),
    [api],
  );
  // One comparison per host, all started at once: the engine runs them in parallel and never two on one machine.
  const compareHosts = async (names: string[]) => {
    if (!names.length) return;
    setCompares(Object.fromEntries(names.map((h) => [h, { status: 'starting' }])));
    await Promise.all(
      names.map((h) =>
        api.startCompare({ host: h }).then(
          ({ comparisonId }) => setCompares((cur) => ({ ...cur, [h]: { id: comparisonId, status: cur[h]?.status === 'starting' ? 'running' : cur[h].status } })),
          (err: Error) => setCompares((cur) => ({ ...cur, [h]: { status: 'failed', error: err.message } })),
        ),
      ),
    );
  };
  const comparing = Object.values(compares).some((c) => c.status === 'starting' || c.status === 'running');

  // Host runs beside local runs, like with like: one table per kind of figure (SSH latency, container lifecycle).
  const groups = compareGroups(runs);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {!readOnly && (
        <AddHostForm
          onSave={async (h) => {
            await api.saveHost(h);
            refresh();
          }}
        />
      )}
      {hosts?.length === 0 && <p className="muted">{t('empty')}</p>}
      {!readOnly && !!hosts && hosts.length > 1 && (
        <section className="card">
          <div className="section-head">
            <h2>{t('fleet.title')}</h2>
            <div className="form-actions">
              <button type="button" className="button" onClick={() => void probeAll()} data-testid="probe-all">
                {t('fleet.button', { n: hosts.length })}
              </button>
              <button type="button" className="button" onClick={() => void compareHosts(hosts.map((h) => h.name))} data-testid="compare-all" disabled={comparing}>
                {t('fleet.compareButton', { n: hosts.length })}
              </button>
            </div>
          </div>
          <p className="muted small">{t('fleet.intro')}</p>
          <p className="muted small">{t('fleet.compareIntro')}</p>
          {Object.keys(fleet).length > 0 && (
            <ul className="hosts-fleet" aria-live="polite">
              {Object.entries(fleet).map(([h, st]) => (
                <li key={h}>
                  <span className="mono">{h}</span>{' '}
                  <span className={`badge ${st === 'saved' ? 'badge-ok' : st.startsWith('failed') ? 'badge-danger' : 'badge-muted'}`}>{st.startsWith('failed') ? t('fleet.failed') : t(`fleet.step.${st}`, { defaultValue: st })}</span>{' '}
                  {st.startsWith('failed') && <span className="small">{st.slice(8)}</span>}
                </li>
              ))}
            </ul>
          )}
          {Object.keys(compares).length > 0 && (
            <ul className="hosts-fleet" aria-live="polite" data-testid="compare-all-list">
              {Object.entries(compares).map(([h, c]) => (
                <li key={h}>
                  <span className="mono">{h}</span>{' '}
                  <span className={`badge ${c.status === 'complete' ? 'badge-ok' : c.status === 'failed' ? 'badge-danger' : 'badge-muted'}`}>{t(`fleet.compare.${c.status}`, { defaultValue: c.status })}</span>{' '}
                  {c.id && <a href={href('compare', c.id)}>{t('fleet.compare.open')}</a>}
                  {c.error && <span className="small">{c.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      {!readOnly && !!hosts && hosts.length > 1 && <FleetsSection hosts={hosts} busy={comparing} onCompare={(names) => void compareHosts(names)} />}
      {hosts?.map((h) => (
        <HostCard
          key={h.name}
          host={h}
          readOnly={readOnly}
          onRemove={() => {
            void api.removeHost(h.name).then(refresh);
          }}
        />
      ))}
      {groups.length > 0 && (
        <section className="card" data-testid="hosts-compare">
          <h2>{t('compare.title')}</h2>
          <p className="muted small">{t('compare.intro')}</p>
          {groups.map((g) => (
            <div key={g.measure} className="hosts-compare-group" data-testid={`compare-${g.measure}`}>
              <h3 id={`compare-${g.measure}`}>{t(`compare.measure.${g.measure}.title`)}</h3>
              <p className="muted small">{t(`compare.measure.${g.measure}.note`)}</p>
              <table className="num-table hosts-compare" aria-labelledby={`compare-${g.measure}`}>
                <thead>
                  <tr>
                    <th scope="col">{t('compare.model')}</th>
                    <th scope="col">{t('compare.where')}</th>
                    <th scope="col">{t(`compare.measure.${g.measure}.median`)}</th>
                    <th scope="col">{t('compare.n')}</th>
                  </tr>
                </thead>
                <tbody>
                  {g.runs.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <a href={`#/runs/${r.id}`}>{r.model}</a>
                      </td>
                      <td>{isRemote(r) ? t('compare.remote') : t('compare.local')}</td>
                      <td>{f.ms(r.medianTotalMs)}</td>
                      <td>{r.iterations}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
