import { useTranslation } from 'react-i18next';
import type { RaceRequest, RaceState } from '../../../shared/learn/race';
import { useFormat } from '../format';
import { RaceTimeline } from './RaceTimeline';

/** The race's figures in large type, its timeline, and (for the presenter) its controls. */
export function RaceDemo({
  race,
  elapsedMs,
  containers,
  setContainers,
  lineup,
  setLineup,
  runtimes,
  onStart,
  onCancel,
  readOnly,
  large,
  error,
}: {
  race?: RaceState;
  elapsedMs: number;
  containers: number;
  setContainers(n: number): void;
  /** What races: the containers' engine runtime (runsc for gVisor) and the VM's machine type (q35 or microvm). */
  lineup: Pick<RaceRequest, 'runtime' | 'machine'>;
  setLineup(l: Pick<RaceRequest, 'runtime' | 'machine'>): void;
  /** The runtimes the engine lists. */
  runtimes: string[];
  onStart(): void;
  onCancel(): void;
  readOnly: boolean;
  large?: boolean;
  error?: string;
}) {
  const { t } = useTranslation('workshop');
  const f = useFormat();
  const running = race?.status === 'running';
  const s = race?.summary;
  return (
    <section className="demo" aria-labelledby="race-title" data-testid="race-demo">
      <h2 id="race-title">{t('race.title', { count: race?.containers ?? containers })}</h2>
      <p className="muted">{t('race.lead')}</p>
      {!readOnly && (
        <div className="demo-controls">
          <label className="field-inline">
            <span>{t('race.containers')}</span>
            <input type="number" min={1} max={32} value={containers} disabled={running} onChange={(e) => setContainers(Math.max(1, Math.min(32, Number(e.target.value) || 1)))} data-testid="race-count" />
          </label>
          <label className="field-inline">
            <span>{t('race.runtime')}</span>
            <select value={lineup.runtime ?? ''} disabled={running} onChange={(e) => setLineup({ ...lineup, runtime: e.target.value || undefined })} data-testid="race-runtime">
              <option value="">{t('race.defaultRuntime')}</option>
              {runtimes.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label className="field-inline">
            <span>{t('race.machine')}</span>
            <select value={lineup.machine ?? 'q35'} disabled={running} onChange={(e) => setLineup({ ...lineup, machine: e.target.value as 'q35' | 'microvm' })} data-testid="race-machine">
              <option value="q35">{t('race.machineName.q35')}</option>
              <option value="microvm">{t('race.machineName.microvm')}</option>
            </select>
          </label>
          {running ? (
            <button type="button" className="button button-danger" onClick={onCancel} data-testid="race-cancel">
              {t('race.cancel')}
            </button>
          ) : (
            <button type="button" className="button button-primary" onClick={onStart} data-testid="race-start">
              {t('race.start')}
            </button>
          )}
        </div>
      )}
      {error && <p className="field-error" role="alert">{error}</p>}
      {!race && readOnly && <p className="muted">{/* audience */}</p>}
      {race && (
        <>
          <div className="race-figures" aria-live="polite">
            <div className="figure">
              <span className="figure-label">{t('race.containerReady')}</span>
              <span className="figure-value c" data-testid="race-container-median">{running && !s ? f.ms(medianSoFar(race)) : f.ms(s?.containerReadyMedianMs)}</span>
              {s?.containerReadyMaxMs !== undefined && <span className="small muted">{t('race.containerAllReady', { value: f.ms(s.containerReadyMaxMs) })}</span>}
            </div>
            <div className="figure">
              <span className="figure-label">{t('race.vmReady')}</span>
              <span className="figure-value v" data-testid="race-vm-ssh">{vmSsh(race) !== undefined ? f.ms(vmSsh(race)) : running ? f.ms(elapsedMs) : '–'}</span>
              {s?.vmAccel && <span className="small muted">{t('race.accel', { accel: s.vmAccel.toUpperCase() })}</span>}
              {s?.vmMachine && s.containerRuntime && (
                <span className="small muted" data-testid="race-lineup">
                  {t('race.lineup', { runtime: s.containerRuntime, machine: t(`race.machineName.${s.vmMachine === 'microvm' ? 'microvm' : 'q35'}`) })}
                </span>
              )}
            </div>
            {race.status === 'running' && <span className="pill">{t('race.running')}</span>}
          </div>
          <RaceTimeline race={race} elapsedMs={elapsedMs} large={large} />
          {s && race.status === 'complete' && (
            <ul className="race-verdict">
              {s.containersReadyBeforeVm !== undefined && <li>{t('race.beforeVm', { count: s.containersReadyBeforeVm, total: s.containers })}</li>}
              {s.vmSshMs && s.containerReadyMedianMs ? <li>{t('race.ratio', { ratio: f.ratio(s.vmSshMs / s.containerReadyMedianMs) })}</li> : null}
              {s.vmAccel === 'tcg' && <li className="muted">{t('race.tcgNote')}</li>}
            </ul>
          )}
          {race.status === 'cancelled' && <p className="muted">{t('race.cancelled')}</p>}
          {race.status === 'failed' && <p className="field-error">{t('race.failed', { error: race.error })}</p>}
        </>
      )}
    </section>
  );
}

function vmSsh(race: RaceState): number | undefined {
  return race.marks.find((m) => m.lane === 'vm' && m.phase === 'ssh')?.atMs;
}

function medianSoFar(race: RaceState): number | undefined {
  const r = race.marks.filter((m) => m.lane !== 'vm' && m.phase === 'ready').map((m) => m.atMs).sort((a, b) => a - b);
  if (r.length < race.containers) return undefined;
  const mid = r.length >> 1;
  return r.length % 2 ? r[mid] : (r[mid - 1] + r[mid]) / 2;
}
