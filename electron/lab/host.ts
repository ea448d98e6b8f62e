import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import type { HostFacts } from '../../shared/run';
import { localMachineId } from './machine';

const run = promisify(execFile);

/** Facts about the machine isolab runs on, for the run's environment. */
export async function hostFacts(): Promise<HostFacts> {
  return {
    os: await osName(),
    kernel: os.release(),
    arch: os.arch(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim(),
    memoryBytes: os.totalmem(),
    virtualization: await virtualization(),
    hostname: os.hostname(),
    machineId: await localMachineId(),
  };
}

async function osName(): Promise<string> {
  if (process.platform === 'linux') {
    try {
      const text = await readFile('/etc/os-release', 'utf8');
      const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
      if (m) return m[1];
    } catch {
      /* fall through */
    }
  }
  return `${os.type()} ${os.release()}`;
}

/** "none" on bare metal, else the hypervisor's name (systemd-detect-virt), or undefined when unknown. */
async function virtualization(): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const { stdout } = await run('systemd-detect-virt', [], { timeout: 2000 });
    return stdout.trim() || undefined;
  } catch (err) {
    // systemd-detect-virt exits 1 and prints "none" on bare metal.
    const out = (err as { stdout?: string }).stdout?.trim();
    if (out) return out;
  }
  try {
    const vendor = (await readFile('/sys/class/dmi/id/sys_vendor', 'utf8')).trim();
    const product = (await readFile('/sys/class/dmi/id/product_name', 'utf8')).trim();
    return `${vendor} ${product}`.trim() || undefined;
  } catch {
    return undefined;
  }
}

export const ISOLAB_VERSION: string = process.env.ISOLAB_VERSION ?? '0.1.0';
