import { median } from 'simple-statistics';
import type { Environment, Footprint } from '../../../shared/run';
import { dataDir } from '../paths';
import { CancelledError, throwIfAborted, type IterationContext, type Marks, type Target } from '../targets/target';
import { detectAccelerator, type AccelChoice, type AccelRequest } from './accel';
import { vmDensity } from './density';
import { killGuest, shutdownGuest, startGuest, VM_PHASES, type GuestMeasure, type RunningGuest } from './guest';
import { ensureVmKit, type VmKit } from './kit';
import { DEFAULT_MACHINE, findQemu, machineType, MACHINES, qemuVersion, virtioTransport, type Machine } from './qemu';
import { guestTsc, type TscRate } from './tsc';
import { note, type Note } from '../../../shared/notes';

export interface QemuTargetOptions {
  runId: string;
  /** Guest memory; 256 MiB by default. */
  memoryMiB?: number;
  accel?: AccelRequest;
  /** QEMU's machine type: q35 (the full VM, by default), pc, or microvm (no PCI, virtio-mmio, qboot). */
  machine?: Machine;
  /** A vmlinuz of the user's choice; otherwise cache, host /boot, or apt with consent. */
  kernel?: string;
  /** Consent to fetch Debian's cloud kernel with `apt-get download` when no other kernel is found. */
  allowApt?: boolean;
  /** isolab's data directory (kit cache, live VM folders). */
  root?: string;
  /** Boot up to this many VMs at once after the iterations, for the footprint's density curve (0: skip). */
  density?: number;
  /** Spawn to SSH ready; defaults to 120 s under TCG, 30 s with an accelerator. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const MiB = 1024 * 1024;

/** The model a machine is measured as: the PC machines are the full VM, microvm a model of its own. */
export const vmModelName = (machine: Machine, accel?: string) => `vm:${machine === 'microvm' ? 'microvm' : 'qemu'}${accel ? `-${accel}` : ''}`;

/** What each machine boots with, by QEMU's defaults (isolab passes no -bios). */
const MACHINE_FACTS: Record<Machine, { firmware: string; netDevice: string }> = {
  q35: { firmware: 'SeaBIOS (bios-256k.bin)', netDevice: 'virtio-net-pci' },
  pc: { firmware: 'SeaBIOS (bios-256k.bin)', netDevice: 'virtio-net-pci' },
  microvm: { firmware: 'qboot (bios-microvm.bin)', netDevice: 'virtio-net-device (virtio-mmio)' },
};

/**
 * A real virtual machine: QEMU boots isolab's kit (a distribution kernel + isolab's initramfs) and each
 * iteration is timed from one zero point (just before QEMU's spawn): `spawn`, `firmware` (first serial
 * byte), `kernel` (the kernel's banner), `init`, `ready` (network and SSH server started), `ssh` (the first
 * exec over SSH with the host key verified), `shutdown` (QEMU exited after the guest powered off).
 * Every machine type is timed on the same marks with the same kit, so a q35 VM and a microvm chart side by side.
 */
export class QemuTarget implements Target {
  readonly phases = VM_PHASES;
  model: string;
  readonly machine: Machine;
  private readonly root: string;
  private readonly memoryMiB: number;
  private machineType?: string;
  private tsc?: TscRate;
  private kit?: VmKit;
  private qemu?: string;
  private choice?: AccelChoice;
  private readonly live = new Set<RunningGuest>();
  private readonly measures: GuestMeasure[] = [];

  constructor(private readonly opts: QemuTargetOptions) {
    this.root = opts.root ?? dataDir();
    this.memoryMiB = opts.memoryMiB ?? 256;
    this.machine = opts.machine ?? DEFAULT_MACHINE;
    if (!MACHINES.includes(this.machine)) throw new Error(`unknown machine type ${String(opts.machine)}: use one of ${MACHINES.join(', ')}`);
    this.model = vmModelName(this.machine);
    if (!Number.isInteger(this.memoryMiB) || this.memoryMiB < 64 || this.memoryMiB > 65536) {
      throw new Error(`guest memory must be a whole number of MiB between 64 and 65536 (got ${opts.memoryMiB})`);
    }
  }

  get accelerator(): string | undefined {
    return this.choice?.accel;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    this.qemu = await findQemu();
    this.machineType = await machineType(this.qemu, this.machine);
    if (!this.machineType) {
      throw new Error(`${this.qemu} (QEMU ${await qemuVersion(this.qemu)}) has no ${this.machine} machine type (see \`${this.qemu} -machine help\`)${this.machine === 'microvm' ? '; microvm came with QEMU 4.2' : ''}`);
    }
    this.kit = await ensureVmKit({ root: this.root, kernel: this.opts.kernel, allowApt: this.opts.allowApt, log: this.opts.log });
    throwIfAborted(signal);
    this.choice = await detectAccelerator({ root: this.root, kit: this.kit, requested: this.opts.accel ?? 'auto', machine: this.machine, qemu: this.qemu, signal, log: this.opts.log });
    this.model = vmModelName(this.machine, this.choice.accel);
    this.tsc = await guestTsc(this.machine, this.choice.accel);
    if (this.choice.accel === 'tcg') this.opts.log?.('warning: no working hardware accelerator; QEMU emulates the CPU (TCG), so timings are emulation, not virtualization');
    if (this.machine === 'microvm' && this.choice.accel === 'tcg' && !this.tsc) {
      this.opts.log?.("warning: the host's TSC rate is unknown (no bogomips or constant_tsc in /proc/cpuinfo): the microvm guest calibrates against its PIT alone and may hang on a busy host");
    }
  }

  async environment(): Promise<Partial<Environment>> {
    return {
      accelerator: this.choice?.accel,
      vm: {
        qemu: this.qemu && (await qemuVersion(this.qemu)),
        accelTrials: this.choice?.trials,
        memoryMiB: this.memoryMiB,
        vcpus: 1,
        machine: this.machine,
        machineType: this.machineType,
        firmware: MACHINE_FACTS[this.machine].firmware,
        virtio: virtioTransport(this.machine),
        guestTsc: this.tsc,
        kernel: this.kit && { version: this.kit.kernelVersion, source: this.kit.kernelSource, path: this.kit.vmlinuz },
        modules: this.kit?.modules[virtioTransport(this.machine)],
        kit: this.kit?.hash,
        hostKeyFingerprint: this.kit?.hostKeyFingerprint,
        network: `user (restrict=on), hostfwd tcp 127.0.0.1:PORT -> guest 22, ${MACHINE_FACTS[this.machine].netDevice}`,
      },
    };
  }

  notes(): Note[] {
    const notes: Note[] = [];
    if (this.choice?.accel === 'tcg') {
      notes.push(note('vm-tcg'));
      const failed = this.choice.trials.find((t) => !t.ok);
      if (failed) notes.push(note('vm-accel-failed', { accel: failed.accel, detail: failed.detail.split(';')[0] }));
    }
    if (this.machine === 'microvm') {
      notes.push(note('vm-microvm'));
      if (this.tsc) notes.push(note('vm-microvm-tsc', { khz: this.tsc.khz }));
    }
    notes.push(note('vm-memory-at-ready'));
    return notes;
  }

  private timeoutMs(): number {
    return this.opts.timeoutMs ?? (this.choice?.accel === 'tcg' ? 120_000 : 30_000);
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    if (!this.kit || !this.qemu || !this.choice) throw new Error('QemuTarget.iterate before prepare');
    const g = await startGuest({
      root: this.root,
      runId: this.opts.runId,
      qemu: this.qemu,
      kit: this.kit,
      accel: this.choice.accel,
      machine: this.machine,
      tscKhz: this.tsc?.khz,
      memoryMiB: this.memoryMiB,
      signal: ctx.signal,
      timeoutMs: this.timeoutMs(),
      onPhase: (p) => ctx.onPhase(p),
    });
    this.live.add(g);
    try {
      const m = await shutdownGuest(g, { signal: ctx.signal, timeoutMs: 15_000, onPhase: (p) => ctx.onPhase(p) });
      if (!ctx.warmup) this.measures.push(m);
      return m.marks as Marks;
    } catch (err) {
      if (ctx.signal.aborted) throw new CancelledError();
      throw err;
    } finally {
      this.live.delete(g);
    }
  }

  async footprint(signal: AbortSignal): Promise<Footprint | undefined> {
    if (!this.kit) return undefined;
    const med = (xs: (number | undefined)[]) => {
      const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      return v.length ? median(v) : undefined;
    };
    const ms = this.measures;
    const clean = <T extends Record<string, number | undefined>>(o: T) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, number>;
    const initHost = med(ms.map((m) => (m.marks.init ?? NaN) - (m.marks.spawn ?? NaN)));
    const fp: Footprint = {
      memory: clean({
        guestConfiguredBytes: this.memoryMiB * MiB,
        qemuRssBytes: med(ms.map((m) => m.qemu?.rssBytes)),
        qemuPssBytes: med(ms.map((m) => m.qemu?.pssBytes)),
        guestMemTotalBytes: med(ms.map((m) => m.guestMemTotalBytes)),
        guestMemUsedBytes: med(ms.map((m) => m.guestMemUsedBytes)),
      }),
      disk: clean({
        kernelBytes: this.kit.sizes.kernelBytes,
        initramfsBytes: this.kit.sizes.initramfsBytes,
        totalBytes: this.kit.sizes.kernelBytes + this.kit.sizes.initramfsBytes,
      }),
      cpu: clean({ qemuStartupCpuMs: med(ms.map((m) => m.qemu?.cpuMs)) }),
      // The guest's own clock, as PerfKitBenchmarker's guest-adjusted boot time: uptime when PID 1 ran.
      guestBoot: clean({
        uptimeAtInitMs: med(ms.map((m) => m.guestUptime.init)),
        uptimeAtReadyMs: med(ms.map((m) => m.guestUptime.ready)),
        uptimeAtSshMs: med(ms.map((m) => m.guestUptime.ssh)),
        hostSpawnToInitMs: initHost,
        // Host time at init minus the guest's uptime then: what passed before the guest's clock started
        // (QEMU's start, firmware, the kernel's decompression).
        beforeGuestClockMs: med(ms.map((m) => (m.marks.init ?? NaN) - (m.guestUptime.init ?? NaN))),
      }),
      samples: ms.length,
    };
    if (this.opts.density && this.opts.density > 0) {
      const d = await vmDensity({
        root: this.root,
        runId: this.opts.runId,
        count: this.opts.density,
        memoryMiB: this.memoryMiB,
        kit: this.kit,
        qemu: this.qemu,
        accel: this.choice!.accel,
        machine: this.machine,
        signal,
        log: this.opts.log,
      });
      // Each step: the new VM's phase marks (ms, same zero point as the iterations) and the memory after it.
      fp.density = d.steps.map((s) =>
        clean({
          vms: s.vms,
          ...Object.fromEntries(Object.entries(s.marks).map(([p, v]) => [`${p}Ms`, v])),
          addedPssBytes: s.addedPssBytes,
          totalPssBytes: s.totalPssBytes,
          totalRssBytes: s.totalRssBytes,
          hostAvailableBytes: s.hostAvailableBytes,
          guestMemUsedBytes: s.guestMemUsedBytes,
        }),
      );
      if (d.stoppedBecause) fp.densityStoppedBecause = d.stoppedBecause;
    }
    return fp;
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.live].map((g) => killGuest(g)));
    this.live.clear();
  }
}
