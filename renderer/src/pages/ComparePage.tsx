import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '.';
import type { Comparison, ComparisonListItem } from '../../../shared/compare';
import type { PlanInput } from '../../../shared/plan';
import { ComparisonView } from '../compare/ComparisonView';
import { useFormat } from '../format';
import { useLab } from '../lab/LabContext';
import { StatusBadge } from '../result/StatusBadge';
import { href, navigate } from '../router';
import '../compare/compare.css';

/** #/compare lists comparisons and starts one; #/compare/<id> shows one, refreshing while it runs. */
export function ComparePage({ params }: PageProps) {
  return params[0] ? <CompareDetail id={params[0]} /> : <CompareHome />;
}

function CompareDetail({ id }: { id: string }) {
  const { t } = useTranslation('compare');
  const { api } = useLab();
  const [c, setC] = useState<Comparison>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const load = () =>
      api.getComparison(id).then(
        (doc) => {
          if (!live) return;
          setC(doc);
          setError(undefined);
          // Saved after each model: poll until it has ended.
          if (doc.status === 'partial') timer = setTimeout(load, 2000);
        },
        (err: Error) => {
          if (!live) return;
          setError(err.message);
          timer = setTimeout(load, 2000); // just started: the first save may not be there yet
        },
      );
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, id]);
  return (
    <div className="page">
      <p>
        <a href={href('compare')}>← {t('back')}</a>
      </p>
      {error && !c && <p className="muted">{t('waiting')}</p>}
      {!c && !error && <p className="muted">{t('loading')}</p>}
      {c?.status === 'partial' && <p className="banner banner-warn">{t('running', { done: c.models.length })}</p>}
      {c && <ComparisonView c={c} />}
    </div>
  );
}

function CompareHome() {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const { api, readOnly } = useLab();
  const [items, setItems] = useState<ComparisonListItem[]>();
  const [error, setError] = useState<string>();
  const [workload, setWorkload] = useState<'true' | 'sleep' | 'server' | 'ready-line'>('true');
  const [iterations, setIterations] = useState(20);
  const [footprint, setFootprint] = useState(10);
  const [density, setDensity] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.listComparisons().then(setItems, (err: Error) => setError(err.message));
  }, [api]);

  const start = async () => {
    setBusy(true);
    try {
      const plan: PlanInput = {
        name: t('form.defaultName', { workload }),
        workload: { kind: workload },
        startup: { iterations, warmup: 2, concurrency: 1 },
        footprint: footprint > 0 ? { instances: footprint, settleMs: 1500, rounds: 3 } : false,
        density: density > 0 ? { maxInstances: density, timeLimitS: 120, concurrency: 1 } : false,
      };
      const { comparisonId } = await api.startCompare({ plan: plan as never });
      navigate('compare', comparisonId);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </div>
      {!readOnly && (
        <form className="card compare-form" onSubmit={(e) => (e.preventDefault(), void start())}>
          <label className="field">
            <span>{t('form.workload')}</span>
            <select value={workload} onChange={(e) => setWorkload(e.target.value as typeof workload)}>
              {(['true', 'sleep', 'server', 'ready-line'] as const).map((w) => (
                <option key={w} value={w}>{t(`workload.${w}`)}</option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('form.iterations')}</span>
            <input type="number" min={1} max={1000} value={iterations} onChange={(e) => setIterations(Math.max(1, Number(e.target.value)))} />
          </label>
          <label className="field">
            <span>{t('form.footprint')}</span>
            <input type="number" min={0} max={500} value={footprint} onChange={(e) => setFootprint(Math.max(0, Number(e.target.value)))} />
          </label>
          <label className="field">
            <span>{t('form.density')}</span>
            <input type="number" min={0} max={1000} value={density} onChange={(e) => setDensity(Math.max(0, Number(e.target.value)))} />
          </label>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy}>{t('form.start')}</button>
          </div>
        </form>
      )}
      {error && <p className="banner banner-danger" role="alert">{error}</p>}
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
    </div>
  );
}
