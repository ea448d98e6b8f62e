import { decideDensity, type DensityCurves, type DensityRuleOptions } from '../../../shared/adaptive/density-rule';
import type { DensityPoint, DensityResult, DensityStep } from '../../../shared/compare';
import { note, type Note } from '../../../shared/notes';
import { runDensity } from '../density/run';
import { CancelledError } from '../targets/target';
import type { DensityResult as VmDensityResult } from '../vm/density';
import { hostMemAvailable } from '../vm/procfs';
import type { HostFs } from '../footprint/host-fs';
import type { InstanceDriver } from '../workloads/instance';

/** A density curve as the rule reads it: each start's latency against those running, the memory drop against those held. */
export function densityCurves(r: Pick<DensityResult, 'points' | 'steps'>): DensityCurves {
  return {
    latency: r.points.map((p) => ({ x: p.running, y: p.latencyMs })),
    memory: r.steps.map((s) => ({ x: s.count, y: s.memAvailableDropBytes })),
  };
}

/**
 * One model's density curve as one unit of the schedule: it grows 1, 2, 4 … until both slopes are known
 * (decideDensity), the plan's limits, or the budget's deadline, whichever comes first.
 */
export class DensitySession {
  result?: DensityResult;
  error?: string;
  /** A caveat about the curve (its memory is the plain MemAvailable drop when the host needs root for the correction). */
  note?: Note;
  private driver?: InstanceDriver;

  constructor(
    private readonly makeDriver: () => InstanceDriver,
    private readonly o: { maxInstances: number; memoryBudgetMiB?: number; timeLimitS: number; concurrency: number; rule: Partial<DensityRuleOptions>; onProgress?: (m: string) => void; fs?: HostFs },
  ) {}

  /** Runs the curve; resolves with its wall time (ms). `deadline` is a performance.now() time (Infinity: none). */
  async run(signal: AbortSignal, deadline: number): Promise<number> {
    const t0 = performance.now();
    this.driver = this.makeDriver();
    try {
      await this.driver.prepare(signal);
      const left = Number.isFinite(deadline) ? Math.max(1, (deadline - t0) / 1000) : Infinity;
      this.result = await runDensity(this.driver, {
        maxInstances: this.o.maxInstances,
        memoryBudgetMiB: this.o.memoryBudgetMiB,
        timeLimitS: Math.min(this.o.timeLimitS, left),
        concurrency: this.o.concurrency,
        signal,
        onProgress: this.o.onProgress,
        fs: this.o.fs,
        onNote: (n) => (this.note = n),
        enough: (points, steps) => decideDensity(densityCurves({ points: [...points], steps: [...steps] }), steps.length, this.o.rule).stop,
      });
    } catch (err) {
      if (!(err instanceof CancelledError)) this.error = (err as Error)?.message ?? String(err);
      throw err;
    }
    return performance.now() - t0;
  }

  async close(): Promise<void> {
    await this.driver?.dispose().catch(() => {});
  }
}

/**
 * The VM's density curve in the comparison's terms: VMs booted one at a time beside the earlier ones (`isolab
 * bench vm --density`), each one's time to SSH ready against those already running, and MemAvailable's drop
 * since before the first (not corrected for other programs, unlike the instance drivers' curve: the VMs read
 * it themselves). How many it boots is what the budget leaves: one boot per expected boot time.
 */
export class VmDensitySession {
  result?: DensityResult;
  error?: string;
  note?: Note;

  constructor(
    private readonly curve: (o: { count: number; signal: AbortSignal }) => Promise<VmDensityResult>,
    private readonly o: { model: string; maxInstances: number },
  ) {}

  async run(signal: AbortSignal, deadline: number, bootMs: number): Promise<number> {
    const t0 = performance.now();
    // Boot as many as the budget leaves room for (each boot beside the others costs about one boot), at least 3: a slope needs them.
    const room = Number.isFinite(deadline) ? Math.floor((deadline - t0) / Math.max(1, bootMs)) : Infinity;
    const count = Math.max(Math.min(3, this.o.maxInstances), Math.min(this.o.maxInstances, room));
    try {
      const before = await hostMemAvailable();
      const d = await this.curve({ count, signal });
      const steps: DensityStep[] = [];
      const points: DensityPoint[] = [];
      let prevDrop = 0;
      for (const s of d.steps) {
        const latency = s.marks.ssh ?? Math.max(...Object.values(s.marks).filter((x): x is number => typeof x === 'number'));
        points.push({ running: s.vms - 1, latencyMs: latency });
        const drop = before !== undefined && s.hostAvailableBytes !== undefined ? before - s.hostAvailableBytes : s.totalPssBytes;
        steps.push({ count: s.vms, medianLatencyMs: latency, memAvailableDropBytes: drop, memPerNewInstanceBytes: drop - prevDrop, elapsedMs: performance.now() - t0 });
        prevDrop = drop;
      }
      const stoppedBy = d.stoppedBecause ? `error: ${d.stoppedBecause}` : steps.length < this.o.maxInstances ? 'time' : 'count';
      this.result = { concurrency: 1, points, steps, stoppedBy, leftBehind: 0 };
      this.note = note('vm-density', { model: this.o.model, count: steps.length, accel: d.accel, memoryMiB: d.memoryMiB });
    } catch (err) {
      if (!(err instanceof CancelledError)) this.error = (err as Error)?.message ?? String(err);
      throw err;
    }
    return performance.now() - t0;
  }

  async close(): Promise<void> {}
}
