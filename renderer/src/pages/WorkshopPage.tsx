import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../learn/learn.css';
import '../workshop/workshop.css';
import type { DensityDemo as Density, Kernels, RaceRequest, WorkshopView } from '../../../shared/learn/race';
import { useLab } from '../lab/LabContext';
import { DensityDemo } from '../workshop/DensityDemo';
import { RaceDemo } from '../workshop/RaceDemo';
import { SharedDemo } from '../workshop/SharedDemo';
import { kernelsFrom } from '../workshop/kernels';
import { useRace } from '../workshop/useRace';
import type { PageProps } from '.';

const DEMOS = ['race', 'density', 'shared'] as const;
type Demo = (typeof DEMOS)[number];

/**
 * Workshop mode. The presenter picks a demo and runs it; "Present" opens a full-screen view in large type
 * driven from the keyboard. In browser mode's audience view (read-only) the page follows the presenter's race
 * from the broadcast events.
 */
export function WorkshopPage(_: PageProps) {
  const { t } = useTranslation('workshop');
  const { api, readOnly, info } = useLab();
  const { race, elapsedMs } = useRace();
  const [demo, setDemo] = useState<Demo>('race');
  const [presenting, setPresenting] = useState(false);
  const [containers, setContainers] = useState(8);
  const [lineup, setLineup] = useState<Pick<RaceRequest, 'runtime' | 'machine'>>({ machine: 'q35' });
  const [raceError, setRaceError] = useState<string>();
  const [density, setDensity] = useState<Density>();
  const [kernels, setKernels] = useState<Kernels>();
  const [busy, setBusy] = useState<Demo>();
  const overlay = useRef<HTMLDivElement>(null);

  const startRace = useCallback(async () => {
    setRaceError(undefined);
    try {
      await api.startRace({ containers, ...lineup });
    } catch (e) {
      setRaceError((e as Error).message);
    }
  }, [api, containers, lineup]);
  const cancelRace = useCallback(() => {
    if (race?.status === 'running') void api.cancelRace(race.raceId);
  }, [api, race]);
  const measure = useCallback(async () => {
    setBusy('density');
    try {
      setDensity(await api.densityDemo());
    } finally {
      setBusy(undefined);
    }
  }, [api]);
  const ask = useCallback(async () => {
    setBusy('shared');
    try {
      setKernels(await api.workshopKernels());
    } finally {
      setBusy(undefined);
    }
  }, [api]);

  const act = useCallback(() => {
    if (readOnly) return;
    if (demo === 'race') return race?.status === 'running' ? cancelRace() : void startRace();
    if (demo === 'density' && !busy) return void measure();
    if (demo === 'shared' && !busy) return void ask();
  }, [readOnly, demo, race, cancelRace, startRace, measure, ask, busy]);

  const leave = useCallback(() => {
    setPresenting(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  }, []);

  // Keyboard control of the presenter view: arrows change demo, Space acts, F toggles full screen, Esc leaves.
  useEffect(() => {
    if (!presenting) return;
    overlay.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (e.key === 'Tab' && overlay.current) {
        // Keep the focus inside the view: the page behind it is covered.
        const items = [...overlay.current.querySelectorAll<HTMLElement>('button:not(:disabled), input, summary, a[href], [tabindex="0"]')];
        if (!items.length) return;
        const i = items.indexOf(document.activeElement as HTMLElement);
        if (e.shiftKey && i <= 0) {
          e.preventDefault();
          items[items.length - 1].focus();
        } else if (!e.shiftKey && (i === -1 || i === items.length - 1)) {
          e.preventDefault();
          items[0].focus();
        }
        return;
      }
      if (el.closest('input, select, textarea, summary')) return;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        setDemo((d) => DEMOS[(DEMOS.indexOf(d) + (e.key === 'ArrowRight' ? 1 : DEMOS.length - 1)) % DEMOS.length]);
      } else if (e.key === ' ' && !el.closest('button, a')) {
        e.preventDefault();
        act();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        leave();
      } else if (e.key === 'f' || e.key === 'F') {
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
        else void overlay.current?.requestFullscreen().catch(() => {});
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [presenting, act, leave]);

  // The presenter's demo and results are broadcast; the audience shows the same (and catches up on arrival), and
  // follows the race: when the presenter starts one, or one runs as it arrives, it shows the race.
  useEffect(() => {
    if (!readOnly) return;
    const apply = (v: WorkshopView) => {
      setDemo(v.demo);
      setDensity(v.density);
      setKernels(v.kernels);
    };
    void api
      .workshopView()
      .then(apply, () => undefined)
      .then(() => api.raceState())
      .then((r) => r?.status === 'running' && setDemo('race'))
      .catch(() => undefined);
    return api.onEvent((e) => {
      if (e.type === 'workshop-view') apply(e.view);
      else if (e.type === 'race-started') setDemo('race');
    });
  }, [api, readOnly]);
  useEffect(() => {
    if (!readOnly) void api.setWorkshopDemo(demo).catch(() => undefined);
  }, [api, readOnly, demo]);

  const body = (large: boolean) => (
    <>
      <div className="demo-tabs" role="group" aria-label={t('demos.label')}>
        {DEMOS.map((d) => (
          <button key={d} type="button" className={`button${d === demo ? ' is-current' : ''}`} aria-pressed={d === demo} onClick={() => setDemo(d)} data-testid={`demo-${d}`}>
            {t(`demos.${d}`)}
          </button>
        ))}
      </div>
      {demo === 'race' && (
        <>
          {readOnly && !race && <p className="muted">{t('audience.waiting')}</p>}
          <RaceDemo race={race} elapsedMs={elapsedMs} containers={containers} setContainers={setContainers} lineup={lineup} setLineup={setLineup} runtimes={info?.docker.ok ? (info.docker.engine.runtimes ?? []) : []} onStart={() => void startRace()} onCancel={cancelRace} readOnly={readOnly} large={large} error={raceError} />
        </>
      )}
      {demo === 'density' && <DensityDemo data={density} busy={busy === 'density'} onMeasure={() => void measure()} readOnly={readOnly} />}
      {demo === 'shared' && <SharedDemo kernels={kernelsFrom(race?.summary, kernels)} busy={busy === 'shared'} onAsk={() => void ask()} readOnly={readOnly} />}
    </>
  );

  if (presenting) {
    return (
      <div className="presenter" ref={overlay} role="dialog" aria-modal="true" aria-label={t('title')} tabIndex={-1} data-testid="presenter">
        <div className="presenter-bar">
          <strong>isolab · {t('title')}</strong>
          <p className="presenter-keys" data-testid="presenter-keys">{t('keys')}</p>
          <div className="presenter-tools">
            <button type="button" className="button" onClick={() => void overlay.current?.requestFullscreen().catch(() => {})}>
              {t('fullscreen')}
            </button>
            <button type="button" className="button" onClick={leave} data-testid="presenter-leave">
              {t('leave')}
            </button>
          </div>
        </div>
        <div className="presenter-body">{body(true)}</div>
      </div>
    );
  }

  return (
    <div className={`page workshop${readOnly ? ' is-audience' : ''}`}>
      <div className="page-head page-head-row">
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
        </div>
        {!readOnly && (
          <button type="button" className="button button-primary" onClick={() => setPresenting(true)} data-testid="present">
            {t('present')}
          </button>
        )}
      </div>
      {readOnly && (
        <p className="banner banner-warn" data-testid="audience-banner">
          <strong>{t('audience.banner')}</strong>
        </p>
      )}
      <div className="card">{body(readOnly)}</div>
    </div>
  );
}
