import { gzipSync } from 'node:zlib';

/** One entry of an initramfs: what the kernel's initramfs unpacker understands (newc format). */
export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'char'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

/**
 * Writes a newc ("070701") cpio archive, the format the kernel unpacks into its rootfs. Pure Node so the
 * kit builds the same everywhere; every entry is owned by root with mtime 0, so the same inputs give the
 * same bytes. Parent directories must come before their children.
 */
export function cpioNewc(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const push = (name: string, mode: number, data: Buffer, rdev: [number, number] = [0, 0], nlink = 1) => {
    const nameBuf = Buffer.from(name + '\0');
    const header =
      '070701' +
      [ino++, mode, 0, 0, nlink, 0, data.length, 0, 0, rdev[0], rdev[1], nameBuf.length, 0].map(hex8).join('');
    parts.push(Buffer.from(header, 'ascii'), nameBuf, Buffer.alloc(pad4(110 + nameBuf.length)));
    parts.push(data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    if (!name || name.includes('\0')) throw new Error(`bad cpio path: ${JSON.stringify(e.path)}`);
    switch (e.type) {
      case 'dir':
        push(name, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0), [0, 0], 2);
        break;
      case 'file':
        push(name, S_IFREG | (e.mode ?? 0o644), e.data);
        break;
      case 'symlink':
        push(name, S_IFLNK | 0o777, Buffer.from(e.target));
        break;
      case 'char':
        push(name, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), [e.major, e.minor]);
        break;
    }
  }
  ino = 0;
  push('TRAILER!!!', 0, Buffer.alloc(0), [0, 0], 1);
  return Buffer.concat(parts);
}

/** The archive gzip-compressed, as the kernel accepts it (CONFIG_RD_GZIP is on in every distribution kernel). */
export function initramfsImage(entries: CpioEntry[]): Buffer {
  return gzipSync(cpioNewc(entries), { level: 6 });
}

/** Adds the parent directories an entry list needs, in order, without duplicates. */
export function withParents(entries: CpioEntry[]): CpioEntry[] {
  const seen = new Set<string>();
  const out: CpioEntry[] = [];
  const addDir = (p: string, mode?: number) => {
    if (!p || seen.has(p)) return;
    const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    addDir(parent);
    seen.add(p);
    out.push({ type: 'dir', path: p, mode });
  };
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
    if (e.type === 'dir') {
      if (seen.has(name)) continue;
      addDir(parent);
      seen.add(name);
      out.push({ ...e, path: name });
    } else {
      addDir(parent);
      out.push({ ...e, path: name });
    }
  }
  return out;
}
