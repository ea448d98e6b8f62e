import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../paths';
import { CancelledError } from '../targets/target';
import type { VmKit } from './kit';
import { bootQemu, DEFAULT_MACHINE, findQemu, qemuVersion, type Accel, type Machine } from './qemu';
import { claimVm, releaseVm } from './sweep';

const run = promisify(execFile);

export type AccelRequest = 'auto' | Accel;

interface AccelTrial {
  accel: Accel;
  ok: boolean;
  /** Why it was skipped or failed, or how long the test boot took. */
  detail: string;
}

export interface AccelChoice {
  accel: Accel;
  trials: AccelTrial[];
  /** The choice came from an earlier test boot on this host since its last reboot. */
  cached: boolean;
}

export interface DetectOptions {
  root: string;
  kit: VmKit;
  requested?: AccelRequest;
  /** The machine type the test boot uses (q35 when left out): the verdict is per machine. */
  machine?: Machine;
  qemu?: string;
  signal?: AbortSignal;
  /** How long a test boot may take to reach init; a hardware accelerator needs well under a second. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** The hardware accelerator this OS offers QEMU, if its device or flag is there. */
async function platformAccel(): Promise<{ accel?: Accel; why: string }> {
  if (process.platform === 'linux') {
    try {
      await access('/dev/kvm', constants.R_OK | constants.W_OK);
      return { accel: 'kvm', why: '/dev/kvm is there' };
    } catch (err) {
      return { why: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no /dev/kvm' : '/dev/kvm is not readable and writable by this user (join the kvm group)' };
    }
  }
  if (process.platform === 'darwin') {
    const out = await run('sysctl', ['-n', 'kern.hv_support']).then((r) => r.stdout.trim(), () => '0');
    return out === '1' ? { accel: 'hvf', why: 'kern.hv_support=1' } : { why: 'Hypervisor.framework is not supported here' };
  }
  if (process.platform === 'win32') return { accel: 'whpx', why: 'Windows: WHPX if the Windows Hypervisor Platform feature is on' };
  return { why: `no hardware accelerator known on ${process.platform}` };
}

/** The cache file's verdicts; a damaged file is an empty cache. */
function readCache(text: string): Record<string, AccelTrial> {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, AccelTrial>) : {};
  } catch {
    return {};
  }
}

/** The machine's boot: a cached verdict holds until the host reboots (or QEMU or the kit changes). */
async function bootId(): Promise<string> {
  const id = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '');
  return id.trim() || `${os.hostname()}-${Math.round(Date.now() / 1000 - os.uptime())}`;
}

/**
 * A short test boot under `accel`: the guest's init must print its marker before the timeout. A device that
 * exists is not enough: a nested or paravirtual KVM can accept QEMU and then hang or abort the guest.
 */
async function testBoot(o: { root: string; kit: VmKit; qemu: string; accel: Accel; machine?: Machine; timeoutMs: number; signal?: AbortSignal }): Promise<AccelTrial> {
  const signal = o.signal ?? new AbortController().signal;
  const vm = await claimVm(o.root, 'accel-test', `accel-${o.accel}-${process.pid}-${Date.now().toString(36)}`);
  const q = bootQemu({ qemu: o.qemu, vm, kit: o.kit, accel: o.accel, machine: o.machine, memoryMiB: 128, mode: 'probe', signal });
  try {
    const at = await q.waitFor('init', o.timeoutMs);
    return { accel: o.accel, ok: true, detail: `test boot reached init in ${Math.round(at)} ms` };
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    return { accel: o.accel, ok: false, detail: (err as Error).message };
  } finally {
    await q.stop(100);
    await releaseVm(vm);
  }
}

/**
 * Picks the accelerator: KVM (Linux), HVF (macOS) or WHPX (Windows) when a test boot shows it works, TCG
 * (emulation) otherwise. `requested` other than auto is tested too, and fails with a clear error if it does
 * not work. The verdict is cached per host boot, QEMU version and kit.
 */
export async function detectAccelerator(o: DetectOptions): Promise<AccelChoice> {
  const requested = o.requested ?? 'auto';
  if (requested === 'tcg') return { accel: 'tcg', trials: [{ accel: 'tcg', ok: true, detail: 'requested' }], cached: false };
  const qemu = o.qemu ?? (await findQemu());
  const plat = await platformAccel();
  const candidate = requested === 'auto' ? plat.accel : requested;
  if (!candidate) return { accel: 'tcg', trials: [{ accel: 'tcg', ok: true, detail: `no hardware accelerator: ${plat.why}` }], cached: false };

  const machine = o.machine ?? DEFAULT_MACHINE;
  const boot = await bootId();
  const key = `${boot} ${await qemuVersion(qemu)} ${o.kit.hash} ${candidate} ${machine}`;
  const file = path.join(cacheDir(o.root), 'vm', 'accel.json');
  const cache = readCache(await readFile(file, 'utf8').catch(() => '{}'));
  let trial = cache[key];
  const cached = !!trial;
  if (!trial) {
    o.log?.(`testing ${candidate} with a short ${machine} boot`);
    trial = await testBoot({ root: o.root, kit: o.kit, qemu, accel: candidate, machine, timeoutMs: o.timeoutMs ?? 10_000, signal: o.signal });
    await mkdir(path.dirname(file), { recursive: true });
    // Verdicts of this host boot stay (one per machine, kit, QEMU); those of earlier boots are dropped.
    const kept = Object.fromEntries(Object.entries(cache).filter(([k]) => k.startsWith(`${boot} `)));
    await writeFile(file, JSON.stringify({ ...kept, [key]: trial }, null, 2));
  }
  if (trial.ok) return { accel: candidate, trials: [trial], cached };
  if (requested !== 'auto') throw new Error(`the ${candidate} accelerator does not work here: ${trial.detail}. Use --accel tcg (emulation) or --accel auto`);
  return { accel: 'tcg', trials: [trial, { accel: 'tcg', ok: true, detail: `fallback: ${candidate} failed its test boot` }], cached };
}
