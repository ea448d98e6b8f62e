import { JOB_RUNNING, type ActiveJob, type JobKind } from '../../../shared/jobs';

/** What a job is told when it starts: its id, the signal that cancels it, and a way to claim the documents it writes. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** A document (run, comparison) this job writes: deleting it is refused while the job runs. */
  claim(docId: string): void;
}

export interface JobSpec {
  id: string;
  kind: JobKind;
  model?: string;
  /** The caller's own cancel (the CLI's Ctrl+C): aborting it cancels the job. */
  signal?: AbortSignal;
}

interface Entry {
  job: ActiveJob;
  abort: AbortController;
  done: Promise<unknown>;
  docs: Set<string>;
}

/** A document could not be deleted: the job writing it is still under way. The message starts with the code. */
export class JobRunningError extends Error {
  readonly code = JOB_RUNNING;
  constructor(
    readonly docId: string,
    readonly job: ActiveJob,
  ) {
    super(`${JOB_RUNNING}: ${docId} is still being written by the ${job.kind} ${job.id}; cancel it first`);
    this.name = 'JobRunningError';
  }
}

/** The Lab is shutting down: no new job starts. */
export class ShuttingDownError extends Error {
  constructor() {
    super('isolab is shutting down: no new job starts');
    this.name = 'ShuttingDownError';
  }
}

/**
 * Every job under way (bench, compare, host bench and probe, fleet, race, density demo, swarm bench) in one
 * place: registered when it starts, listed by `info()`, cancelled by id whatever its kind, and its documents
 * protected from deletion while it runs. Shutdown cancels them all and waits for their cleanup.
 */
export class JobManager {
  private readonly jobs = new Map<string, Entry>();
  private closing = false;

  /**
   * Registers the job and starts `run` with its context. The job leaves the list when `run` settles; `done`
   * is `run`'s own promise, so callers see its result or its error.
   */
  start<T>(spec: JobSpec, run: (ctx: JobContext) => Promise<T>): { id: string; done: Promise<T> } {
    if (this.closing) throw new ShuttingDownError();
    if (this.jobs.has(spec.id)) throw new Error(`a job ${spec.id} is already under way`);
    const abort = new AbortController();
    const onCallerAbort = () => abort.abort();
    if (spec.signal?.aborted) abort.abort();
    else spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const entry: Entry = {
      job: { id: spec.id, kind: spec.kind, startedAt: new Date().toISOString(), ...(spec.model ? { model: spec.model } : {}) },
      abort,
      docs: new Set([spec.id]),
      done: Promise.resolve(),
    };
    this.jobs.set(spec.id, entry);
    const ctx: JobContext = { id: spec.id, signal: abort.signal, claim: (docId) => void entry.docs.add(docId) };
    // Started now (a cancel right after start reaches it); a `run` that throws at once still rejects `done`.
    const done = (async () => run(ctx))().finally(() => {
      spec.signal?.removeEventListener('abort', onCallerAbort);
      this.jobs.delete(spec.id);
    });
    entry.done = done;
    done.catch(() => {}); // the caller handles the error; an unhandled rejection here would end the process
    return { id: spec.id, done };
  }

  /** Jobs under way, oldest first; `kind` narrows the list. */
  list(kind?: JobKind): ActiveJob[] {
    return [...this.jobs.values()].map((e) => ({ ...e.job })).filter((j) => !kind || j.kind === kind);
  }

  get(id: string): ActiveJob | undefined {
    const e = this.jobs.get(id);
    return e && { ...e.job };
  }

  /** Cancels the job and waits until it has cleaned up; false when no such job is under way (or not of `kind`). */
  async cancel(id: string, kind?: JobKind): Promise<boolean> {
    const e = this.jobs.get(id);
    if (!e || (kind && e.job.kind !== kind)) return false;
    e.abort.abort();
    await e.done.catch(() => undefined);
    return true;
  }

  /** The job writing this document, if one is under way. */
  owner(docId: string): ActiveJob | undefined {
    for (const e of this.jobs.values()) if (e.docs.has(docId)) return { ...e.job };
    return undefined;
  }

  /** Throws JobRunningError when a job under way writes this document. */
  assertIdle(docId: string): void {
    const job = this.owner(docId);
    if (job) throw new JobRunningError(docId, job);
  }

  /** Cancels every job, refuses new ones, and waits for all to clean up (on quit, SIGINT, SIGTERM). */
  async shutdown(): Promise<void> {
    this.closing = true;
    const entries = [...this.jobs.values()];
    for (const e of entries) e.abort.abort();
    await Promise.allSettled(entries.map((e) => e.done));
  }
}
