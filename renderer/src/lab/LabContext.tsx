import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { LabApi, LabInfo } from '../../../shared/api';
import { isAudience, labClient } from '../api';
import { early } from './early';
import { RunTracker, type RunEvent, type RunTrack } from './runTracker';

export interface LabState {
  api: LabApi;
  /** Undefined until the first answer. */
  info?: LabInfo;
  /** The face cannot reach the engine at all (browser mode: server gone or wrong token). */
  connectionError?: string;
  /** Browser mode's read-only viewer: no Run, Cancel or Delete. */
  readOnly: boolean;
  refreshInfo(): void;
  tracker: RunTracker;
  /** The run the Bench page started or adopted; kept here so it survives a visit to another page. */
  benchRunId?: string;
  setBenchRunId(id: string | undefined): void;
}

const LabCtx = createContext<LabState | null>(null);

export function LabProvider({ children, api: given }: { children: ReactNode; api?: LabApi }) {
  const api = useMemo(() => given ?? labClient(), [given]);
  const tracker = useMemo(() => new RunTracker(api), [api]);
  const [info, setInfo] = useState<LabInfo>();
  const [connectionError, setConnectionError] = useState<string>();
  const [benchRunId, setBenchRunId] = useState<string>();

  const refreshInfo = useCallback(() => {
    early(api, 'info').then(
      (i) => {
        setInfo(i);
        setConnectionError(undefined);
      },
      (err: Error) => setConnectionError(err.message),
    );
  }, [api]);

  useEffect(refreshInfo, [refreshInfo]);
  // A finished run can change the engine's state (active runs) and proves the connection is back.
  useRunEvent(tracker, (e) => e.type !== 'progress' && refreshInfo());

  const value = useMemo<LabState>(
    () => ({ api, info, connectionError, readOnly: isAudience(), refreshInfo, tracker, benchRunId, setBenchRunId }),
    [api, info, connectionError, refreshInfo, tracker, benchRunId],
  );
  return <LabCtx.Provider value={value}>{children}</LabCtx.Provider>;
}

export function useLab(): LabState {
  const ctx = useContext(LabCtx);
  if (!ctx) throw new Error('useLab() outside <LabProvider>');
  return ctx;
}

/** Calls `listener` for each run event (started, progress, finished) while the component is mounted. */
export function useRunEvent(tracker: RunTracker, listener: (e: RunEvent) => void): void {
  // The latest listener, without subscribing again each render.
  const latest = useRef(listener);
  useLayoutEffect(() => {
    latest.current = listener;
  });
  useEffect(() => tracker.subscribe((e) => latest.current(e)), [tracker]);
}

/** The live state of one run, re-rendering on each of its events. */
export function useRunTrack(runId: string | undefined): RunTrack | undefined {
  const { tracker } = useLab();
  useSyncExternalStore(tracker.subscribe, tracker.getVersion);
  return tracker.get(runId);
}
