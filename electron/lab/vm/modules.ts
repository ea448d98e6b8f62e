import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { VirtioTransport } from './qemu';

const run = promisify(execFile);

/** What the guest needs for SSH over user networking, per virtio transport: the transport and virtio-net. */
export const GUEST_MODULES = {
  pci: ['virtio_pci', 'virtio_net'],
  mmio: ['virtio_mmio', 'virtio_net'],
} as const satisfies Record<VirtioTransport, readonly string[]>;

export interface ModulePlan {
  /** Module files in load order (dependencies first), relative to the modules directory. */
  order: string[];
  /** Wanted modules the kernel has built in: nothing to load. */
  builtin: string[];
}

/** Module names are compared with `-` and `_` folded, as modprobe does. */
export const modName = (file: string) => path.basename(file).replace(/\.ko(\.(gz|xz|zst))?$/, '').replace(/-/g, '_');

/** Parses modules.dep: `kernel/a.ko: kernel/b.ko kernel/c.ko` (each line's dependencies, already transitive). */
export function parseModulesDep(text: string): Map<string, { file: string; deps: string[] }> {
  const out = new Map<string, { file: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const file = line.slice(0, colon).trim();
    const deps = line.slice(colon + 1).trim().split(/\s+/).filter(Boolean);
    out.set(modName(file), { file, deps });
  }
  return out;
}

/** The `depends=` field of a module's .modinfo section: the names it needs loaded first. */
export function modinfoDepends(ko: Buffer): string[] {
  const key = Buffer.from('\0depends=');
  const at = ko.indexOf(key);
  if (at < 0) return [];
  const start = at + key.length;
  const end = ko.indexOf(0, start);
  const value = ko.subarray(start, end < 0 ? undefined : end).toString('latin1');
  return value.split(',').map((s) => s.trim().replace(/-/g, '_')).filter(Boolean);
}

/**
 * Load order for `wanted`: dependencies before dependents, each module once. Uses modules.dep when the
 * kernel's modules were installed (depmod ran), else reads each module's own `depends=` (a kernel package
 * extracted with `dpkg-deb -x` has no modules.dep).
 */
export async function planModules(modulesDir: string, wanted: readonly string[]): Promise<ModulePlan> {
  const builtinText = await readFile(path.join(modulesDir, 'modules.builtin'), 'utf8').catch(() => '');
  const builtin = new Set(builtinText.split('\n').filter(Boolean).map(modName));
  const depText = await readFile(path.join(modulesDir, 'modules.dep'), 'utf8').catch(() => undefined);
  const index = depText ? new Map([...parseModulesDep(depText)].map(([k, v]) => [k, v.file])) : await indexModules(modulesDir);
  const depsOf = async (name: string): Promise<string[]> => {
    const file = index.get(name)!;
    return modinfoDepends(await readModule(path.join(modulesDir, file)));
  };
  const order: string[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = async (name: string, chain: string[]): Promise<void> => {
    if (done.has(name) || builtin.has(name)) return;
    if (visiting.has(name)) throw new Error(`module dependency cycle: ${[...chain, name].join(' -> ')}`);
    if (!index.has(name)) {
      throw new Error(`the kernel's modules have no ${name} (looked in ${modulesDir}); pick a kernel that has virtio and virtio_net built in or as modules`);
    }
    visiting.add(name);
    for (const dep of await depsOf(name)) await visit(dep, [...chain, name]);
    visiting.delete(name);
    done.add(name);
    order.push(index.get(name)!);
  };
  for (const w of wanted) await visit(w.replace(/-/g, '_'), []);
  return { order, builtin: wanted.filter((w) => builtin.has(w.replace(/-/g, '_'))) };
}

/** name -> path relative to the modules directory, for every module file under kernel/. */
async function indexModules(modulesDir: string): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  const entries = await readdir(path.join(modulesDir, 'kernel'), { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || !/\.ko(\.(gz|xz|zst))?$/.test(e.name)) continue;
    const dir = (e as unknown as { parentPath?: string; path?: string }).parentPath ?? (e as unknown as { path: string }).path;
    index.set(modName(e.name), path.relative(modulesDir, path.join(dir, e.name)));
  }
  return index;
}

/** A module's bytes, decompressed: busybox's insmod takes plain .ko files only. */
export async function readModule(file: string): Promise<Buffer> {
  if (file.endsWith('.ko')) return readFile(file);
  if (file.endsWith('.gz')) return gunzipSync(await readFile(file));
  const tool = file.endsWith('.xz') ? 'xz' : 'zstd';
  try {
    const { stdout } = await run(tool, ['-dc', file], { encoding: 'buffer', maxBuffer: 256 << 20 });
    return stdout as unknown as Buffer;
  } catch (err) {
    throw new Error(`cannot decompress ${file}: ${(err as Error).message}. Install ${tool} (Debian/Ubuntu: \`sudo apt-get install ${tool === 'xz' ? 'xz-utils' : 'zstd'}\`)`);
  }
}
