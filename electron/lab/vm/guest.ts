import { randomBytes } from 'node:crypto';
import { CancelledError, now } from '../targets/target';
import type { VmKit } from './kit';
import { parseMeminfo, processMemory, type ProcessMemory } from './procfs';
import { bootQemu, freePort, type Accel, type BootPhase, type Machine, type QemuProcess } from './qemu';
import { openSession, waitForBanner, type GuestSession } from './ssh';
import { claimVm, releaseVm, type LiveVm } from './sweep';

/** Every phase of one VM, in the order they end. */
export const VM_PHASES = ['spawn', 'firmware', 'kernel', 'init', 'ready', 'ssh', 'shutdown'] as const;
export type VmPhase = (typeof VM_PHASES)[number];

/** What the guest runs over SSH: its own uptime and memory, in one exec. */
const GUEST_PROBE = 'cat /proc/uptime /proc/meminfo';

export interface GuestOptions {
  root: string;
  runId: string;
  qemu: string;
  kit: VmKit;
  accel: Accel;
  /** q35 when left out. */
  machine?: Machine;
  /** The guest's TSC rate for its command line (see guestTsc). */
  tscKhz?: number;
  memoryMiB: number;
  signal: AbortSignal;
  /** From spawn to SSH ready. */
  timeoutMs: number;
  onPhase?: (phase: VmPhase) => void;
  onLine?: (line: string) => void;
}

export interface GuestMeasure {
  /** ms since the zero point (just before QEMU's spawn) at which each phase ended. */
  marks: Partial<Record<VmPhase, number>>;
  /** The guest's own /proc/uptime at its markers and at the SSH exec, ms. */
  guestUptime: { init?: number; ready?: number; ssh?: number };
  /** QEMU's memory and CPU at SSH ready. */
  qemu?: ProcessMemory;
  guestMemTotalBytes?: number;
  guestMemUsedBytes?: number;
}

/** A booted guest, logged in over SSH, waiting to be shut down. */
export interface RunningGuest {
  vm: LiveVm;
  q: QemuProcess;
  session: GuestSession;
  measure: GuestMeasure;
}

const PORT_RETRIES = 3;

/** A VM's id: its run's id (safe characters only: it goes into QEMU's -name) and a random suffix. */
const vmIdFor = (runId: string) => `${runId.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 48)}-${randomBytes(3).toString('hex')}`;

/**
 * Boots one guest and times it to SSH ready: QEMU's serial console gives spawn, firmware, kernel, init and
 * ready; `ssh` ends with the first successful exec over SSH with the host key verified. On any failure or
 * cancel, QEMU is killed and its folder removed before this rejects.
 */
export async function startGuest(o: GuestOptions): Promise<RunningGuest> {
  for (let attempt = 1; ; attempt++) {
    if (o.signal.aborted) throw new CancelledError();
    const vm = await claimVm(o.root, o.runId, vmIdFor(o.runId));
    const port = await freePort();
    const q = bootQemu({
      qemu: o.qemu,
      vm,
      kit: o.kit,
      accel: o.accel,
      machine: o.machine,
      tscKhz: o.tscKhz,
      memoryMiB: o.memoryMiB,
      mode: 'run',
      sshPort: port,
      signal: o.signal,
      onPhase: o.onPhase as (p: BootPhase) => void,
      onLine: o.onLine,
    });
    try {
      await q.waitFor('ready', o.timeoutMs);
      const deadline = Date.now() + Math.max(1000, o.timeoutMs - (now() - q.t0));
      const sock = await waitForBanner(port, deadline, o.signal);
      const session = await openSession(sock, { hostKeyPublic: o.kit.hostKeyPublic, clientKey: o.kit.clientKey, signal: o.signal, timeoutMs: Math.max(1000, deadline - Date.now()) });
      const probe = await session.exec(GUEST_PROBE);
      if (probe.code !== 0) throw new Error(`the guest's first SSH command failed (status ${probe.code}): ${probe.stderr.trim()}`);
      const marks: GuestMeasure['marks'] = { ...q.marks, ssh: now() - q.t0 };
      delete (marks as Record<string, unknown>).exit;
      o.onPhase?.('ssh');
      const qemu = q.pid ? await processMemory(q.pid) : undefined;
      const mem = parseMeminfo(probe.stdout);
      const uptime = Number(probe.stdout.split(/\s/)[0]) * 1000;
      return {
        vm,
        q,
        session,
        measure: {
          marks,
          guestUptime: { ...q.guestUptime, ssh: Number.isFinite(uptime) ? uptime : undefined },
          qemu,
          guestMemTotalBytes: mem.totalBytes,
          guestMemUsedBytes: mem.totalBytes !== undefined && mem.availableBytes !== undefined ? mem.totalBytes - mem.availableBytes : undefined,
        },
      };
    } catch (err) {
      await q.stop();
      await releaseVm(vm);
      // Another program took the port between our check and QEMU's bind: try another.
      if (attempt < PORT_RETRIES && /hostfwd|host forwarding/i.test(q.stderr) && !(err instanceof CancelledError)) continue;
      throw err;
    }
  }
}

/** Powers the guest off from inside and marks `shutdown` when QEMU has exited; kills it if it hangs. */
export async function shutdownGuest(g: RunningGuest, o: { signal: AbortSignal; timeoutMs: number; onPhase?: (phase: VmPhase) => void }): Promise<GuestMeasure> {
  try {
    // The exec never returns: the connection dies with the guest. A dead connection is caught by the timer.
    g.session.client.on('error', () => {});
    try {
      g.session.client.exec('poweroff -f', () => {});
    } catch {
      g.q.kill();
    }
    const timer = setTimeout(() => g.q.kill(), o.timeoutMs);
    await g.q.exited;
    clearTimeout(timer);
    if (o.signal.aborted) throw new CancelledError();
    if (g.q.exitSignal) throw new Error(`the guest did not power off within ${(o.timeoutMs / 1000).toFixed(0)} s; QEMU was killed`);
    g.measure.marks.shutdown = g.q.marks.exit;
    o.onPhase?.('shutdown');
    return g.measure;
  } finally {
    g.session.close();
    await g.q.stop();
    await releaseVm(g.vm);
  }
}

/** Kills a guest at once (cancel, density teardown on failure). */
export async function killGuest(g: RunningGuest): Promise<void> {
  g.session.close();
  await g.q.stop(100);
  await releaseVm(g.vm);
}
