import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { withParents, type CpioEntry } from './cpio';
import { GUEST_INIT } from './guest-init';

const run = promisify(execFile);

/** busybox applets the init script and an SSH session use. */
const APPLETS = ['sh', 'ash', 'mount', 'cat', 'echo', 'insmod', 'ip', 'sleep', 'poweroff', 'reboot', 'mkdir', 'ls', 'free', 'uname', 'sync', 'ps', 'head', 'grep', 'true'];

export interface InitramfsInputs {
  busybox: string;
  dropbear: string;
  /** Shared libraries dropbear needs, from ldd: [path in the guest, file on the host]. */
  libraries: [string, string][];
  hostKey: Buffer;
  authorizedKey: string;
  /** [file name in the guest's /lib/modules, decompressed bytes]. */
  modules: [string, Buffer][];
  /** Per virtio transport, the module file names the init loads, in order (/etc/isolab/modules.pci, .mmio). */
  moduleLists: Record<string, string[]>;
}

/** The files of dropbear's dynamic closure, as ldd lists them: the loader and each library. */
export async function lddClosure(binary: string): Promise<[string, string][]> {
  let stdout: string;
  try {
    ({ stdout } = await run('ldd', [binary]));
  } catch (err) {
    const msg = String((err as { stdout?: string }).stdout ?? '') + String((err as { stderr?: string }).stderr ?? '');
    if (/not a dynamic executable|statically linked/.test(msg)) return [];
    throw new Error(`ldd ${binary} failed: ${(err as Error).message}`);
  }
  return parseLdd(stdout);
}

export function parseLdd(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/=>\s+(\/\S+)\s+\(/) ?? line.match(/^\s*(\/\S+)\s+\(/);
    if (!m) {
      if (/=>\s+not found/.test(line)) throw new Error(`a library dropbear needs is missing on the host: ${line.trim()}`);
      continue;
    }
    out.push([m[1], m[1]]);
  }
  return out;
}

/** Every file of the guest's root filesystem; parents first, owned by root, no timestamps. */
export async function initramfsEntries(i: InitramfsInputs): Promise<CpioEntry[]> {
  const file = async (p: string, from: string, mode = 0o755): Promise<CpioEntry> => ({ type: 'file', path: p, data: await readFile(from), mode });
  const entries: CpioEntry[] = [
    { type: 'dir', path: 'dev' },
    { type: 'char', path: 'dev/console', major: 5, minor: 1 },
    { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'sys' },
    { type: 'dir', path: 'tmp', mode: 0o1777 },
    { type: 'dir', path: 'run' },
    { type: 'dir', path: 'root', mode: 0o700 },
    { type: 'dir', path: 'root/.ssh', mode: 0o700 },
    { type: 'file', path: 'root/.ssh/authorized_keys', data: Buffer.from(i.authorizedKey.trim() + '\n'), mode: 0o600 },
    { type: 'file', path: 'init', data: Buffer.from(GUEST_INIT), mode: 0o755 },
    await file('bin/busybox', i.busybox),
    ...APPLETS.map((a): CpioEntry => ({ type: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    await file('usr/sbin/dropbear', i.dropbear),
    { type: 'file', path: 'etc/passwd', data: Buffer.from('root:x:0:0:root:/root:/bin/sh\n') },
    { type: 'file', path: 'etc/group', data: Buffer.from('root:x:0:\n') },
    { type: 'file', path: 'etc/shells', data: Buffer.from('/bin/sh\n') },
    { type: 'dir', path: 'etc/dropbear', mode: 0o700 },
    { type: 'file', path: 'etc/dropbear/host_key', data: i.hostKey, mode: 0o600 },
    ...Object.entries(i.moduleLists).map(([t, names]): CpioEntry => ({ type: 'file', path: `etc/isolab/modules.${t}`, data: Buffer.from(names.map((n) => n + '\n').join('')) })),
    ...i.modules.map(([n, data]): CpioEntry => ({ type: 'file', path: `lib/modules/${n}`, data, mode: 0o644 })),
  ];
  for (const [guestPath, hostPath] of i.libraries) entries.push(await file(guestPath.replace(/^\//, ''), hostPath));
  return withParents(entries);
}

/** Flat module file names in the guest: the base name, unique per module. */
export const guestModuleName = (rel: string) => path.basename(rel).replace(/\.ko(\.(gz|xz|zst))?$/, '.ko');
