import { readFile } from 'node:fs/promises';
import type { Accel, Machine } from './qemu';

export interface TscRate {
  khz: number;
  /** Where the rate came from, for the run's environment. */
  source: string;
}

/**
 * The host's TSC rate from /proc/cpuinfo. Linux on x86 derives loops_per_jiffy from the TSC rate it
 * calibrated ("Calibrating delay loop (skipped), value calculated using timer frequency"), so bogomips is
 * twice the TSC rate in MHz, to 5 kHz. Undefined when the host has no constant TSC or no such line.
 */
export function parseTscKhz(cpuinfo: string): number | undefined {
  const flags = cpuinfo.match(/^flags\s*:(.*)$/m)?.[1].trim().split(/\s+/) ?? [];
  if (!flags.includes('tsc') || !flags.includes('constant_tsc')) return undefined;
  const bogomips = Number(cpuinfo.match(/^bogomips\s*:\s*([0-9.]+)/m)?.[1]);
  // A plausible x86 TSC: 100 MHz to 10 GHz.
  if (!Number.isFinite(bogomips) || bogomips < 200 || bogomips > 20_000) return undefined;
  return Math.round(bogomips * 500);
}

async function hostTscKhz(): Promise<number | undefined> {
  return parseTscKhz(await readFile('/proc/cpuinfo', 'utf8').catch(() => ''));
}

/**
 * The TSC rate a guest is told on its command line, if it needs one: microvm under TCG. There the guest's TSC
 * is the host's (TCG reads the host's counter) and microvm has no HPET or ACPI PM timer, so the guest can only
 * calibrate against the PIT, which a busy host disturbs: the kernel then runs without a TSC and hangs at
 * boot. The PC machines calibrate against their HPET; under an accelerator the hypervisor's clock gives the rate.
 */
export async function guestTsc(machine: Machine, accel: Accel): Promise<TscRate | undefined> {
  if (machine !== 'microvm' || accel !== 'tcg') return undefined;
  const khz = await hostTscKhz();
  return khz === undefined ? undefined : { khz, source: "host /proc/cpuinfo bogomips / 2 (the host kernel's TSC rate)" };
}
