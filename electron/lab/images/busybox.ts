import { open } from 'node:fs/promises';

/** Where a static busybox is usually found; ISOLAB_BUSYBOX comes first when set. */
function busyboxCandidates(env = process.env): string[] {
  const list = ['/bin/busybox', '/usr/bin/busybox', '/usr/local/bin/busybox', '/sbin/busybox', '/usr/sbin/busybox'];
  return env.ISOLAB_BUSYBOX ? [env.ISOLAB_BUSYBOX, ...list] : list;
}

type ElfCheck = { ok: true } | { ok: false; why: string };

/**
 * A binary can go into a FROM-scratch image only if it needs no loader: an ELF with no PT_INTERP program
 * header (statically linked). Debian's `busybox` is dynamic, `busybox-static` is not.
 */
async function checkStaticElf(file: string): Promise<ElfCheck> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    return { ok: false, why: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message };
  }
  try {
    const head = Buffer.alloc(64);
    await fh.read(head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46) return { ok: false, why: 'not an ELF binary' };
    const is64 = head[4] === 2;
    const le = head[5] === 1;
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(le ? head.readBigUInt64LE(32) : head.readBigUInt64BE(32)) : u32(head, 28);
    const phentsize = u16(head, is64 ? 54 : 42);
    const phnum = u16(head, is64 ? 56 : 44);
    const table = Buffer.alloc(phentsize * phnum);
    await fh.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      if (u32(table, i * phentsize) === 3 /* PT_INTERP */) return { ok: false, why: 'dynamically linked (needs a loader)' };
    }
    return { ok: true };
  } finally {
    await fh.close();
  }
}

export interface BusyboxSearch {
  path?: string;
  tried: { path: string; why: string }[];
}

export async function findStaticBusybox(env = process.env): Promise<BusyboxSearch> {
  const tried: { path: string; why: string }[] = [];
  for (const p of busyboxCandidates(env)) {
    const check = await checkStaticElf(p);
    if (check.ok) return { path: p, tried };
    tried.push({ path: p, why: check.why });
  }
  return { tried };
}

export const BUSYBOX_HELP =
  'Install a static busybox (Debian/Ubuntu: `sudo apt-get install busybox-static`; Fedora: `sudo dnf install busybox`; ' +
  'Alpine: `apk add busybox-static`) or set ISOLAB_BUSYBOX to the path of one.';
