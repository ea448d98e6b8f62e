import type { FootprintResult } from '../../../shared/compare';
import { CancelledError, now } from '../targets/target';
import type { Instance, InstanceDriver } from '../workloads/instance';
import { engineDaemonPids, processCpuMs, requestSideCpuMs } from './cpu';
import { isLocal, localFs, readFailure, type HostFs } from './host-fs';
import { hostReading } from './others';
import { cgroupOf, commandName, hostBusyCpuMs, pssRead, readCgroupMemory, sleep } from './proc';
import { note, type Note } from '../../../shared/notes';
import { medianOf } from '../../../shared/stats';

/** Figures a host may refuse without root: each has its note, root-<figure>. */
export type RootFigure = 'host-correction' | 'process-pss' | 'helper-pss' | 'cgroup';

export function needsRootNote(figure: RootFigure, host: string): Note {
  return note(`root-${figure}`, { host });
}

export interface FootprintOptions {
  instances: number;
  settleMs: number;
  /** Times the N instances are started and removed again; the host-side figure is the median over rounds. */
  rounds?: number;
  signal: AbortSignal;
  onProgress?: (message: string) => void;
  /** false: only the host-side figure (the cgroup, PSS and disk details are read by an earlier call's round). */
  details?: boolean;
  /** The host whose /proc and cgroups are read: this machine (default) or the driver's remote host. */
  fs?: HostFs;
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
  const fs = o.fs ?? localFs;
  const started: Instance[] = [];
  const startupMs: number[] = [];
  const hostCpu: number[] = [];
  const ownCpu: number[] = [];
  const daemons = await engineDaemonPids(fs);
  const rounds = Math.max(1, o.rounds ?? 1);
  const perRound: number[] = [];
  const rawPerRound: number[] = [];
  let detail: Omit<FootprintResult, 'startupMs' | 'notes' | 'instances'> | undefined;
  let firstBefore = NaN;
  let firstLoaded = NaN;
  let uncorrected = false;
  try {
    for (let round = 0; round < rounds; round++) {
      await sleep(o.settleMs);
      const before = await hostReading([], 15, 200, fs);
      for (let i = 0; i < o.instances; i++) {
        if (o.signal.aborted) throw new CancelledError();
        const cpu0 = await hostBusyCpuMs(fs);
        const req0 = await requestSideCpuMs(daemons, fs);
        const t0 = now();
        const inst = await driver.start(o.signal);
        started.push(inst);
        startupMs.push(now() - t0);
        hostCpu.push((await hostBusyCpuMs(fs)) - cpu0);
        ownCpu.push((await requestSideCpuMs(daemons, fs)) - req0 + (await instanceSideCpuMs(driver, inst, fs)));
        o.onProgress?.(`${driver.model}: ${i + 1}/${o.instances} idle instances${rounds > 1 ? ` (round ${round + 1}/${rounds})` : ''}`);
      }
      await sleep(o.settleMs);
      const loaded = await hostReading(await relatedPids(driver, started), 15, 200, fs);
      if (!detail) {
        detail = o.details === false ? { memory: {}, cpu: {}, disk: {} } : await readDetails(driver, started, notes, fs);
        firstBefore = before.available;
        firstLoaded = loaded.available;
      }
      await Promise.allSettled(started.splice(0).map((s) => driver.stop(s)));
      await sleep(o.settleMs);
      const after = await hostReading([], 15, 200, fs);
      const raw = ((before.available + after.available) / 2 - loaded.available) / o.instances;
      rawPerRound.push(raw);
      // Without root there, the related processes' memory cannot be told from the rest of the machine's: the plain drop is the figure.
      if (before.deniedPids || loaded.deniedPids || after.deniedPids) uncorrected = true;
      perRound.push(((before.corrected + after.corrected) / 2 - loaded.corrected) / o.instances);
    }
    if (!startupMs.length) throw new Error('no instance started');
    if (uncorrected) {
      // Every round is then the plain drop (a corrected round beside an uncorrected one would not compare).
      perRound.splice(0, perRound.length, ...rawPerRound);
      notes.push(needsRootNote('host-correction', fs.label));
    } else notes.push(note('host-memory-method'));
    if (!isLocal(fs)) notes.push(note('footprint-remote-cpu', { host: fs.label }));
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
async function instanceSideCpuMs(driver: InstanceDriver, inst: Instance, fs: HostFs): Promise<number> {
  let sum = inst.cgroupCpuMs ?? (inst.pid ? ((await processCpuMs(inst.pid, false, fs)) ?? 0) : 0);
  for (const pid of (await driver.helperPids?.(inst)) ?? []) {
    // A helper inside the instance's cgroup (gVisor's sandbox and gofer) is in the cgroup's figure already.
    if (inst.cgroupCpuMs !== undefined && inst.cgroup && (await cgroupOf(pid, fs))?.cpuDir === inst.cgroup.cpuDir) continue;
    sum += (await processCpuMs(pid, true, fs)) ?? 0;
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
async function readDetails(driver: InstanceDriver, started: Instance[], notes: Note[], fs: HostFs): Promise<Omit<FootprintResult, 'startupMs' | 'notes' | 'instances'>> {
  const cgroupUsage: number[] = [];
  const cgroupAnon: number[] = [];
  const cgroupCpu: number[] = [];
  const processPss: number[] = [];
  const helpersOf = new Map<Instance, number[]>();
  /** Figures the host refused without root (PSS of other users' processes, a cgroup file): noted once each. */
  const denied = new Set<RootFigure>();
  for (const inst of started) helpersOf.set(inst, (await driver.helperPids?.(inst)) ?? []);
  for (const inst of started) {
    if (inst.cgroup) {
      try {
        const m = await readCgroupMemory(inst.cgroup, fs);
        cgroupUsage.push(m.usage);
        if (m.anon !== undefined) cgroupAnon.push(m.anon);
      } catch (err) {
        if (readFailure(err) === 'denied') denied.add('cgroup');
        else notes.push(note('cgroup-unreadable', { dir: inst.cgroup.memoryDir, error: (err as Error).message }));
      }
    }
    if (inst.cgroupCpuMs !== undefined) cgroupCpu.push(inst.cgroupCpuMs);
    // Under gVisor the pid the engine gives is the sandbox, a helper: the workload has no host process of its own.
    if (inst.pid && !helpersOf.get(inst)!.includes(inst.pid)) {
      const p = await pssRead(inst.pid, fs);
      if (typeof p === 'number') processPss.push(p);
      else if (p === 'denied') denied.add('process-pss');
    }
  }
  // Helpers may serve several instances (one VMM, one sandbox per pod): count each process once, then share it out.
  const helpers = new Map<number, number>();
  const names = new Set<string>();
  let helpersDenied = false;
  for (const inst of started) {
    for (const pid of helpersOf.get(inst)!) {
      if (helpers.has(pid)) continue;
      const pss = await pssRead(pid, fs);
      if (pss === 'denied') helpersDenied = true;
      if (typeof pss !== 'number') continue;
      helpers.set(pid, pss);
      names.add((await commandName(pid, fs)) ?? String(pid));
    }
  }
  const disk = started[0] && driver.disk ? await driver.disk(started[0]).catch((err: Error) => (notes.push(note('disk-unreadable', { error: err.message })), {})) : {};
  if (started.length && !started.some((s) => s.cgroup) && driver.model !== 'process') notes.push(note('no-cgroup', { model: driver.model }));
  if (helpersDenied) denied.add('helper-pss');
  for (const figure of denied) notes.push(needsRootNote(figure, fs.label));
  return {
    memory: {
      cgroupBytes: medianOf(cgroupUsage),
      cgroupAnonBytes: medianOf(cgroupAnon),
      // Helpers the host would not show are unknown, not 0; some shown and some refused would be an undercount.
      helperPssBytes: helpersDenied ? undefined : helpers.size ? [...helpers.values()].reduce((a, b) => a + b, 0) / started.length : driver.helperPids ? 0 : undefined,
      processPssBytes: medianOf(processPss),
    },
    cpu: { cgroupStartupMs: medianOf(cgroupCpu) },
    disk,
    helperProcesses: [...names].sort(),
  };
}
