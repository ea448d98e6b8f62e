import type { LabEvent } from '../../../shared/api';
import type { JobKind } from '../../../shared/jobs';
import { note, type Note } from '../../../shared/notes';
import { RUN_SCHEMA, type Run } from '../../../shared/run';
import { spreadWarnings } from '../../../shared/stats';
import { ISOLAB_VERSION } from '../host';
import { thisOwner } from '../owner';
import { summarizeSamples, toSample } from '../runner';
import { StoreError, type RunStore } from '../store';
import { CancelledError, now, type Target } from '../targets/target';

/** How the model's startup ended up: measured, or why not (the compare loop turns this into the model's status). */
export type StartupOutcome =
  | { status: 'ok'; error?: undefined; reason?: undefined }
  | { status: 'unavailable' | 'failed' | 'cancelled'; error?: string; reason?: { code: 'prepare-failed' | 'first-start-failed'; params: { error: string } } };

/**
 * One model's startup benchmark, run in blocks as the budget scheduler asks: `more(k)` times k more cold
 * starts. The Run document (kind compare:startup) is saved as it goes, like runBench's, and closed by
 * `close()`. The target is prepared and warmed up on the first call, so an unavailable model costs its
 * prepare and nothing more.
 */
export class StartupSession {
  readonly run: Run;
  private target?: Target;
  private opened = false;
  /** The Run is on disk (only once the target prepared: an unavailable model leaves no Run behind). */
  private recorded = false;
  private lastSave = 0;
  /** Notes of its own (a failed footprint), kept across summaries. */
  private readonly extraNotes: Note[] = [];
  outcome: StartupOutcome = { status: 'ok' };

  private get job(): { id: string; kind: JobKind } {
    return this.o.job ?? { id: this.run.id, kind: 'compare' };
  }

  constructor(
    private readonly makeTarget: () => Target,
    private readonly o: {
      runId: string;
      model: string;
      plan: Record<string, unknown>;
      host: Run['environment']['host'];
      warmup: number;
      maxCount: number;
      store: RunStore;
      /** The job the run belongs to, named in its events (the comparison's). */
      job?: { id: string; kind: JobKind };
      onEvent?: (e: LabEvent) => void;
    },
  ) {
    this.run = {
      schema: RUN_SCHEMA,
      id: o.runId,
      kind: 'compare:startup',
      model: o.model,
      status: 'partial',
      startedAt: new Date().toISOString(),
      environment: { host: o.host, isolabVersion: ISOLAB_VERSION, node: process.versions.node },
      plan: o.plan,
      phaseOrder: [],
      samples: [],
      summary: {},
      notes: [],
      owner: thisOwner(),
    };
  }

  /** Timed request-to-ready values so far (the ready mark, else the last phase). */
  readyMs(): number[] {
    const ready = this.run.phaseOrder.includes('ready') ? 'ready' : this.run.phaseOrder.at(-1);
    return this.timed().map((s) => (ready ? (s.marks[ready] ?? s.totalMs) : s.totalMs));
  }

  timed(): Run['samples'] {
    return this.run.samples.filter((s) => !s.warmup);
  }

  /** Whether it can take more starts: it did not fail, was not cancelled, is not unavailable. */
  get live(): boolean {
    return this.outcome.status === 'ok';
  }

  /**
   * k more timed starts (prepares and warms up first); each one's wall time, ms. Throws when the model stops.
   * `deadline` (a performance.now() time): the block ends early rather than start a unit that would end past
   * it, judged by the slowest unit of the block so far; the first always runs.
   */
  async more(k: number, signal: AbortSignal, deadline = Infinity): Promise<number[]> {
    if (!this.live) throw new Error(this.outcome.error ?? this.outcome.status);
    if (!this.opened) await this.open(signal);
    const out: number[] = [];
    for (let j = 0; j < k; j++) {
      if (j > 0 && performance.now() + Math.max(...out) > deadline) break;
      const t0 = now();
      await this.iterate(false, signal);
      out.push(now() - t0);
    }
    await this.save(false);
    return out;
  }

  private async open(signal: AbortSignal): Promise<void> {
    this.opened = true;
    try {
      this.target = this.makeTarget();
      await this.target.prepare(signal);
      this.run.model = this.target.model;
      this.run.phaseOrder = [...this.target.phases];
      Object.assign(this.run.environment, await this.target.environment());
    } catch (err) {
      this.fail(err, 'unavailable', false);
      await this.target?.dispose().catch(() => {});
      throw err;
    }
    this.recorded = true;
    this.o.onEvent?.({ type: 'run-started', runId: this.run.id, model: this.run.model, total: this.o.warmup + this.o.maxCount, jobId: this.job.id, kind: this.job.kind });
    for (let i = 0; i < this.o.warmup; i++) await this.iterate(true, signal);
    await this.save(true);
  }

  private async iterate(warmup: boolean, signal: AbortSignal): Promise<void> {
    const i = this.run.samples.length + 1;
    const at = { type: 'progress', runId: this.run.id, jobId: this.job.id, kind: this.job.kind, model: this.run.model, role: 'subject', iteration: i, total: this.o.warmup + this.o.maxCount, warmup } as const;
    try {
      const marks = await this.target!.iterate({
        iteration: i,
        warmup,
        signal,
        onPhase: (phase) => this.o.onEvent?.({ ...at, phase, iterationDone: false }),
      });
      const sample = toSample(i, warmup, marks, this.run.phaseOrder);
      this.run.samples.push(sample);
      this.o.onEvent?.({ ...at, phase: Object.keys(sample.marks).at(-1) ?? '', iterationDone: true });
    } catch (err) {
      // Failing at the very first start means this host cannot run the model; failing later is a failure.
      this.fail(err, this.run.samples.length === 0 ? 'unavailable' : 'failed', true);
      throw err;
    }
  }

  /** `started`: it failed starting an instance (a prepare that fails says why itself). */
  private fail(err: unknown, status: 'unavailable' | 'failed', started: boolean): void {
    if (err instanceof CancelledError || (err as Error)?.name === 'AbortError') this.outcome = { status: 'cancelled' };
    else {
      const line = firstLine((err as Error)?.message ?? String(err));
      // Unavailable comes with a reason code the faces word (electron/lab/models/types.ts).
      const reason = status === 'unavailable' ? { code: started ? ('first-start-failed' as const) : ('prepare-failed' as const), params: { error: line } } : undefined;
      this.outcome = { status, error: status === 'unavailable' && started ? `cannot run on this host: ${line}` : line, reason };
      this.run.error = (err as Error)?.message ?? String(err);
    }
  }

  /** Marks a model a cancel reached before its turn. */
  skipped(status: 'cancelled'): void {
    if (this.live && !this.opened) this.outcome = { status };
  }

  private async save(force: boolean): Promise<void> {
    if (!this.recorded) return;
    if (!force && performance.now() - this.lastSave < 1000) return;
    this.lastSave = performance.now();
    this.summarize();
    await this.o.store.save(this.run).catch((err) => {
      if (!(err instanceof StoreError)) throw err;
    });
  }

  private summarize(): void {
    this.run.summary = summarizeSamples(this.run.samples, this.run.phaseOrder);
    const notes = [...(this.target?.notes?.() ?? [])];
    const first = this.timed()[0]?.totalMs;
    if (this.run.summary.total) notes.push(...spreadWarnings(this.run.model, this.run.summary.total, first));
    this.run.notes = [...notes, ...this.extraNotes];
  }

  /**
   * Ends the run: the target's own footprint (a VM's), then its removal, then the final save. Returns the
   * Run, or undefined when nothing was opened. A failed final save keeps the run elsewhere (saveOrKeep) and
   * still returns it: the comparison holds the figures either way.
   */
  async close(signal: AbortSignal): Promise<Run | undefined> {
    if (!this.recorded) return undefined;
    try {
      if (this.live && this.target?.footprint && !signal.aborted) this.run.footprint = await this.target.footprint(signal);
    } catch (err) {
      this.extraNotes.push(note('footprint-failed', { model: this.run.model, error: firstLine((err as Error)?.message) }));
    }
    await this.target?.dispose().catch(() => {});
    this.run.status = this.outcome.status === 'ok' ? 'complete' : this.outcome.status === 'unavailable' ? 'failed' : this.outcome.status;
    this.run.finishedAt = new Date().toISOString();
    this.summarize();
    const ok = await this.o.store.saveOrKeep(this.run).then(() => true, () => false);
    this.o.onEvent?.({ type: 'run-finished', runId: this.run.id, status: this.run.status, error: this.run.error, ...(ok ? {} : { notSaved: { file: '' } }) });
    return this.run;
  }
}

function firstLine(s: string | undefined): string {
  return (s ?? 'unknown error').split('\n')[0].slice(0, 500);
}
