import { decideDensity, type DensityCurves, type DensityRuleOptions } from '../../../shared/adaptive/density-rule';
import type { DensityResult } from '../../../shared/compare';
import { runDensity } from '../density/run';
import { CancelledError } from '../targets/target';
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
  private driver?: InstanceDriver;

  constructor(
    private readonly makeDriver: () => InstanceDriver,
    private readonly o: { maxInstances: number; memoryBudgetMiB?: number; timeLimitS: number; concurrency: number; rule: Partial<DensityRuleOptions>; onProgress?: (m: string) => void },
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
