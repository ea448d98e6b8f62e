import type { FootprintResult } from '../../../shared/compare';
import { CancelledError, now } from '../targets/target';
import type { Instance, InstanceDriver } from '../workloads/instance';
import { engineDaemonPids, processCpuMs, requestSideCpuMs } from './cpu';
import { hostReading } from './others';
import { cgroupOf, commandName, hostBusyCpuMs, pssBytes, readCgroupMemory, sleep } from './proc';
import { note, type Note } from '../../../shared/notes';
import { medianOf } from '../../../shared/stats';

export interface FootprintOptions {
  instances: number;
  settleMs: number;
  /** Times the N instances are started and removed again; the host-side figure is the median over rounds. */
  rounds?: number;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
  /** false: only the host-side figure (the cgroup, PSS and disk details are read by an earlier call's round). */
  details?: boolean;
}

/**
 * What N idle instances of one model cost, measured three independent ways: each instance's own cgroup, the
 * drop in the host's MemAvailable divided by N (everything the host paid: cgroup, shim, kernel objects), and
 * the PSS of the helper processes that live outside the cgroup.
 *
 * MemAvailable belongs to the whole machine, so other programs move it too. Each round brackets the loaded
 * reading between a reading before the instances start and one after they are removed, and takes the drop
 * against their mean: a steady drift of the rest of the machine cancels out. Every instance is removed before
 * this returns, also on failure or cancel.
 */
export async function measureFootprint(driver: InstanceDriver, o: FootprintOptions): Promise<FootprintResult> {
  const notes: Note[] = [];
  const started: Instance[] = [];
  const startupMs: number[] = [];
  const hostCpu: number[] = [];
  const ownCpu: number[] = [];
  const daemons = await engineDaemonPids();
  const rounds = Math.max(1, o.rounds ?? 1);
  const perRound: number[] = [];
  const rawPerRound: number[] = [];
  let detail: Omit<FootprintResult, 'startupMs' | 'notes' | 'instances'> | undefined;
  let firstBefore = NaN;
  let firstLoaded = NaN;
  try {
    for (let round = 0; round < rounds; round++) {
      await sleep(o.settleMs);
      const before = await hostReading([], 15, 200);
      for (let i = 0; i < o.instances; i++) {
        if (o.signal.aborted) throw new CancelledError();
        const cpu0 = await hostBusyCpuMs();
        const req0 = await requestSideCpuMs(daemons);
        const t0 = now();
        const inst = await driver.start(o.signal);
        started.push(inst);
        startupMs.push(now() - t0);
        hostCpu.push((await hostBusyCpuMs()) - cpu0);
        ownCpu.push((await requestSideCpuMs(daemons)) - req0 + (await instanceSideCpuMs(driver, inst)));
        o.onProgress?.(`${driver.model}: ${i + 1}/${o.instances} idle instances${rounds > 1 ? ` (round ${round + 1}/${rounds})` : ''}`);
      }
      await sleep(o.settleMs);
      const loaded = await hostReading(await relatedPids(driver, started), 15, 200);
      if (!detail) {
        detail = o.details === false ? { memory: {}, cpu: {}, disk: {} } : await readDetails(driver, started, notes);
        firstBefore = before.available;
        firstLoaded = loaded.available;
      }
      await Promise.allSettled(started.splice(0).map((s) => driver.stop(s)));
      await sleep(o.settleMs);
      const after = await hostReading([], 15, 200);
      rawPerRound.push(((before.available + after.available) / 2 - loaded.available) / o.instances);
      perRound.push(((before.corrected + after.corrected) / 2 - loaded.corrected) / o.instances);
    }
    if (!startupMs.length) throw new Error('no instance started');
    notes.push(note('host-memory-method'));
    return {
      instances: o.instances,
      ...detail!,
      memory: { ...detail!.memory, hostBytes: medianOf(perRound), hostBytesRounds: perRound, hostBytesRawRounds: rawPerRound, memAvailableBeforeBytes: firstBefore, memAvailableAfterBytes: firstLoaded },
      cpu: { ...detail!.cpu, hostStartupMs: medianOf(hostCpu), startupMs: medianOf(ownCpu) },
      startupMs,
      notes,
    };
  } finally {
    await Promise.allSettled(started.map((s) => driver.stop(s)));
  }
}

/** CPU the new instance's side used to start: its new helpers (shim, sandbox) with what they reaped, and the workload. */
async function instanceSideCpuMs(driver: InstanceDriver, inst: Instance): Promise<number> {
  let sum = inst.cgroupCpuMs ?? (inst.pid ? ((await processCpuMs(inst.pid, false)) ?? 0) : 0);
  for (const pid of (await driver.helperPids?.(inst)) ?? []) {
    // A helper inside the instance's cgroup (gVisor's sandbox and gofer) is in the cgroup's figure already.
    if (inst.cgroupCpuMs !== undefined && inst.cgroup && (await cgroupOf(pid))?.cpuDir === inst.cgroup.cpuDir) continue;
    sum += (await processCpuMs(pid)) ?? 0;
  }
  return sum;
}

/** The instances, their helpers: excluded from "the rest of the machine". */
export async function relatedPids(driver: InstanceDriver, started: Instance[]): Promise<number[]> {
  const out: number[] = [];
  for (const inst of started) {
    if (inst.pid) out.push(inst.pid);
    out.push(...((await driver.helperPids?.(inst)) ?? []));
  }
  return out;
}

/** The per-instance figures read while the instances are up: cgroups, PSS, helpers, disk, CPU. */
async function readDetails(driver: InstanceDriver, started: Instance[], notes: Note[]): Promise<Omit<FootprintResult, 'startupMs' | 'notes' | 'instances'>> {
  const cgroupUsage: number[] = [];
  const cgroupAnon: number[] = [];
  const cgroupCpu: number[] = [];
  const processPss: number[] = [];
  const helpersOf = new Map<Instance, number[]>();
  for (const inst of started) helpersOf.set(inst, (await driver.helperPids?.(inst)) ?? []);
  for (const inst of started) {
    if (inst.cgroup) {
      try {
        const m = await readCgroupMemory(inst.cgroup);
        cgroupUsage.push(m.usage);
        if (m.anon !== undefined) cgroupAnon.push(m.anon);
      } catch (err) {
        notes.push(note('cgroup-unreadable', { dir: inst.cgroup.memoryDir, error: (err as Error).message }));
      }
    }
    if (inst.cgroupCpuMs !== undefined) cgroupCpu.push(inst.cgroupCpuMs);
    // Under gVisor the pid the engine gives is the sandbox, a helper: the workload has no host process of its own.
    if (inst.pid && !helpersOf.get(inst)!.includes(inst.pid)) {
      const p = await pssBytes(inst.pid);
      if (p !== undefined) processPss.push(p);
    }
  }
  // Helpers may serve several instances (one VMM, one sandbox per pod): count each process once, then share it out.
  const helpers = new Map<number, number>();
  const names = new Set<string>();
  for (const inst of started) {
    for (const pid of helpersOf.get(inst)!) {
      if (helpers.has(pid)) continue;
      const pss = await pssBytes(pid);
      if (pss === undefined) continue;
      helpers.set(pid, pss);
      names.add((await commandName(pid)) ?? String(pid));
    }
  }
  const disk = started[0] && driver.disk ? await driver.disk(started[0]).catch((err: Error) => (notes.push(note('disk-unreadable', { error: err.message })), {})) : {};
  if (started.length && !started.some((s) => s.cgroup) && driver.model !== 'process') notes.push(note('no-cgroup', { model: driver.model }));
  return {
    memory: {
      cgroupBytes: medianOf(cgroupUsage),
      cgroupAnonBytes: medianOf(cgroupAnon),
      helperPssBytes: helpers.size ? [...helpers.values()].reduce((a, b) => a + b, 0) / started.length : driver.helperPids ? 0 : undefined,
      processPssBytes: medianOf(processPss),
    },
    cpu: { cgroupStartupMs: medianOf(cgroupCpu) },
    disk,
    helperProcesses: [...names].sort(),
  };
}
