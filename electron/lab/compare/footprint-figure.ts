import type { MemoryNoise } from '../../../shared/adaptive/footprint-rule';
import type { FootprintResult } from '../../../shared/compare';
import { medianOf } from '../../../shared/stats';
import { measureFootprint } from '../footprint/measure';
import type { HostFs } from '../footprint/host-fs';
import { hostReading } from '../footprint/others';
import { sleep } from '../footprint/proc';
import { CancelledError, now } from '../targets/target';
import type { InstanceDriver } from '../workloads/instance';

/**
 * The machine's MemAvailable noise, read idle the way a footprint round reads it: settle, a reading, settle,
 * the "loaded" reading with nothing started, settle, a reading; the bracket is (before + after) / 2 − middle
 * on the figure corrected for unrelated programs, as a round's. Measured once per comparison, by the first
 * footprint figure to run (its setup), so no time goes to it when no footprint runs.
 */
export class NoiseProbe {
  noise?: MemoryNoise;
  private pending?: Promise<void>;

  constructor(private readonly o: { settleMs: number; windows: number; fs?: HostFs }) {}

  ensure(signal: AbortSignal): Promise<void> {
    this.pending ??= this.measure(signal);
    return this.pending;
  }

  private async measure(signal: AbortSignal): Promise<void> {
    const brackets: number[] = [];
    const t0 = now();
    for (let w = 0; w < this.o.windows; w++) {
      const read = async () => {
        await sleep(this.o.settleMs);
        if (signal.aborted) throw new CancelledError();
        // Read as the rounds read it: the plain figure where the correction needs root on that host.
        const r = await hostReading([], 15, 200, this.o.fs);
        return r.deniedPids ? r.available : r.corrected;
      };
      const before = await read();
      const middle = await read();
      const after = await read();
      brackets.push((before + after) / 2 - middle);
    }
    this.noise = { idleBracketsBytes: brackets, windowMs: (now() - t0) / this.o.windows };
  }
}

/**
 * One model's footprint, a round at a time as the scheduler asks: each unit is measureFootprint with one
 * round (start N idle instances, read, remove them), and the figure is their median, as the fixed plan's
 * rounds gave it.
 */
export class FootprintSession {
  private driver?: InstanceDriver;
  private readonly results: FootprintResult[] = [];
  error?: string;

  constructor(
    private readonly makeDriver: () => InstanceDriver,
    private readonly o: { instances: number; settleMs: number; noise?: NoiseProbe; onProgress?: (m: string) => void; fs?: HostFs },
  ) {}

  /** Per-instance host-side bytes of each round (NaN where a round had none). */
  hostRounds(): number[] {
    return this.results.map((r) => r.memory.hostBytes ?? NaN);
  }

  get rounds(): number {
    return this.results.length;
  }

  /** k more rounds; with a deadline (performance.now() time) the block ends rather than start a round that would end past it. */
  async more(k: number, signal: AbortSignal, deadline = Infinity): Promise<number[]> {
    if (!this.driver) {
      await this.o.noise?.ensure(signal);
      this.driver = this.makeDriver();
      try {
        await this.driver.prepare(signal);
      } catch (err) {
        this.error = (err as Error)?.message ?? String(err);
        throw err;
      }
    }
    const out: number[] = [];
    for (let j = 0; j < k; j++) {
      if (j > 0 && performance.now() + Math.max(...out) > deadline) break;
      const t0 = now();
      try {
        // The cgroup, PSS and disk details are read in the first round only, as a multi-round measure reads them.
        const details = this.results.length === 0;
        this.results.push(await measureFootprint(this.driver, { instances: this.o.instances, settleMs: this.o.settleMs, rounds: 1, signal, onProgress: this.o.onProgress, details, fs: this.o.fs }));
      } catch (err) {
        if (!(err instanceof CancelledError)) this.error = (err as Error)?.message ?? String(err);
        throw err;
      }
      out.push(now() - t0);
    }
    return out;
  }

  /** The rounds as one FootprintResult (the first round's detail, every round's host-side figure). */
  result(): FootprintResult | undefined {
    const [first] = this.results;
    if (!first) return undefined;
    const host = this.hostRounds();
    const raw = this.results.map((r) => r.memory.hostBytesRawRounds?.[0] ?? NaN);
    const finite = host.filter((x) => Number.isFinite(x));
    const med = (pick: (r: FootprintResult) => number | undefined) => medianOf(this.results.map(pick).filter((x): x is number => x !== undefined));
    return {
      ...first,
      memory: { ...first.memory, hostBytes: medianOf(finite), hostBytesRounds: host, hostBytesRawRounds: raw },
      cpu: { ...first.cpu, hostStartupMs: med((r) => r.cpu.hostStartupMs), startupMs: med((r) => r.cpu.startupMs) },
      startupMs: this.results.flatMap((r) => r.startupMs),
      notes: [...new Set(this.results.flatMap((r) => r.notes))],
    };
  }

  async close(): Promise<void> {
    await this.driver?.dispose().catch(() => {});
  }
}
