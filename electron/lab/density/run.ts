import type { DensityPoint, DensityResult, DensityStep } from '../../../shared/compare';
import { sleep } from '../footprint/proc';
import { needsRootNote, relatedPids } from '../footprint/measure';
import { medianOf } from '../../../shared/stats';
import { localFs, type HostFs } from '../footprint/host-fs';
import { hostReading } from '../footprint/others';
import type { Note } from '../../../shared/notes';
import { CancelledError, now } from '../targets/target';
import type { Instance, InstanceDriver } from '../workloads/instance';

export interface DensityOptions {
  maxInstances: number;
  memoryBudgetMiB?: number;
  timeLimitS: number;
  /** Start k instances at a time. */
  concurrency: number;
  signal: AbortSignal;
  settleMs?: number;
  onProgress?: (message: string) => void;
  /** Asked after each step: true ends the curve there (the adaptive rule knows its slopes; stoppedBy "precision"). */
  enough?: (points: readonly DensityPoint[], steps: readonly DensityStep[]) => boolean;
  /** The host whose /proc is read: this machine (default) or the driver's remote host. */
  fs?: HostFs;
  /** A caveat about the curve (the memory correction needs root on that host). */
  onNote?: (n: Note) => void;
}

/**
 * Density: 1, 2, 4 … instances started and held running until a limit (count, a memory budget measured as the
 * drop in MemAvailable less other programs' churn, or time), recording each start's latency against how many were already running and
 * the memory each step's new instances added. Everything is stopped and removed at the end, whatever happened;
 * `leftBehind` says how many the driver still tracks afterwards (0 unless cleanup failed).
 */
export async function runDensity(driver: InstanceDriver, o: DensityOptions): Promise<DensityResult> {
  const running: Instance[] = [];
  const points: DensityPoint[] = [];
  const steps: DensityStep[] = [];
  const t0 = now();
  const settle = o.settleMs ?? 500;
  let stoppedBy = 'count';
  try {
    // Memory is read as footprint reads it: MemAvailable with the rest of the machine's churn taken out.
    const fs = o.fs ?? localFs;
    const baseReading = await hostReading([], 9, 100, fs);
    // Without root there the engine's daemons' memory cannot be read apart from the rest: the curve is the plain MemAvailable drop.
    const plain = baseReading.deniedPids > 0;
    if (plain) o.onNote?.(needsRootNote('host-correction', fs.label));
    const figure = (r: { available: number; corrected: number }) => (plain ? r.available : r.corrected);
    const base = figure(baseReading);
    let prevDrop = 0;
    let target = 1;
    for (;;) {
      const goal = Math.min(target, o.maxInstances);
      while (running.length < goal) {
        if (o.signal.aborted) throw new CancelledError();
        const k = Math.min(o.concurrency, goal - running.length);
        const already = running.length;
        const batch = await Promise.allSettled(Array.from({ length: k }, async () => {
          const s = now();
          const inst = await driver.start(o.signal);
          return { inst, ms: now() - s };
        }));
        for (const r of batch) {
          if (r.status === 'fulfilled') {
            running.push(r.value.inst);
            points.push({ running: already, latencyMs: r.value.ms });
          }
        }
        const failed = batch.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
      await sleep(settle);
      const drop = base - figure(await hostReading(await relatedPids(driver, running), 9, 100, fs));
      const prevCount = steps.at(-1)?.count ?? 0;
      const added = running.length - prevCount;
      const stepPoints = points.slice(prevCount);
      steps.push({
        count: running.length,
        medianLatencyMs: medianOf(stepPoints.map((p) => p.latencyMs)) ?? NaN,
        memAvailableDropBytes: drop,
        memPerNewInstanceBytes: added > 0 ? (drop - prevDrop) / added : 0,
        elapsedMs: now() - t0,
      });
      prevDrop = drop;
      o.onProgress?.(`${driver.model}: ${running.length} running`);
      if (running.length >= o.maxInstances) break;
      if (o.enough?.(points, steps)) {
        stoppedBy = 'precision';
        break;
      }
      if (o.memoryBudgetMiB !== undefined && drop >= o.memoryBudgetMiB * 1024 * 1024) {
        stoppedBy = 'memory';
        break;
      }
      if (now() - t0 >= o.timeLimitS * 1000) {
        stoppedBy = 'time';
        break;
      }
      target *= 2;
    }
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    stoppedBy = `error: ${(err as Error).message}`;
  } finally {
    await Promise.allSettled(running.map((i) => driver.stop(i)));
  }
  return { concurrency: o.concurrency, points, steps, stoppedBy, leftBehind: driver.liveCount() };
}
