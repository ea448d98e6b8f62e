import { randomInt } from 'node:crypto';
import os from 'node:os';
import type { Environment, Footprint } from '../../../shared/run';
import type { StartupClock } from '../../../shared/compare';
import { medianOf } from '../../../shared/stats';
import { note, type Note } from '../../../shared/notes';
import { isOrphaned, LABEL_MANAGED, LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_RUN } from '../labels';
import { CancelledError, throwIfAborted, type IterationContext, type Marks, type Target } from '../targets/target';
import { VM_PHASES } from '../vm/guest';
import { ensureVmKit, type VmKit } from '../vm/kit';
import { qemuArgs, virtioTransport, type Accel, type Machine } from '../vm/qemu';
import { vmModelName } from '../vm/target';
import { parseTscKhz } from '../vm/tsc';
import type { SshConnection } from './connect';
import { clockExpr, parseTiming, remoteShellClockNote, shellQuote, type ShellClock, type ShellTiming } from '../shell-timing';
import { bootScript, killScript, KIT_SPACE_KIB, LIST_VM_LEFTOVERS, makeVmDirScript, parseBoot, parseVmDir, parseVmLeftovers, parseVmProbe, VM_PROBE, type BootResult, type VmProbe } from './vm-scripts';
import { oncePerConnection } from './once-per-connection';
import { uploadFile } from './upload';

type Conn = Pick<SshConnection, 'exec' | 'channel'>;

const OVERHEAD_SAMPLES = 7;
const PORT_RETRIES = 3;
/** A trial boot under KVM must reach the guest's init within this (a working accelerator needs well under a second). */
const ACCEL_TRIAL_S = 10;

/** What the remote host offers for a VM (asked once per connection). */
export function remoteVmProbe(conn: Conn): Promise<VmProbe> {
  return oncePerConnection(conn, 'vm-probe', () => conn.exec(VM_PROBE).then((r) => parseVmProbe(r.stdout)));
}

/**
 * Why this host cannot boot isolab's kit, or undefined when it can: QEMU for x86-64 with the machine type, bash for
 * the boot script, room in its tmp for the kit. Another architecture is fine (QEMU emulates x86-64 with TCG there).
 */
export function remoteVmBlocker(p: VmProbe, machine: Machine): string | undefined {
  if (!p.qemu) return 'qemu-system-x86_64 is not on the remote host (Debian/Ubuntu: `apt-get install qemu-system-x86`)';
  if (!p.machines[machine]) return `${p.qemu} on the remote host has no ${machine} machine type (see \`${p.qemu} -machine help\`)`;
  if (!p.bash) return 'the remote host has no bash, which isolab\'s boot script needs (its /dev/tcp reads the guest\'s SSH banner there)';
  if (p.freeKiB !== undefined && p.freeKiB < KIT_SPACE_KIB) return `the remote host's tmp has ${Math.round(p.freeKiB / 1024)} MiB free; the VM kit needs ${KIT_SPACE_KIB / 1024} MiB`;
  return undefined;
}

/**
 * Kills the QEMU processes and removes the kit dirs an ended isolab of this machine left on the remote host (once per
 * connection, before the first VM model there). A dir whose owner file names a live isolab, another machine, or
 * none is left alone; a process is killed only when its command line carries isolab's `-name` marker.
 */
function sweepRemoteVms(conn: Conn, log?: (line: string) => void): Promise<string[]> {
  return oncePerConnection(conn, 'vm-sweep', () =>
    (async () => {
      const swept: string[] = [];
      for (const { dir, owner } of parseVmLeftovers((await conn.exec(LIST_VM_LEFTOVERS)).stdout)) {
        if (!isOrphaned(owner)) continue;
        if ((await conn.exec(killScript(dir, true))).code === 0) swept.push(dir);
      }
      if (swept.length) log?.(`removed ${swept.length} VM kit dir(s) an earlier isolab left on the remote host`);
      return swept;
    })().catch(() => []),
  );
}

export interface RemoteVmOptions {
  conn: Conn;
  probe: VmProbe & { qemu: string; bash: string };
  machine: Machine;
  runId: string;
  /** isolab's data dir here (the kit is built here, then uploaded). */
  root: string;
  memoryMiB?: number;
  log?: (line: string) => void;
}

interface AccelTrial {
  accel: Accel;
  ok: boolean;
  detail: string;
}

/**
 * isolab's VM on a remote host (vm:qemu, vm:microvm there): this machine's kit (kernel and initramfs, with the
 * guest's host key and isolab's authorized key inside) uploaded into a mktemp dir of the SSH user, and each boot one
 * exec of bash there that times it on the remote clock (electron/lab/remote/vm-scripts.ts bootScript): the same
 * QEMU command line as locally (`qemuArgs`), so the same phases. Startup only. `ssh` is the guest's SSH banner read
 * on the remote host (no login: this machine's SSH client is not there), `shutdown` QEMU stopped by SIGTERM and
 * reaped (not the guest's own poweroff); both are said in the clock's phases.
 */
export class RemoteVmTarget implements Target {
  readonly phases = VM_PHASES;
  model: string;
  timing?: ShellTiming;
  /** The kit dir on the remote host, once made. */
  dir?: string;
  private kit?: VmKit;
  private accel?: Accel;
  private trials: AccelTrial[] = [];
  private tscKhz?: number;
  private seq = 0;
  private removed = false;
  private readonly memoryMiB: number;
  /** The timed boots' results (not warmups), for the footprint at ready. */
  private readonly boots: BootResult[] = [];

  constructor(private readonly o: RemoteVmOptions) {
    this.model = vmModelName(o.machine);
    this.memoryMiB = o.memoryMiB ?? 256;
  }

  private bash(script: string, timeoutMs?: number) {
    return this.o.conn.exec(`${shellQuote(this.o.probe.bash)} -c ${shellQuote(script)}`, { timeoutMs });
  }

  async prepare(signal: AbortSignal): Promise<void> {
    if (this.dir) return;
    const { conn } = this.o;
    await sweepRemoteVms(conn, this.o.log);
    this.kit = await ensureVmKit({ root: this.o.root, log: this.o.log });
    throwIfAborted(signal);
    const owner = { [LABEL_MANAGED]: 'true', [LABEL_OWNER_PID]: process.pid, [LABEL_OWNER_HOST]: os.hostname(), [LABEL_RUN]: this.o.runId, 'isolab.kit': this.kit.hash };
    const made = await conn.exec(makeVmDirScript(owner));
    this.dir = parseVmDir(made.stdout + (made.code ? made.stderr : ''));
    await uploadFile(conn, this.kit.vmlinuz, `${this.dir}/vmlinuz`);
    await uploadFile(conn, this.kit.initramfs, `${this.dir}/initramfs.cpio.gz`);
    throwIfAborted(signal);
    this.timing = await this.measureClock();
    this.accel = await this.detectAccel(signal);
    this.model = vmModelName(this.o.machine, this.accel);
    if (this.o.machine === 'microvm' && this.accel === 'tcg') this.tscKhz = parseTscKhz(this.o.probe.cpuinfo);
  }

  /** The bash clock there ($EPOCHREALTIME from bash 5, else date), what a pair of readings costs, and an exec's round trip. */
  private async measureClock(): Promise<ShellTiming> {
    const probe = await this.bash('echo "${EPOCHREALTIME:-none}"; date +%s%N');
    const [epoch, date] = probe.stdout.split('\n');
    const clock: ShellClock = /^\d+[.,]\d+$/.test(epoch ?? '') ? 'epochrealtime' : 'date';
    if (clock === 'date' && !/^\d{10,}$/.test(date ?? '')) throw new Error(`the remote host's date cannot give nanoseconds (it printed "${(date ?? '').slice(0, 40)}")`);
    const t = clockExpr(clock);
    const pairs = await this.bash(`for i in ${Array.from({ length: OVERHEAD_SAMPLES }, (_, i) => i + 1).join(' ')}; do t0=${t}; t1=${t}; echo "isolab-t $t0 $t1 0"; done`);
    const gaps = pairs.stdout.split('\n').filter((l) => l.startsWith('isolab-t ')).map((l) => parseTiming(l, clock, 0).marks.ready);
    const trips: number[] = [];
    for (let i = 0; i < 3; i++) trips.push((await this.o.conn.exec('true')).ms);
    return { clock, overheadMs: medianOf(gaps) ?? 0, execRoundTripMs: medianOf(trips) ?? 0 };
  }

  /**
   * KVM when /dev/kvm is there (read-write for the SSH user, an x86-64 host) and a short trial boot reaches the
   * guest's init within 10 s, as the local detection does (a paravirtual KVM can accept QEMU and then hang); TCG otherwise.
   */
  private async detectAccel(signal: AbortSignal): Promise<Accel> {
    const p = this.o.probe;
    if (p.kvm !== 'rw' || p.arch !== 'x86_64') {
      const why = p.arch !== 'x86_64' ? `the remote host is ${p.arch}: QEMU emulates x86-64 there` : p.kvm === 'denied' ? '/dev/kvm is not readable and writable by the SSH user' : 'no /dev/kvm on the remote host';
      this.trials = [{ accel: 'tcg', ok: true, detail: `no hardware accelerator: ${why}` }];
      return 'tcg';
    }
    this.o.log?.(`testing kvm on the remote host with a short ${this.o.machine} boot`);
    const r = await this.boot('kvm', 'init', ACCEL_TRIAL_S, signal);
    const ok = r.outcome === 'init';
    const trial = { accel: 'kvm' as const, ok, detail: ok ? `test boot reached init in ${Math.round(r.marks.init ?? 0)} ms` : `the test boot ended with ${r.outcome}${r.detail ? `: ${r.detail}` : ''}` };
    this.trials = ok ? [trial] : [trial, { accel: 'tcg', ok: true, detail: 'fallback: kvm failed its test boot' }];
    return ok ? 'kvm' : 'tcg';
  }

  /** One boot on the remote host (one exec); a cancel kills its QEMU there, so the exec ends at once. */
  private async boot(accel: Accel, until: 'ready' | 'init', timeoutS: number, signal: AbortSignal): Promise<BootResult> {
    const dir = this.dir!;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const id = `b${++this.seq}`;
      const vmId = `${os.hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 32)}-${process.pid}-${id}`;
      const port = until === 'ready' ? randomInt(20_000, 61_000) : undefined;
      const args = qemuArgs({
        kit: { vmlinuz: `${dir}/vmlinuz`, initramfs: `${dir}/initramfs.cpio.gz` },
        accel,
        machine: this.o.machine,
        memoryMiB: until === 'init' ? 128 : this.memoryMiB,
        vmId,
        pidFile: `${dir}/${id}.pid`,
        mode: until === 'init' ? 'probe' : 'run',
        tscKhz: this.tscKhz,
        sshPort: port,
      });
      const script = bootScript({ dir, id, qemu: this.o.probe.qemu, args, clock: this.timing!.clock, until, port, timeoutS });
      const onAbort = () => void this.o.conn.exec(killScript(dir, false)).catch(() => undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await this.bash(script, timeoutS * 1000 + 20_000);
        if (signal.aborted) throw new CancelledError();
        const b = parseBoot(r.stdout, this.timing!.clock, this.timing!.overheadMs);
        // Another program took the port: try another one, as the local boot does.
        if (b.outcome === 'exited' && /hostfwd|host forwarding/i.test(b.detail) && attempt < PORT_RETRIES) continue;
        return b;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    }
  }

  async environment(): Promise<Partial<Environment>> {
    const p = this.o.probe;
    return {
      accelerator: this.accel,
      vm: {
        qemu: p.version,
        accelTrials: this.trials,
        memoryMiB: this.memoryMiB,
        vcpus: 1,
        machine: this.o.machine,
        machineType: p.machines[this.o.machine],
        virtio: virtioTransport(this.o.machine),
        guestTsc: this.tscKhz ? { khz: this.tscKhz, source: "remote host's /proc/cpuinfo bogomips / 2" } : undefined,
        kernel: this.kit && { version: this.kit.kernelVersion, source: this.kit.kernelSource, path: `${this.dir}/vmlinuz` },
        modules: this.kit?.modules[virtioTransport(this.o.machine)],
        kit: this.kit?.hash,
        hostKeyFingerprint: this.kit?.hostKeyFingerprint,
        network: 'user (restrict=on), hostfwd tcp 127.0.0.1:PORT -> guest 22 on the remote host',
      },
    };
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    if (!this.dir || !this.accel) throw new Error('RemoteVmTarget.iterate before prepare');
    const b = await this.boot(this.accel, 'ready', this.accel === 'tcg' ? 120 : 30, ctx.signal);
    if (b.outcome !== 'ready') {
      const what: Record<string, string> = {
        timeout: 'the guest did not reach SSH ready in time',
        exited: 'QEMU exited before the guest was ready',
        'guest-failed': 'the guest reported a failure',
        'no-banner': "the guest's SSH server sent no banner on the forwarded port",
        'setup-failed': 'could not make the serial fifo in the kit dir (is its tmp full or gone?)',
      };
      throw new Error(`${what[b.outcome] ?? `the boot ended with ${b.outcome}`} on the remote host${b.detail ? `: ${b.detail}` : ''}`);
    }
    for (const p of VM_PHASES) if (b.marks[p] !== undefined) ctx.onPhase(p);
    if (!ctx.warmup) this.boots.push(b);
    return b.marks;
  }

  /**
   * What the boots measured beside their phases, as the local VM's run has it: QEMU's RSS, PSS and CPU time at SSH
   * ready (read from the remote /proc inside each boot's exec), the kit's sizes, the guest's own clock at its markers.
   */
  async footprint(): Promise<Footprint | undefined> {
    if (!this.kit) return undefined;
    const med = (xs: (number | undefined)[]) => medianOf(xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)));
    const clean = (o: Record<string, number | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, number>;
    const bs = this.boots;
    return {
      memory: clean({ guestConfiguredBytes: this.memoryMiB * 2 ** 20, qemuRssBytes: med(bs.map((b) => b.qemu?.rssBytes)), qemuPssBytes: med(bs.map((b) => b.qemu?.pssBytes)) }),
      disk: clean({ kernelBytes: this.kit.sizes.kernelBytes, initramfsBytes: this.kit.sizes.initramfsBytes, totalBytes: this.kit.sizes.kernelBytes + this.kit.sizes.initramfsBytes }),
      cpu: clean({ qemuStartupCpuMs: med(bs.map((b) => b.qemu?.cpuMs)) }),
      guestBoot: clean({
        uptimeAtInitMs: med(bs.map((b) => b.guestUptime.init)),
        uptimeAtReadyMs: med(bs.map((b) => b.guestUptime.ready)),
        hostSpawnToInitMs: med(bs.map((b) => (b.marks.init ?? NaN) - (b.marks.spawn ?? NaN))),
        beforeGuestClockMs: med(bs.map((b) => (b.marks.init ?? NaN) - (b.guestUptime.init ?? NaN))),
      }),
      samples: bs.length,
    };
  }

  notes(): Note[] {
    const notes: Note[] = [];
    const t = this.timing;
    if (t) notes.push(remoteShellClockNote(t));
    if (this.accel === 'tcg') {
      notes.push(note('vm-tcg'));
      const failed = this.trials.find((x) => !x.ok);
      if (failed) notes.push(note('vm-accel-failed', { accel: failed.accel, detail: failed.detail.split(';')[0] }));
    }
    if (this.o.machine === 'microvm') {
      notes.push(note('vm-microvm'));
      if (this.tscKhz) notes.push(note('vm-microvm-tsc', { khz: this.tscKhz }));
    }
    return notes;
  }

  /** Which clock timed each phase: all the remote shell's; `ssh` and `shutdown` mean less than locally, and say so. */
  clock(): StartupClock | undefined {
    const t = this.timing;
    if (!t) return undefined;
    const phases = Object.fromEntries(
      VM_PHASES.map((p) => [p, { clock: 'remote-shell' as const, ...(p === 'ssh' ? { measures: 'ssh-banner' as const } : p === 'shutdown' ? { measures: 'qemu-terminated' as const } : {}) }]),
    );
    return { clock: 'remote-shell', shell: t.clock, overheadMs: t.overheadMs, roundTripMs: t.execRoundTripMs, sshAllowanceMs: 0, phases };
  }

  async dispose(): Promise<void> {
    if (!this.dir || this.removed) return;
    const r = await this.o.conn.exec(killScript(this.dir, true)).catch(() => undefined);
    // Left for the next comparison's sweep when the connection is gone.
    if (r?.code === 0) this.removed = true;
  }
}

