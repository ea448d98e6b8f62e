import { now, throwIfAborted, type IterationContext, type Marks, type Target } from '../targets/target';
import type { Instance, InstanceDriver } from './instance';
import { note, type Note } from '../../../shared/notes';

/**
 * The lifecycle benchmark of any model: one iteration starts the workload, waits until it is ready, then stops
 * and removes it, each phase timed from the request. With concurrency k, an iteration starts k instances at
 * once (as bucketbench's threads do) and its marks are the slowest instance's: the batch is ready when its last
 * member is, which is what contention shows up in.
 */
export class WorkloadTarget implements Target {
  readonly phases: readonly string[];

  constructor(
    readonly driver: InstanceDriver,
    private readonly concurrency = 1,
  ) {
    this.phases = [...driver.phases, driver.stopPhase];
  }

  get model(): string {
    return this.driver.model;
  }

  prepare(signal: AbortSignal): Promise<void> {
    return this.driver.prepare(signal);
  }

  environment() {
    return this.driver.environment();
  }

  notes(): Note[] {
    const out = this.driver.notes?.() ?? [];
    if (this.concurrency > 1) out.push(note('concurrent-instances', { count: this.concurrency }));
    return out;
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    const t0 = now();
    const started = await Promise.allSettled(Array.from({ length: this.concurrency }, async () => {
      const s = now();
      const inst = await this.driver.start(ctx.signal);
      return { inst, offset: s - t0 };
    }));
    const ok = started.filter((r): r is PromiseFulfilledResult<{ inst: Instance; offset: number }> => r.status === 'fulfilled').map((r) => r.value);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.allSettled(ok.map((o) => this.driver.stop(o.inst)));
      throw failed.reason;
    }
    const marks: Marks = {};
    for (const p of this.driver.phases) marks[p] = Math.max(...ok.map((o) => o.offset + o.inst.marks[p]));
    ctx.onPhase('ready');
    await Promise.all(ok.map((o) => this.driver.stop(o.inst)));
    marks[this.driver.stopPhase] = now() - t0;
    ctx.onPhase(this.driver.stopPhase);
    if (!this.driver.settleMarks) return marks;
    // A driver timing on another clock (a remote engine's) gives each instance's marks now that it is gone.
    const stop = this.driver.stopPhase;
    const settled = await Promise.all(ok.map((o) => this.driver.settleMarks!(o.inst, { ...o.inst.marks, [stop]: marks[stop] - o.offset }, ctx.warmup)));
    for (const p of [...this.driver.phases, stop]) marks[p] = Math.max(...ok.map((o, i) => o.offset + settled[i][p]));
    return marks;
  }

  dispose(): Promise<void> {
    return this.driver.dispose();
  }
}

/** A workload target with one more note: why its starts are timed the way they are (the floor's, a raw runtime's). */
export class NotedWorkloadTarget extends WorkloadTarget {
  constructor(
    driver: InstanceDriver,
    k: number,
    private readonly why: Note,
  ) {
    super(driver, k);
  }

  override notes(): Note[] {
    return [...super.notes(), this.why];
  }
}
