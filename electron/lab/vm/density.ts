import { dataDir } from '../paths';
import { CancelledError } from '../targets/target';
import { detectAccelerator, type AccelRequest } from './accel';
import { killGuest, shutdownGuest, startGuest, type GuestMeasure, type RunningGuest, type VmPhase } from './guest';
import { ensureVmKit, type VmKit } from './kit';
import { hostMemAvailable, processMemory } from './procfs';
import { DEFAULT_MACHINE, findQemu, type Accel, type Machine } from './qemu';
import { guestTsc } from './tsc';

export interface DensityOptions {
  /** How many VMs to have running at once at the end, at most. */
  count: number;
  runId?: string;
  root?: string;
  memoryMiB?: number;
  accel?: AccelRequest;
  /** q35 when left out. */
  machine?: Machine;
  kernel?: string;
  allowApt?: boolean;
  kit?: VmKit;
  qemu?: string;
  /** Stop adding VMs when the host would have less than this available (default: 1 GiB + one guest). */
  reserveBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

interface DensityStep {
  /** VMs running after this step. */
  vms: number;
  /** The new VM's phases (ms from its own zero point) up to SSH ready. */
  marks: Partial<Record<VmPhase, number>>;
  /** PSS of every running QEMU, summed, and what the newest VM added to that sum. */
  totalPssBytes: number;
  addedPssBytes: number;
  totalRssBytes: number;
  hostAvailableBytes?: number;
  guestMemUsedBytes?: number;
}

export interface DensityResult {
  accel: Accel;
  memoryMiB: number;
  steps: DensityStep[];
  /** Set when fewer than `count` VMs were started, and why. */
  stoppedBecause?: string;
  /** Shutdown timings of each VM as they were powered off, last started first. */
  shutdownMs: number[];
}

/**
 * Density: VMs are added one at a time while the earlier ones keep running, each timed through the same
 * phases to SSH ready; after each, the PSS of all running QEMUs is summed so the memory each new VM adds
 * shows (PSS splits shared pages such as QEMU's own code fairly between them). Stops at `count`, when host
 * memory would fall below the reserve, or when a VM fails to boot; then powers all of them off.
 */
export async function vmDensity(o: DensityOptions): Promise<DensityResult> {
  const root = o.root ?? dataDir();
  const signal = o.signal ?? new AbortController().signal;
  const memoryMiB = o.memoryMiB ?? 256;
  const qemu = o.qemu ?? (await findQemu());
  const kit = o.kit ?? (await ensureVmKit({ root, kernel: o.kernel, allowApt: o.allowApt, log: o.log }));
  const machine = o.machine ?? DEFAULT_MACHINE;
  const accel = (await detectAccelerator({ root, kit, qemu, machine, requested: o.accel ?? 'auto', signal, log: o.log })).accel;
  const tsc = await guestTsc(machine, accel);
  const reserve = o.reserveBytes ?? 1024 * 1024 * 1024 + memoryMiB * 1024 * 1024;
  const running: RunningGuest[] = [];
  const steps: DensityStep[] = [];
  let stoppedBecause: string | undefined;
  const shutdownMs: number[] = [];
  let prevPss = 0;
  try {
    for (let i = 1; i <= o.count; i++) {
      const avail = await hostMemAvailable();
      if (avail !== undefined && avail - memoryMiB * 1024 * 1024 < reserve) {
        stoppedBecause = `host memory: ${Math.round(avail / 2 ** 20)} MiB available, keeping ${Math.round(reserve / 2 ** 20)} MiB in reserve`;
        break;
      }
      let g: RunningGuest;
      try {
        g = await startGuest({
          root,
          runId: o.runId ?? `density-${process.pid}`,
          qemu,
          kit,
          accel,
          machine,
          tscKhz: tsc?.khz,
          memoryMiB,
          signal,
          timeoutMs: o.timeoutMs ?? (accel === 'tcg' ? 120_000 : 30_000),
        });
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        stoppedBecause = `VM ${i} did not boot: ${(err as Error).message}`;
        break;
      }
      running.push(g);
      const mems = await Promise.all(running.map((r) => (r.q.pid ? processMemory(r.q.pid) : undefined)));
      const totalPss = mems.reduce((a, m) => a + (m?.pssBytes ?? m?.rssBytes ?? 0), 0);
      const totalRss = mems.reduce((a, m) => a + (m?.rssBytes ?? 0), 0);
      steps.push({
        vms: running.length,
        marks: { ...g.measure.marks }, // a copy: shutdown, much later, is not part of the boot
        totalPssBytes: totalPss,
        addedPssBytes: totalPss - prevPss,
        totalRssBytes: totalRss,
        hostAvailableBytes: await hostMemAvailable(),
        guestMemUsedBytes: g.measure.guestMemUsedBytes,
      });
      prevPss = totalPss;
      o.log?.(`density: ${running.length} VM(s), +${Math.round((steps.at(-1)!.addedPssBytes) / 2 ** 20)} MiB PSS, SSH ready at ${Math.round(g.measure.marks.ssh ?? 0)} ms`);
    }
    while (running.length) {
      const g = running.pop()!;
      const m: GuestMeasure = await shutdownGuest(g, { signal, timeoutMs: 15_000 });
      shutdownMs.push((m.marks.shutdown ?? 0) - (m.marks.ssh ?? 0));
    }
  } finally {
    await Promise.allSettled(running.map((g) => killGuest(g)));
  }
  return { accel, memoryMiB, steps, stoppedBecause, shutdownMs };
}
