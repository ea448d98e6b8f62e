import { useEffect, useState } from 'react';
import type { LabEvent } from '../../../shared/api';
import type { Comparison } from '../../../shared/compare';
import { early } from '../lab/early';
import { useLab } from '../lab/LabContext';

type Progress = Extract<LabEvent, { type: 'progress' }>;

/** Where a comparison under way stands, from its events: the model and stage, and that model's last iteration. */
export interface CompareLive {
  model?: string;
  stage?: string;
  progress?: Progress;
}

export interface ComparisonState {
  c?: Comparison;
  error?: string;
  /** This engine is running the comparison: its events will come (a reload asks info() once). */
  running: boolean;
  live: CompareLive;
}

/**
 * One comparison, followed by its events as the Bench page follows a run: the document is read once on mount
 * (so a reload recovers), then again each time a model is done (the engine saved it) and when it ends. No polling.
 */
export function useComparison(id: string): ComparisonState {
  const { api } = useLab();
  const [state, setState] = useState<ComparisonState>({ running: false, live: {} });

  useEffect(() => {
    let live = true;
    const update = (f: (s: ComparisonState) => ComparisonState) => live && setState(f);
    const load = () =>
      early(api, 'getComparison', id).then(
        (c) => update((s) => ({ ...s, c, error: undefined })),
        // Just started: the first save may not be there yet; its first event reloads it.
        (err: Error) => update((s) => ({ ...s, error: err.message })),
      );
    // Subscribed before the first read, so nothing between the two is missed.
    const off = api.onEvent((e) => {
      if (e.type === 'compare-progress' && e.comparisonId === id) {
        update((s) => ({ ...s, running: true, live: { model: e.model, stage: e.stage, progress: s.live.model === e.model ? s.live.progress : undefined } }));
        // A new model or stage: the engine saved the document after the one before.
        void load();
      } else if (e.type === 'progress' && e.jobId === id) {
        update((s) => ({ ...s, running: true, live: { ...s.live, model: s.live.model ?? e.model, progress: e } }));
      } else if (e.type === 'compare-finished' && e.comparisonId === id) {
        update((s) => ({ ...s, running: false, live: {} }));
        void load();
      }
    });
    void load();
    api.info().then(
      (info) => update((s) => ({ ...s, running: s.running || info.activeJobs.some((j) => j.id === id) })),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [api, id]);
  return state;
}
