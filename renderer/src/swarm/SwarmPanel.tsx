import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LabEvent } from '../../../shared/api';
import { isSwarmNeedsConsent, type SwarmDoc } from '../../../shared/swarm';
import { useLab } from '../lab/LabContext';
import { SwarmConsent } from './SwarmConsent';
import { SwarmProgressCard, type SwarmProgressEvent } from './SwarmProgress';
import { SwarmHistory } from './SwarmHistory';
import { SwarmResult } from './SwarmResult';
import { defaultSwarmForm, toSwarmRequest, type SwarmFormValues } from './swarmForm';
import './swarm.css';

type Finished = Extract<LabEvent, { type: 'swarm-finished' }>;

/**
 * The Swarm model on the Bench page: a Docker Swarm service against N bare containers on the local engine. An
 * engine in no swarm gets one only after the user agreed in SwarmConsent; the engine refuses otherwise.
 */
export function SwarmPanel() {
  const { t } = useTranslation('swarm');
  const { api, info, connectionError, readOnly } = useLab();
  const [values, setValues] = useState<SwarmFormValues>(defaultSwarmForm);
  const [startedId, setSwarmId] = useState<string>();
  // A swarm bench already under way (page reloaded, another window) is followed until this page starts one.
  const swarmId = startedId ?? info?.activeJobs.find((j) => j.kind === 'swarm-bench')?.id;
  const [progress, setProgress] = useState<SwarmProgressEvent>();
  const [finished, setFinished] = useState<Finished>();
  const [doc, setDoc] = useState<SwarmDoc>();
  const [startError, setStartError] = useState<string>();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const running = !!swarmId && !finished;

  useEffect(() => {
    if (!swarmId) return;
    return api.onEvent((e) => {
      if (e.type === 'swarm-progress' && e.swarmId === swarmId) setProgress(e);
      else if (e.type === 'swarm-finished' && e.swarmId === swarmId) {
        setSwarmId(e.swarmId); // a followed job leaves info's list now: keep showing it
        setFinished(e);
      }
    });
  }, [api, swarmId]);

  // When it ends, read what it saved (a bench refused or broken before its first save saved nothing).
  useEffect(() => {
    if (!finished || !swarmId) return;
    let live = true;
    api.getSwarm(swarmId).then(
      (d) => live && setDoc(d),
      (err: Error) => live && setStartError(err.message),
    );
    return () => {
      live = false;
    };
  }, [api, finished, swarmId]);

  const { request, errors } = toSwarmRequest(values);
  const engineDown = !!info && !info.docker.ok;
  const endpoint = info?.docker.ok ? info.docker.engine.endpoint : undefined;
  const blocked = connectionError ? t('blocked.connection') : !info ? t('blocked.checking') : engineDown ? t('blocked.engine') : undefined;
  const set = <K extends keyof SwarmFormValues>(k: K, v: SwarmFormValues[K]) => setValues({ ...values, [k]: v });

  const start = async (consent: boolean) => {
    const { request: req } = toSwarmRequest(values, consent);
    if (!req) return;
    setBusy(true);
    setStartError(undefined);
    setDoc(undefined);
    setFinished(undefined);
    setProgress(undefined);
    setCancelling(false);
    try {
      const { id } = await api.startSwarm(req);
      setAsking(false);
      setSwarmId(id);
    } catch (err) {
      // The engine is in no swarm: ask, and send the same request again with the user's consent.
      if (!consent && isSwarmNeedsConsent(err)) setAsking(true);
      else {
        setAsking(false);
        setStartError((err as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (!swarmId) return;
    setCancelling(true);
    await api.cancelJob(swarmId).catch((err: Error) => setStartError(err.message));
  };

  const field = (k: 'replicas' | 'scaleTo' | 'rounds' | 'warmup', min: number, max: number, disabled = false) => (
    <label className="field">
      <span>{t(`form.${k}`)}</span>
      <input type="number" min={min} max={max} value={values[k]} disabled={disabled} onChange={(e) => set(k, e.target.value)} aria-invalid={!!errors[k]} data-testid={`swarm-${k}`} />
      <small className={errors[k] ? 'field-error' : 'field-hint'}>{errors[k] ?? t(`form.${k}Hint`)}</small>
    </label>
  );

  return (
    <>
      <section className="card" data-testid="swarm-panel">
        <h2>{t('title')}</h2>
        <p className="muted">{t('intro')}</p>
        {!readOnly && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void start(false);
            }}
          >
            <fieldset className="form-grid" disabled={running || busy || asking}>
              <legend className="visually-hidden">{t('title')}</legend>
              {field('replicas', 1, 100)}
              <label className="field field-check">
                <input type="checkbox" checked={values.scale} onChange={(e) => set('scale', e.target.checked)} data-testid="swarm-scale" />
                <span>
                  {t('form.scale')}
                  <small className="field-hint">{t('form.scaleHint')}</small>
                </span>
              </label>
              {field('scaleTo', 2, 200, !values.scale)}
              {field('rounds', 1, 50)}
              {field('warmup', 0, 10)}
              <label className="field field-check">
                <input type="checkbox" checked={values.bare} onChange={(e) => set('bare', e.target.checked)} data-testid="swarm-bare" />
                <span>
                  {t('form.bare')}
                  <small className="field-hint">{t('form.bareHint')}</small>
                </span>
              </label>
            </fieldset>
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={running || busy || asking || !!blocked || !request} data-testid="swarm-start">
                {t('start')}
              </button>
              {blocked && <span className="muted">{blocked}</span>}
            </div>
          </form>
        )}
        {readOnly && <p className="muted">{t('readOnly')}</p>}
      </section>
      {asking && <SwarmConsent endpoint={endpoint} busy={busy} onAccept={() => void start(true)} onCancel={() => setAsking(false)} />}
      {startError && (
        <div className="banner banner-danger" role="alert" data-testid="swarm-start-error">
          <div>
            <strong>{t('startFailed')}</strong>
            <p className="banner-text">{startError}</p>
          </div>
        </div>
      )}
      {running && <SwarmProgressCard progress={progress} onCancel={readOnly ? undefined : () => void cancel()} cancelling={cancelling} />}
      {finished?.notSaved && (
        <div className="banner banner-danger" role="alert">
          <p className="banner-text">{t('notSaved')}</p>
        </div>
      )}
      {finished && !doc && !finished.notSaved && finished.status === 'failed' && (
        <div className="banner banner-danger" role="alert" data-testid="swarm-failed">
          <p className="banner-text">{t('failedNoDoc')}</p>
        </div>
      )}
      {doc && doc.id === swarmId && <SwarmResult doc={doc} />}
      <SwarmHistory refresh={finished} hide={running ? swarmId : doc?.id} />
    </>
  );
}
