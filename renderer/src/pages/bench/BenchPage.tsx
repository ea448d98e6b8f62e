import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../../shared/run';
import { useLab, useRunTrack } from '../../lab/LabContext';
import { ResultView } from '../../result/ResultView';
import type { PageProps } from '..';
import { BenchForm } from './BenchForm';
import { defaultBenchForm, toBenchRequest, type BenchFormValues } from './benchForm';
import { NotSaved } from './NotSaved';
import { RunProgress } from './RunProgress';
import { SwarmPanel } from '../../swarm/SwarmPanel';

export function BenchPage(_: PageProps) {
  const { t } = useTranslation('bench');
  const { api, info, connectionError, readOnly, benchRunId, setBenchRunId } = useLab();
  const [values, setValues] = useState<BenchFormValues>(defaultBenchForm);
  const [startError, setStartError] = useState<string>();
  /** The run a cancel was asked for: it reads as cancelling until it ends. */
  const [cancelledId, setCancelledId] = useState<string>();
  const [result, setResult] = useState<Run>();
  const track = useRunTrack(benchRunId);
  const finished = track?.finished;
  const running = !!benchRunId && !finished;
  const cancelling = running && cancelledId === benchRunId;

  // A run already under way (page reloaded, or started from another window): follow it.
  useEffect(() => {
    if (!benchRunId && info?.activeRuns.length) setBenchRunId(info.activeRuns[0]);
  }, [benchRunId, info, setBenchRunId]);

  // When the run ends, load what it saved. A run that failed before it started may have saved nothing.
  useEffect(() => {
    if (!finished || !benchRunId) return;
    let live = true;
    api.getRun(benchRunId).then(
      (r) => live && setResult(r),
      () => live && setResult(undefined),
    );
    return () => {
      live = false;
    };
  }, [api, benchRunId, finished]);

  const { request, errors } = toBenchRequest(values);
  const swarm = values.target === 'swarm';
  const engineDown = !!info && !info.docker.ok;
  const blocked = connectionError ? t('blocked.connection') : !info ? t('blocked.checking') : values.target === 'containers' && engineDown ? t('blocked.engine') : undefined;

  const start = async () => {
    if (!request) return;
    setStartError(undefined);
    setResult(undefined);
    try {
      const { runId } = await api.startBench(request);
      setBenchRunId(runId);
    } catch (err) {
      setStartError((err as Error).message);
    }
  };

  const cancel = async () => {
    if (!benchRunId) return;
    setCancelledId(benchRunId);
    await api.cancelRun(benchRunId).catch((err: Error) => setStartError(err.message));
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </div>
      <section className="card">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <BenchForm values={values} onChange={setValues} errors={errors} info={info} disabled={running || readOnly} />
          {!readOnly && !swarm && (
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={running || !!blocked || !request} aria-describedby={blocked ? 'run-blocked' : undefined} data-testid="run">
                {t('run')}
              </button>
              {blocked && (
                <span id="run-blocked" className="muted" data-testid="run-blocked">
                  {blocked}
                </span>
              )}
            </div>
          )}
          {readOnly && <p className="muted">{t('readOnly')}</p>}
        </form>
      </section>
      {swarm && <SwarmPanel />}
      {startError && (
        <div className="banner banner-danger" role="alert">
          <div>
            <strong>{t('startFailed')}</strong>
            <p className="banner-text">{startError}</p>
          </div>
        </div>
      )}
      {running && <RunProgress track={track} onCancel={readOnly ? undefined : () => void cancel()} cancelling={cancelling} />}
      {finished?.notSaved && <NotSaved info={finished.notSaved} />}
      {finished?.status === 'failed' && !result && !finished.notSaved && (
        <div className="banner banner-danger" role="alert" data-testid="run-error">
          <div>
            <strong>{t('failed')}</strong>
            <p className="banner-text">{finished.error ?? t('failedNoReason')}</p>
          </div>
        </div>
      )}
      {finished && !finished.notSaved && result && result.id === benchRunId && <ResultView run={result} showOpenLink />}
    </div>
  );
}
