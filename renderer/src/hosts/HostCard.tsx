import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostListItem, HostTestResult } from '../../../shared/api-hosts';
import type { Run } from '../../../shared/run';
import { useFormat } from '../format';
import { useLab } from '../lab/LabContext';
import { FingerprintPrompt } from './FingerprintPrompt';
import { HostResult } from './HostResult';

const BADGE: Record<HostTestResult['status'], string> = {
  ok: 'badge-ok',
  'unknown-key': 'badge-warn',
  'changed-key': 'badge-danger',
  'refused-key': 'badge-danger',
  'needs-passphrase': 'badge-warn',
  'auth-failed': 'badge-danger',
  unreachable: 'badge-danger',
  error: 'badge-danger',
};

/** One host: test the connection (fingerprint and passphrase prompts), run the probes, show the result. */
export function HostCard({ host, onRemove, readOnly }: { host: HostListItem; onRemove(): void; readOnly: boolean }) {
  const { t } = useTranslation('hosts');
  const f = useFormat();
  const { api } = useLab();
  const [test, setTest] = useState<HostTestResult>();
  const [busy, setBusy] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [remember, setRemember] = useState(false);
  const [reboot, setReboot] = useState(false);
  const [containers, setContainers] = useState(false);
  const [runId, setRunId] = useState<string>();
  const [step, setStep] = useState<string>();
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<string>();
  const [cancelled, setCancelled] = useState(false);

  useEffect(() => {
    if (!runId) return;
    return api.onEvent((e) => {
      if (e.type === 'host-progress' && e.runId === runId && e.step !== 'saved') setStep(e.step === 'failed' ? undefined : e.step);
      if (e.type === 'progress' && e.runId === runId) setStep(`${e.phase} ${e.iteration}/${e.total}`);
      if (e.type === 'run-finished' && e.runId === runId) {
        setStep(undefined);
        setBusy(false);
        setCancelled(e.status === 'cancelled');
        if (e.error && e.status !== 'cancelled') setError(e.error);
        api.getRun(runId).then(setRun, () => undefined);
      }
    });
  }, [api, runId]);

  // The newest saved probe of this host, so a result stays in view across visits and after a fleet run.
  const loadNewest = useCallback(
    (replace: boolean) =>
      api.listRuns().then(
        (items) => {
          const last = items.find((r) => r.model === `host:${host.name}` && r.status === 'complete');
          if (last) api.getRun(last.id).then((r) => setRun((cur) => (replace ? r : (cur ?? r))), () => undefined);
        },
        () => undefined,
      ),
    [api, host.name],
  );
  useEffect(() => {
    void loadNewest(false);
    return api.onEvent((e) => {
      if (e.type === 'host-progress' && e.fleetId && e.host === host.name && e.step === 'saved') void loadNewest(true);
    });
  }, [api, host.name, loadNewest]);

  const doTest = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.testHost({ target: host.name, passphrase: passphrase || undefined, rememberPassphrase: (remember && !test?.keychain) || undefined });
      setTest(r);
      if (r.status === 'ok') setPassphrase('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const accept = async () => {
    if (!test?.fingerprint) return;
    setBusy(true);
    try {
      await api.acceptHostKey({ target: host.name, fingerprint: test.fingerprint });
      setBusy(false);
      await doTest();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const probe = async () => {
    setBusy(true);
    setError(undefined);
    setCancelled(false);
    setRun(undefined);
    try {
      const { runId: id } = await api.startHostBench({ target: host.name, reboot, containers, passphrase: passphrase || undefined });
      setRunId(id);
      setStep('connect');
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  // The host bench is a job whose id is its run id: cancelling it closes the connections and removes what it started there.
  const cancel = () => {
    if (runId) api.cancelJob(runId).catch((err: Error) => setError(err.message));
  };

  return (
    <article className="card hosts-card" data-testid={`host-${host.name}`}>
      <div className="section-head">
        <h2>
          {host.name} <span className="tag tag-muted">{t(`source.${host.source}`)}</span>
        </h2>
        <span className="mono small muted">{test?.resolved ?? host.target}</span>
      </div>
      {test && (
        <p>
          <span className={`badge ${BADGE[test.status]}`} data-testid="test-status">
            {t(`status.${test.status}`)}
          </span>{' '}
          {test.status === 'ok' && <span className="muted">{t('test.latency', { connect: f.ms(test.connectMs), exec: f.ms(test.execMs) })}</span>}
        </p>
      )}
      {test?.status === 'ok' && test.keychain && (
        <p className="small banner-warn" role="status" data-testid="passphrase-not-remembered">
          {t('passphrase.notRemembered', { why: t(`passphrase.keychain.${test.keychain}`) })}
        </p>
      )}
      {test?.status === 'unknown-key' && <FingerprintPrompt result={test} busy={busy} onAccept={() => void accept()} onReject={() => setTest(undefined)} />}
      {test && ['changed-key', 'refused-key', 'auth-failed', 'unreachable', 'error'].includes(test.status) && (
        <div className="banner banner-danger" role="alert">
          <div className="banner-text">
            {test.status === 'changed-key' && <strong>{t('changed.title')}</strong>}
            <p>{test.message}</p>
          </div>
        </div>
      )}
      {test?.status === 'needs-passphrase' && (
        <div className="form-grid">
          <label className="field">
            <span>{t('passphrase.label', { file: test.identityFile })}</span>
            <input type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </label>
          <label className="field-check">
            <input type="checkbox" checked={remember && !test.keychain} onChange={(e) => setRemember(e.target.checked)} disabled={!!test.keychain} data-testid="remember-passphrase" /> {t('passphrase.remember')}
          </label>
          {/* Why the keychain cannot be used here (none, or Linux's basic_text that does not encrypt). */}
          <p className="small muted" data-testid="passphrase-note">
            {test.keychain ? t(`passphrase.keychain.${test.keychain}`) : t('passphrase.note')}
          </p>
        </div>
      )}
      {!readOnly && (
        <div className="form-actions">
          <button type="button" className="button" onClick={() => void doTest()} disabled={busy} data-testid="test-host">
            {t('test.button')}
          </button>
          <label className="field-check">
            <input type="checkbox" checked={containers} onChange={(e) => setContainers(e.target.checked)} disabled={busy} /> {t('probe.containers')}
          </label>
          <label className="field-check">
            <input type="checkbox" checked={reboot} onChange={(e) => setReboot(e.target.checked)} disabled={busy} data-testid="reboot-consent" /> {t('probe.reboot')}
          </label>
          <button type="button" className="button button-primary" onClick={() => void probe()} disabled={busy || test?.status !== 'ok'} title={test?.status !== 'ok' ? t('probe.testFirst') : undefined} data-testid="probe-host">
            {t('probe.button')}
          </button>
          {busy && runId && step && (
            <button type="button" className="button" onClick={cancel} data-testid="cancel-probe">
              {t('probe.cancel')}
            </button>
          )}
          {host.source === 'saved' && (
            <button type="button" className="button button-danger button-small" onClick={onRemove} disabled={busy}>
              {t('remove')}
            </button>
          )}
        </div>
      )}
      {reboot && <p className="small banner-warn">{t('probe.rebootWarning')}</p>}
      {step && busy && (
        <p className="muted" role="status" aria-live="polite">
          {t('probe.step', { step })}
        </p>
      )}
      {cancelled && (
        <p className="muted" role="status" data-testid="probe-cancelled">
          {t('probe.cancelled')}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {run && run.status !== 'complete' && run.error && <p className="field-error">{run.error}</p>}
      {run && run.summary.connect && <HostResult run={run} />}
    </article>
  );
}
