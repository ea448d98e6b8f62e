import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CancelledError, now } from '../targets/target';
import { ERROR_MARK, kernelCmdline, MARK } from './guest-init';
import type { VmKit } from './kit';
import { findTool } from './keys';
import { qemuName, type LiveVm } from './sweep';

const run = promisify(execFile);

export type Accel = 'kvm' | 'hvf' | 'whpx' | 'tcg';

/**
 * QEMU's x86 machine types isolab boots. q35 (ICH9 chipset, PCIe, SeaBIOS) is the full VM: OpenStack's
 * documentation calls pc (i440FX, 1996; still QEMU's own default) legacy and notes that RHEL and CentOS
 * support q35 only. microvm is QEMU's machine after Firecracker's model: no PCI, virtio-mmio devices, the
 * 64 KiB qboot as its firmware.
 */
export const MACHINES = ['q35', 'pc', 'microvm'] as const;
export type Machine = (typeof MACHINES)[number];
export const DEFAULT_MACHINE: Machine = 'q35';

/** How the guest reaches its virtio devices: PCI on the PC machines, memory-mapped on microvm. */
export type VirtioTransport = 'pci' | 'mmio';
export const virtioTransport = (m: Machine): VirtioTransport => (m === 'microvm' ? 'mmio' : 'pci');

/** The boot phases the serial console shows, in order. */
const BOOT_PHASES = ['spawn', 'firmware', 'kernel', 'init', 'ready'] as const;
export type BootPhase = (typeof BOOT_PHASES)[number];

export async function findQemu(env = process.env): Promise<string> {
  const names = env.ISOLAB_QEMU ? [env.ISOLAB_QEMU] : process.arch === 'arm64' ? ['qemu-system-aarch64'] : ['qemu-system-x86_64'];
  const found = await findTool(names, env);
  if (!found) {
    throw new Error(`${names[0]} not found: install QEMU (Debian/Ubuntu: \`sudo apt-get install qemu-system-x86\`; macOS: \`brew install qemu\`) or set ISOLAB_QEMU`);
  }
  return found;
}

export async function qemuVersion(qemu: string): Promise<string> {
  const { stdout } = await run(qemu, ['--version']);
  return stdout.match(/version\s+(\S+)/)?.[1] ?? stdout.split('\n')[0];
}

/** A free TCP port on 127.0.0.1 for the SSH forward (QEMU binds it; a lost race is retried by the caller). */
export { freePort } from '../net';

export interface QemuArgsOptions {
  kit: Pick<VmKit, 'vmlinuz' | 'initramfs'>;
  accel: Accel;
  memoryMiB: number;
  vmId: string;
  pidFile: string;
  mode: 'run' | 'probe';
  /** The machine type; q35 when left out. */
  machine?: Machine;
  /** The guest's TSC rate, given on its command line (microvm under TCG has no timer to calibrate it against). */
  tscKhz?: number;
  /** Host port forwarded to the guest's port 22; no network device at all when left out. */
  sshPort?: number;
}

/**
 * `-machine`'s value. microvm keeps its defaults (ISA serial for the console the boot is timed on, PIT and
 * PIC, ACPI: the Debian kernel finds virtio-mmio devices through ACPI, it cannot take them on its command
 * line) but loads no option ROM: qboot boots the kernel from fw_cfg itself.
 */
function machineArg(machine: Machine, accel: Accel): string {
  return machine === 'microvm' ? `microvm,accel=${accel},x-option-roms=off` : `${machine},accel=${accel}`;
}

/**
 * QEMU's command line: no default devices, the serial console on stdio, direct kernel boot, and (for SSH)
 * one virtio-net device on user networking with `restrict=on` — the guest reaches nothing, not even the host,
 * and the only way in is the forward bound to 127.0.0.1.
 */
export function qemuArgs(o: QemuArgsOptions): string[] {
  const cpu = o.accel === 'tcg' ? 'max' : 'host';
  const machine = o.machine ?? DEFAULT_MACHINE;
  const transport = virtioTransport(machine);
  const args = [
    '-name', qemuName(o.vmId),
    '-nodefaults', '-no-user-config',
    '-machine', machineArg(machine, o.accel),
    '-cpu', cpu,
    '-smp', '1',
    '-m', String(o.memoryMiB),
    '-display', 'none',
    '-serial', 'stdio',
    '-monitor', 'none',
    '-no-reboot',
    '-pidfile', o.pidFile,
    '-kernel', o.kit.vmlinuz,
    '-initrd', o.kit.initramfs,
    '-append', kernelCmdline(o.mode, { transport, tscKhz: o.tscKhz }),
  ];
  if (o.sshPort !== undefined) {
    args.push(
      '-netdev', `user,id=n0,restrict=on,ipv6=off,hostfwd=tcp:127.0.0.1:${o.sshPort}-:22`,
      // romfile= skips the iPXE option ROM: nothing boots from the network. virtio-mmio devices have none.
      '-device', transport === 'mmio' ? 'virtio-net-device,netdev=n0' : 'virtio-net-pci,netdev=n0,romfile=',
    );
  }
  return args;
}

/** What QEMU's alias stands for here (`q35` -> `pc-q35-7.2`), from `-machine help`; undefined if not listed. */
export async function machineType(qemu: string, machine: Machine): Promise<string | undefined> {
  const { stdout } = await run(qemu, ['-machine', 'help']).catch(() => ({ stdout: '' }));
  return parseMachineHelp(stdout, machine);
}

export function parseMachineHelp(text: string, machine: Machine): string | undefined {
  for (const line of text.split('\n')) {
    const m = line.match(/^(\S+)\s+(.*)$/);
    if (!m || m[1] !== machine) continue;
    return m[2].match(/\(alias of ([^)]+)\)/)?.[1] ?? m[1];
  }
  return undefined;
}

export interface BootOptions extends Omit<QemuArgsOptions, 'pidFile' | 'vmId'> {
  qemu: string;
  vm: LiveVm;
  signal: AbortSignal;
  onPhase?: (phase: BootPhase) => void;
  onLine?: (line: string) => void;
}

/** Serial lines kept for error messages. */
const TAIL = 30;

/**
 * One running QEMU, timed from the moment before spawn (the zero point). Marks fill in as the serial
 * console shows each stage: `spawn` (the OS started QEMU), `firmware` (the first serial byte: firmware and
 * loader done, the kernel's setup code speaks), `kernel` ("Linux version"), `init` and `ready` (the guest's
 * markers, with its own /proc/uptime in `guestUptime`).
 */
export class QemuProcess {
  readonly t0: number;
  readonly child: ChildProcess;
  readonly marks: Partial<Record<BootPhase | 'exit', number>> = {};
  readonly guestUptime: Partial<Record<'init' | 'ready', number>> = {};
  readonly tail: string[] = [];
  stderr = '';
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  readonly exited: Promise<void>;
  private failure?: Error;
  private waiters = new Set<() => void>();
  private partial = '';
  private killTimer?: NodeJS.Timeout;

  constructor(readonly o: BootOptions) {
    const args = qemuArgs({ ...o, vmId: o.vm.id, pidFile: path.join(o.vm.dir, 'qemu.pid') });
    this.t0 = now();
    this.child = spawn(o.qemu, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.once('spawn', () => this.mark('spawn'));
    this.child.stdout!.on('data', (d: Buffer) => this.onSerial(d));
    this.child.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 8192) this.stderr += d.toString();
    });
    this.child.stdin!.on('error', () => {});
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.fail(new Error(`could not start ${o.qemu}: ${err.message}`));
        this.exitCode = -1;
        resolve();
      });
      this.child.once('exit', (code, sig) => {
        this.marks.exit = now() - this.t0;
        this.exitCode = code;
        this.exitSignal = sig;
        clearTimeout(this.killTimer);
        this.notify();
        resolve();
      });
    });
    if (o.signal.aborted) this.kill();
    o.signal.addEventListener('abort', this.onAbort, { once: true });
    void this.exited.then(() => o.signal.removeEventListener('abort', this.onAbort));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  private onAbort = () => this.kill();

  private mark(phase: BootPhase): void {
    if (this.marks[phase] !== undefined) return;
    let t = now() - this.t0;
    // A phase never ends before the one it follows (two markers can arrive in one read).
    for (const p of BOOT_PHASES) {
      if (p === phase) break;
      if (this.marks[p] === undefined) this.mark(p);
      t = Math.max(t, this.marks[p]!);
    }
    this.marks[phase] = t;
    this.o.onPhase?.(phase);
    this.notify();
  }

  private onSerial(d: Buffer): void {
    if (this.marks.firmware === undefined) this.mark('firmware');
    const text = this.partial + d.toString('latin1');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > 4096) this.partial = this.partial.slice(-4096);
    for (const raw of lines) this.onLine(raw.replace(/\r$/, ''));
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > TAIL) this.tail.shift();
    this.o.onLine?.(line);
    if (this.marks.kernel === undefined && line.includes('Linux version')) this.mark('kernel');
    const m = line.match(new RegExp(`${MARK} (init|ready) ([0-9.]+)`));
    if (m) {
      const phase = m[1] as 'init' | 'ready';
      this.guestUptime[phase] = Number(m[2]) * 1000;
      this.mark(phase);
      return;
    }
    const e = line.indexOf(ERROR_MARK);
    if (e >= 0) this.fail(new Error(`the guest reported: ${line.slice(e + ERROR_MARK.length).trim()}`));
    else if (/Kernel panic/.test(line)) this.fail(new Error(`the guest kernel panicked: ${line.trim()}`));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with the mark when `phase` is reached; rejects if QEMU exits or fails first, or on timeout. */
  waitFor(phase: BootPhase, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`the guest did not reach the ${phase} phase within ${(timeoutMs / 1000).toFixed(0)} s${this.describe()}`));
      }, timeoutMs);
      const check = () => {
        const fail = (err: Error) => {
          this.waiters.delete(check);
          clearTimeout(timer);
          reject(err);
        };
        if (this.o.signal.aborted) return fail(new CancelledError());
        if (this.marks[phase] !== undefined) {
          this.waiters.delete(check);
          clearTimeout(timer);
          return resolve(this.marks[phase]!);
        }
        if (this.failure) return fail(this.failure);
        if (!this.running) return fail(new Error(`QEMU exited (${this.exitSignal ?? `status ${this.exitCode}`}) before the ${phase} phase${this.describe()}`));
      };
      this.waiters.add(check);
      check();
    });
  }

  /** What the serial console and QEMU said last, for an error message. */
  describe(): string {
    const err = this.stderr.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
    const tail = this.tail.filter((l) => l.trim()).slice(-3).join(' | ');
    return (err ? `; QEMU said: ${err}` : '') + (tail ? `; last console lines: ${tail}` : '');
  }

  /** SIGTERM, then SIGKILL after a short grace: QEMU never outlives a cancel. */
  kill(graceMs = 300): void {
    if (!this.running || !this.child.pid) return;
    try {
      this.child.kill('SIGTERM');
    } catch {
      /* already gone */
    }
    this.killTimer ??= setTimeout(() => {
      if (this.running) this.child.kill('SIGKILL');
    }, graceMs);
    this.killTimer.unref?.();
  }

  /** Stops QEMU and waits until it is gone. */
  async stop(graceMs = 300): Promise<void> {
    this.kill(graceMs);
    await this.exited;
  }
}

/** Live QEMU processes of this isolab: killed synchronously if the process exits in any ordinary way. */
const liveQemus = new Set<QemuProcess>();
process.once('exit', () => {
  for (const q of liveQemus) {
    try {
      if (q.running) q.child.kill('SIGKILL');
    } catch {
      /* nothing left to do on the way out */
    }
  }
});

export function bootQemu(o: BootOptions): QemuProcess {
  const q = new QemuProcess(o);
  liveQemus.add(q);
  void q.exited.then(() => liveQemus.delete(q));
  return q;
}
