import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../paths';

const run = promisify(execFile);

export type KernelSource = 'user' | 'cache' | 'host' | 'apt';

export interface KernelChoice {
  vmlinuz: string;
  /** The release string from the image's header, e.g. "6.1.0-56-cloud-amd64". */
  version: string;
  /** Where its modules are (lib/modules/VERSION), when found. */
  modulesDir?: string;
  source: KernelSource;
}

export interface FindKernelOptions {
  /** A kernel image the user chose; ISOLAB_VM_KERNEL when left out. */
  kernel?: string;
  /** isolab's data directory: kernels fetched earlier are kept under cache/vm/kernels. */
  root: string;
  /** The user agreed that isolab may fetch a kernel with the system package manager. */
  allowApt?: boolean;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

const kernelsDir = (root: string) => path.join(cacheDir(root), 'vm', 'kernels');

/** The release string a bzImage carries in its setup header (boot protocol 2.0+: `kernel_version`). */
export async function bzImageVersion(file: string): Promise<string | undefined> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(0x220);
    await fh.read(head, 0, head.length, 0);
    if (head.toString('latin1', 0x202, 0x206) !== 'HdrS') return undefined;
    const ptr = head.readUInt16LE(0x20e);
    if (!ptr) return undefined;
    const buf = Buffer.alloc(256);
    await fh.read(buf, 0, buf.length, ptr + 0x200);
    return buf.toString('latin1').split(/[\s\0]/)[0] || undefined;
  } finally {
    await fh.close();
  }
}

async function readable(file: string): Promise<boolean> {
  try {
    await access(file, constants.R_OK);
    const fh = await open(file, 'r'); // access() says yes to root even where a LSM says no
    await fh.close();
    return true;
  } catch {
    return false;
  }
}

/** lib/modules/VERSION beside an extracted package's boot/, else the host's. */
async function modulesFor(vmlinuz: string, version: string): Promise<string | undefined> {
  const base = path.dirname(path.dirname(vmlinuz));
  for (const dir of [path.join(base, 'lib/modules', version), path.join(base, 'usr/lib/modules', version), path.join('/lib/modules', version)]) {
    if (await stat(dir).then((s) => s.isDirectory()).catch(() => false)) return dir;
  }
  return undefined;
}

async function choose(vmlinuz: string, source: KernelSource): Promise<KernelChoice> {
  const version = await bzImageVersion(vmlinuz);
  if (!version) throw new Error(`${vmlinuz} is not a Linux kernel image (no bzImage header); pass a vmlinuz file to --kernel`);
  return { vmlinuz, version, modulesDir: await modulesFor(vmlinuz, version), source };
}

const byVersionDesc = (a: string, b: string) => b.localeCompare(a, undefined, { numeric: true });

/** Kernels fetched earlier (by isolab with consent, or by the test setup), newest first. */
async function cachedKernels(root: string): Promise<string[]> {
  const dir = kernelsDir(root);
  const out: string[] = [];
  for (const pkg of (await readdir(dir).catch(() => [])).sort(byVersionDesc)) {
    const boot = path.join(dir, pkg, 'boot');
    for (const f of (await readdir(boot).catch(() => [])).sort(byVersionDesc)) {
      if (f.startsWith('vmlinuz-')) out.push(path.join(boot, f));
    }
  }
  return out;
}

/**
 * The guest kernel, from the first source that has one: the user's path (or ISOLAB_VM_KERNEL); a kernel
 * fetched earlier into the cache; the host's /boot/vmlinuz-* where readable; and, only with the user's
 * consent, the system package manager (Debian/Ubuntu).
 */
export async function findKernel(o: FindKernelOptions): Promise<KernelChoice> {
  const env = o.env ?? process.env;
  const chosen = o.kernel ?? env.ISOLAB_VM_KERNEL;
  if (chosen) {
    const file = path.resolve(chosen);
    if (!(await readable(file))) throw new Error(`cannot read the kernel ${file}: check the path given to --kernel (or ISOLAB_VM_KERNEL)`);
    return choose(file, 'user');
  }
  for (const file of await cachedKernels(o.root)) {
    if (await readable(file)) return choose(file, 'cache');
  }
  const boot = (await readdir('/boot').catch(() => [])).filter((f) => f.startsWith('vmlinuz-')).sort(byVersionDesc);
  for (const f of boot) {
    if (await readable(path.join('/boot', f))) return choose(path.join('/boot', f), 'host');
  }
  if (o.allowApt) return choose(await fetchKernelWithApt(o.root, o.log), 'apt');
  const why = boot.length ? `the host's ${boot.map((f) => '/boot/' + f).join(', ')} cannot be read by this user` : 'the host has no /boot/vmlinuz-*';
  throw new Error(
    `no guest kernel: ${why} and none is cached. Pass --kernel PATH to a vmlinuz, or --allow-apt to let isolab fetch ` +
      "Debian's cloud kernel with `apt-get download linux-image-cloud-amd64` (Debian/Ubuntu), or run test/fixtures/vm-kernel.sh",
  );
}

/** Debian's cloud kernel meta-package for this architecture. */
async function aptKernelPackage(): Promise<string> {
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  if (!/^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease)) throw new Error('fetching a kernel with the package manager works on Debian and Ubuntu only; pass --kernel PATH instead');
  const arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
  return /^ID=ubuntu/m.test(osRelease) ? 'linux-image-virtual' : `linux-image-cloud-${arch}`;
}

/**
 * `apt-get download` the cloud kernel (the meta-package and the versioned packages it depends on), then
 * extract them with dpkg-deb into the cache. Nothing is installed on the host; no root is needed.
 */
async function fetchKernelWithApt(root: string, log: (line: string) => void = () => {}): Promise<string> {
  const meta = await aptKernelPackage();
  const dest = kernelsDir(root);
  await mkdir(dest, { recursive: true });
  const tmp = await mkdtemp(path.join(dest, '.fetch-'));
  try {
    const depends = async (pkg: string) => {
      const { stdout } = await run('apt-cache', ['depends', pkg]).catch((err) => {
        throw new Error(`apt-cache cannot resolve ${pkg}: ${(err as Error).message.split('\n')[0]}. Run \`sudo apt-get update\` first`);
      });
      return [...stdout.matchAll(/^\s+Depends:\s+(linux-(?:image|modules)-\S+)/gm)].map((m) => m[1]);
    };
    const pkgs = new Set<string>();
    for (const dep of await depends(meta)) {
      pkgs.add(dep);
      for (const sub of await depends(dep)) pkgs.add(sub);
    }
    if (pkgs.size === 0) throw new Error(`apt-cache lists no kernel package behind ${meta}; run \`sudo apt-get update\` and try again`);
    log(`fetching ${[...pkgs].join(', ')} with apt-get download`);
    await run('apt-get', ['download', ...pkgs], { cwd: tmp, maxBuffer: 16 << 20 }).catch((err) => {
      throw new Error(`apt-get download failed: ${(err as { stderr?: string }).stderr?.trim().split('\n').pop() ?? (err as Error).message}`);
    });
    const debs = (await readdir(tmp)).filter((f) => f.endsWith('.deb'));
    const image = debs.find((f) => /^linux-image-\d/.test(f));
    if (!image) throw new Error(`apt-get download brought no linux-image package (got ${debs.join(', ') || 'nothing'})`);
    const tree = path.join(tmp, 'tree');
    for (const deb of debs) await run('dpkg-deb', ['-x', deb, tree], { cwd: tmp });
    const final = path.join(dest, image.replace(/\.deb$/, ''));
    await rm(final, { recursive: true, force: true });
    await rename(tree, final);
    const vmlinuz = (await readdir(path.join(final, 'boot'))).find((f) => f.startsWith('vmlinuz-'));
    if (!vmlinuz) throw new Error(`${image} has no boot/vmlinuz-*`);
    return path.join(final, 'boot', vmlinuz);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
