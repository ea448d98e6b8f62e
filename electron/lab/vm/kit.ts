import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BUSYBOX_HELP, findStaticBusybox } from '../images/busybox';
import { cacheDir } from '../paths';
import { initramfsImage } from './cpio';
import { GUEST_INIT } from './guest-init';
import { guestModuleName, initramfsEntries, lddClosure } from './initramfs';
import { findKernel, type KernelSource } from './kernel';
import { findTool, generateClientKey, generateHostKey, readsBack } from './keys';
import { GUEST_MODULES, planModules, readModule } from './modules';
import type { VirtioTransport } from './qemu';

/** Bump when the kit's layout or the way it is built changes: every cached kit is then rebuilt. */
const KIT_VERSION = '2';

export interface VmKit {
  dir: string;
  hash: string;
  vmlinuz: string;
  initramfs: string;
  kernelVersion: string;
  kernelSource: KernelSource;
  /** Modules the init loads, in order, per virtio transport (empty when the kernel has them built in). */
  modules: Record<VirtioTransport, string[]>;
  hostKeyPublic: string;
  hostKeyFingerprint: string;
  clientKey: string;
  sizes: { kernelBytes: number; initramfsBytes: number };
  built: boolean;
}

export interface EnsureKitOptions {
  /** isolab's data directory. */
  root: string;
  kernel?: string;
  allowApt?: boolean;
  log?: (line: string) => void;
}

interface Manifest extends Omit<VmKit, 'dir' | 'built' | 'clientKey'> {
  kitVersion: string;
}

/**
 * The VM kit: a guest kernel plus an initramfs isolab builds itself (static busybox, an init that prints
 * markers, dropbear with its libraries, a host key generated here, virtio modules in dependency order).
 * Cached under cache/vm/kit-HASH, where HASH covers every input; a changed input builds a new kit.
 */
export async function ensureVmKit(o: EnsureKitOptions): Promise<VmKit> {
  const log = o.log ?? (() => {});
  // The guest runs the host's own busybox and dropbear, so the host must be an x86-64 Linux like the guest.
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`building the VM kit needs an x86-64 Linux host (its guest programs come from the host); this is ${process.platform}/${process.arch}`);
  }
  const kernel = await findKernel({ kernel: o.kernel, root: o.root, allowApt: o.allowApt, log });
  const bb = await findStaticBusybox();
  if (!bb.path) throw new Error(`the VM kit needs a static busybox: ${BUSYBOX_HELP}`);
  const dropbear = await findTool([process.env.ISOLAB_DROPBEAR ?? 'dropbear'].filter(Boolean));
  const dropbearkey = await findTool(['dropbearkey']);
  if (!dropbear || !dropbearkey) {
    throw new Error('the VM kit needs dropbear and dropbearkey for the guest\'s SSH server: install them (Debian/Ubuntu: `sudo apt-get install dropbear-bin`; Fedora: `sudo dnf install dropbear`)');
  }
  const libraries = await lddClosure(dropbear);

  // One initramfs serves every machine: it holds the modules of both transports and a load list for each,
  // so a q35 VM and a microvm boot the very same files and differ only in the machine.
  const lists: Record<VirtioTransport, string[]> = { pci: [], mmio: [] };
  const files = new Map<string, string>(); // name in the guest -> file on the host
  if (kernel.modulesDir) {
    for (const t of ['pci', 'mmio'] as const) {
      const plan = await planModules(kernel.modulesDir, GUEST_MODULES[t]);
      for (const rel of plan.order) {
        lists[t].push(guestModuleName(rel));
        files.set(guestModuleName(rel), path.join(kernel.modulesDir, rel));
      }
    }
  } else log(`no modules found for kernel ${kernel.version}; assuming virtio, virtio_mmio and virtio_net are built in`);
  const modules = [...files].map(([name, abs]) => ({ name, abs }));

  const h = createHash('sha256');
  h.update(`kit ${KIT_VERSION}\n${GUEST_INIT}\n${kernel.version}\n`);
  for (const f of [kernel.vmlinuz, bb.path, dropbear, ...libraries.map(([, host]) => host), ...modules.map((m) => m.abs)]) {
    h.update(f + '\0').update(await readFile(f));
  }
  const hash = h.digest('hex').slice(0, 16);
  const base = path.join(cacheDir(o.root), 'vm');
  const dir = path.join(base, `kit-${hash}`);

  const existing = await readManifest(dir);
  if (existing) {
    const clientKey = await readFile(path.join(dir, 'client_key'), 'utf8').catch(() => '');
    if (readsBack(clientKey)) return { ...existing, dir, clientKey, built: false };
    // A kit from before the ssh2 key fix (or damaged): its key cannot log in, so it is built again.
    log(`the VM kit in ${dir} has an unusable client key; building it again`);
    await rm(dir, { recursive: true, force: true });
  }

  log(`building the VM kit for kernel ${kernel.version} (${kernel.source})`);
  await mkdir(base, { recursive: true });
  const tmp = await mkdtemp(path.join(base, '.kit-'));
  try {
    const hostKey = await generateHostKey(dropbearkey, path.join(tmp, 'host_key'));
    const client = generateClientKey();
    const mods: [string, Buffer][] = [];
    for (const m of modules) mods.push([m.name, await readModule(m.abs)]);
    const image = initramfsImage(
      await initramfsEntries({ busybox: bb.path, dropbear, libraries, hostKey: hostKey.dropbearKey, authorizedKey: client.publicLine, modules: mods, moduleLists: lists }),
    );
    await writeFile(path.join(tmp, 'initramfs.cpio.gz'), image);
    await writeFile(path.join(tmp, 'client_key'), client.privateKey, { mode: 0o600 });
    const manifest: Manifest = {
      kitVersion: KIT_VERSION,
      hash,
      vmlinuz: kernel.vmlinuz,
      initramfs: path.join(dir, 'initramfs.cpio.gz'),
      kernelVersion: kernel.version,
      kernelSource: kernel.source,
      modules: lists,
      hostKeyPublic: hostKey.publicLine,
      hostKeyFingerprint: hostKey.fingerprint,
      sizes: { kernelBytes: (await stat(kernel.vmlinuz)).size, initramfsBytes: image.length },
    };
    await writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another isolab built the same kit at the same moment: use theirs.
      if (!(await readManifest(dir))) throw err;
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const m = (await readManifest(dir))!;
  return { ...m, dir, clientKey: await readFile(path.join(dir, 'client_key'), 'utf8'), built: true };
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    return m.kitVersion === KIT_VERSION ? m : undefined;
  } catch {
    return undefined;
  }
}
