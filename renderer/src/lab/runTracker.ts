import type { LabApi, LabEvent } from '../../../shared/api';

type Started = Extract<LabEvent, { type: 'run-started' }>;
type Progress = Extract<LabEvent, { type: 'progress' }>;
type Finished = Extract<LabEvent, { type: 'run-finished' }>;
/** The events of a benchmark run; other features add their own event types, which this tracker ignores. */
export type RunEvent = Started | Progress | Finished;

function isRunEvent(e: LabEvent): e is RunEvent {
  return e.type === 'run-started' || e.type === 'progress' || e.type === 'run-finished';
}

/** What the faces know of one run from its events. */
export interface RunTrack {
  runId: string;
  model?: string;
  total?: number;
  progress?: Progress;
  finished?: Finished;
}

/**
 * Every run's latest events since the app opened, kept outside React so a run keeps its progress while the
 * user visits other pages, and so events that arrive before startBench() resolves are not lost.
 */
export class RunTracker {
  private readonly runs = new Map<string, RunTrack>();
  private readonly listeners = new Set<(e: RunEvent) => void>();
  private version = 0;

  constructor(api: LabApi) {
    api.onEvent((e) => this.receive(e));
  }

  private receive(e: LabEvent): void {
    if (!isRunEvent(e)) return;
    const track = this.runs.get(e.runId) ?? { runId: e.runId };
    if (e.type === 'run-started') Object.assign(track, { model: e.model, total: e.total });
    else if (e.type === 'progress') track.progress = e;
    else track.finished = e;
    this.runs.set(e.runId, { ...track });
    this.version++;
    for (const l of this.listeners) l(e);
  }

  get(runId: string | undefined): RunTrack | undefined {
    return runId ? this.runs.get(runId) : undefined;
  }

  getVersion = (): number => this.version;

  subscribe = (listener: (e: RunEvent) => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
