import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '.';
import type { ComparisonListItem } from '../../../shared/compare';
import { isPlanNeedsTrust, planHostCommands, type HostCommand } from '../../../shared/consent';
import { fixedCountsOf } from '../../../shared/adaptive/wiring';
import type { PlanInput } from '../../../shared/plan';
import { ComparisonView } from '../compare/ComparisonView';
import { CompareProgress } from '../compare/CompareProgress';
import { WhereField } from '../machines/WhereField';
import { MachinesView } from '../machines/MachinesView';
import { useComparison } from '../compare/useComparison';
import { useFormat } from '../format';
import { useLab } from '../lab/LabContext';
import { PlanConsent } from '../plans/PlanConsent';
import { PlanFileField, type OpenedPlan } from '../plans/PlanFileField';
import { StatusBadge } from '../result/StatusBadge';
import { href, navigate } from '../router';
import '../compare/compare.css';

/** #/compare lists comparisons and starts one; #/compare/<id> shows one, following its events while it runs. */
export function ComparePage({ params }: PageProps) {
  return params[0] ? <CompareDetail id={params[0]} /> : <CompareHome />;
}

function CompareDetail({ id }: { id: string }) {
  const { t } = useTranslation('compare');
  const { api, readOnly } = useLab();
  // Follows the comparison's events; reads the document once on mount, so a reload recovers.
  const { c, error, running, live } = useComparison(id);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string>();
  const cancel = () => {
    setCancelling(true);
    api.cancelCompare(id).then(
      () => setCancelling(false),
      (err: Error) => (setCancelling(false), setCancelError(err.message)),
    );
  };
  return (
    <div className="page">
      <p>
        <a href={href('compare')}>← {t('back')}</a>
      </p>
      {error && !c && <p className="muted">{t('waiting')}</p>}
      {!c && !error && <p className="muted">{t('loading')}</p>}
      {(running || c?.status === 'partial') && <CompareProgress live={live} done={c?.models.length ?? 0} cancelling={cancelling} onCancel={running && !readOnly ? cancel : undefined} />}
      {cancelError && <p className="banner banner-danger" role="alert">{cancelError}</p>}
      {c && <ComparisonView c={c} />}
    </div>
  );
}

function CompareHome() {
  const { t } = useTranslation('compare');
  const tm = useTranslation('machines').t;
  const f = useFormat();
  const { api, readOnly } = useLab();
  const [items, setItems] = useState<ComparisonListItem[]>();
  const [error, setError] = useState<string>();
  const [workload, setWorkload] = useState<'true' | 'sleep' | 'server' | 'ready-line'>('true');
  /** Empty: adaptive (until the median is within ±5%); a number fixes the count. */
  const [iterations, setIterations] = useState('');
  const [budget, setBudget] = useState('standard');
  const [footprint, setFootprint] = useState(10);
  const [density, setDensity] = useState(0);
  const [busy, setBusy] = useState(false);
  /** A plan file the user opened: it decides everything, the fields below step aside. */
  const [planFile, setPlanFile] = useState<OpenedPlan>();
  /** The plan waiting for the user's consent to run its own command on this host. */
  const [asking, setAsking] = useState<{ plan: PlanInput; commands: HostCommand[] }>();
  /** Where to compare: '' for this machine, else a saved host's name. */
  const [where, setWhere] = useState('');
  const [view, setView] = useState<'saved' | 'machines'>('saved');

  useEffect(() => {
    api.listComparisons().then(setItems, (err: Error) => setError(err.message));
  }, [api]);

  const formPlan = (): PlanInput => ({
    name: t('form.defaultName', { workload }),
    workload: { kind: workload },
    startup: iterations ? { iterations: Math.max(1, Number(iterations)), warmup: 2, concurrency: 1 } : { warmup: 2, concurrency: 1 },
    footprint: footprint > 0 ? { instances: footprint, settleMs: 1500, rounds: 3 } : false,
    density: density > 0 ? { maxInstances: density, timeLimitS: 120, concurrency: 1 } : false,
  });

  const send = async (plan: PlanInput, trustPlan: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      // The engine gets the plan with its defaults filled in: say here which counts the user fixed.
      const fixedCounts = planFile ? planFile.fixedCounts : fixedCountsOf(plan);
      const { comparisonId } = await api.startCompare({ plan, trustPlan, budget: budget.trim() || undefined, fixedCounts, host: where || undefined });
      navigate('compare', comparisonId);
    } catch (err) {
      // The engine decides too: if it still asks, ask the user rather than show its refusal.
      if (isPlanNeedsTrust(err) && !trustPlan) setAsking({ plan, commands: planHostCommands(plan) });
      else setError(where ? tm('where.failed', { host: where, message: (err as Error).message }) : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const start = () => {
    const plan = planFile?.plan ?? formPlan();
    const commands = planHostCommands(plan);
    // The plan's own command would run straight on this host: show it and wait for a yes.
    if (commands.length) setAsking({ plan, commands });
    else void send(plan, false);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </div>
      {!readOnly && (
        <form className="card compare-form" onSubmit={(e) => (e.preventDefault(), start())}>
          <PlanFileField plan={planFile} onPlan={setPlanFile} disabled={busy || !!asking} />
          <WhereField value={where} onChange={setWhere} disabled={busy || !!asking} />
          <label className="field">
            <span>{t('form.workload')}</span>
            <select value={workload} disabled={!!planFile} onChange={(e) => setWorkload(e.target.value as typeof workload)}>
              {(['true', 'sleep', 'server', 'ready-line'] as const).map((w) => (
                <option key={w} value={w}>{t(`workload.${w}`)}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('form.iterations')}</span>
            <input type="number" min={1} max={1000} value={iterations} placeholder={t('form.iterationsAdaptive')} disabled={!!planFile} onChange={(e) => setIterations(e.target.value)} />
          </label>
          <label className="field">
            <span>{t('form.budget')}</span>
            <input type="text" list="compare-budgets" value={budget} placeholder={t('form.budgetHint')} data-testid="compare-budget" onChange={(e) => setBudget(e.target.value)} />
            <datalist id="compare-budgets">
              {['demo', 'standard', '60s', '2m', 'none'].map((b) => (
                <option key={b} value={b} />
              ))}
            </datalist>
          </label>
          <label className="field">
            <span>{t('form.footprint')}</span>
            <input type="number" min={0} max={500} value={footprint} disabled={!!planFile} onChange={(e) => setFootprint(Math.max(0, Number(e.target.value)))} />
          </label>
          <label className="field">
            <span>{t('form.density')}</span>
            <input type="number" min={0} max={1000} value={density} disabled={!!planFile} onChange={(e) => setDensity(Math.max(0, Number(e.target.value)))} />
          </label>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy || !!asking} data-testid="compare-start">{t('form.start')}</button>
          </div>
        </form>
      )}
      {asking && (
        <PlanConsent
          commands={asking.commands}
          onCancel={() => setAsking(undefined)}
          onConfirm={() => {
            const { plan } = asking;
            setAsking(undefined);
            void send(plan, true);
          }}
        />
      )}
      {error && <p className="banner banner-danger" role="alert" data-testid="compare-error">{error}</p>}
      <div className="tabs compare-tabs" role="tablist" aria-label={t('title')}>
        {(['saved', 'machines'] as const).map((k) => (
          <button key={k} type="button" role="tab" id={`compare-tab-${k}`} aria-selected={view === k} aria-controls={`compare-panel-${k}`} className={`tab${view === k ? ' tab-active' : ''}`} onClick={() => setView(k)} data-testid={`compare-tab-${k}`}>
            {k === 'saved' ? tm('tabSaved') : tm('tab')}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`compare-panel-${view}`} aria-labelledby={`compare-tab-${view}`}>
        {view === 'machines' ? (
          <MachinesView />
        ) : (
        <section className="card">
          <h2>{t('saved')}</h2>
          {!items && <p className="muted">{t('loading')}</p>}
          {items?.length === 0 && <p className="muted">{t('empty')}</p>}
          <ul className="compare-list" data-testid="comparisons">
            {items?.map((c) => (
              <li key={c.id}>
                <a href={href('compare', c.id)}>{c.label ?? c.id}</a> <StatusBadge status={c.status} />
                <span className="muted small">{f.date(c.startedAt)}</span>
                <span className="muted small mono">
                  {c.models.map((m) => `${m.model} ${m.status === 'ok' ? f.ms(m.medianReadyMs) : t(`status.${m.status}`)}`).join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
        )}
      </div>
    </div>
  );
}
