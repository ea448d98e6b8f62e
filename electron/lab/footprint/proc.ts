import { posix as path } from 'node:path';
import { isLocal, localFs, tryRead, type HostFs, type ReadFailure } from './host-fs';

/**
 * Reading memory and CPU straight from the kernel: `docker stats` costs about a second a call, these files
 * cost microseconds. Linux only; callers treat a missing file as "not measurable here", never as zero.
 * Every reader takes the HostFs to read (this machine by default, another host's over SSH); paths are POSIX
 * whatever isolab itself runs on, since the host read is Linux.
 */

const CGROUP_ROOT = process.env.ISOLAB_CGROUP_ROOT ?? '/sys/fs/cgroup';

/** The cgroup mount of the host fs reads: the override applies to this machine only. */
const cgroupRoot = (fs: HostFs) => (isLocal(fs) ? CGROUP_ROOT : '/sys/fs/cgroup');

/** Busy CPU time of the whole host in ms (user+nice+system+irq+softirq+steal from /proc/stat). */
export async function hostBusyCpuMs(fs: HostFs = localFs): Promise<number> {
  const text = await fs.readFile('/proc/stat');
  const f = text.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  const ticks = user + nice + system + irq + softirq + (steal ?? 0);
  return (ticks * 1000) / CLK_TCK;
}
/** USER_HZ is 100 on every mainstream Linux build. */
const CLK_TCK = 100;

/** Proportional set size of a process in bytes (its share of every page it maps), from smaps_rollup. */
export async function pssBytes(pid: number, fs: HostFs = localFs): Promise<number | undefined> {
  const r = await pssRead(pid, fs);
  return typeof r === 'number' ? r : undefined;
}

/**
 * The same, or why it could not be read: 'denied' when the host refuses (another user's process read without
 * root), 'missing' when the process is gone (or the kernel has no smaps_rollup).
 */
export async function pssRead(pid: number, fs: HostFs = localFs): Promise<number | ReadFailure> {
  const r = await tryRead(fs, `/proc/${pid}/smaps_rollup`);
  if ('failure' in r) return r.failure;
  const m = /^Pss:\s+(\d+) kB/m.exec(r.text);
  return m ? Number(m[1]) * 1024 : 'missing';
}

/**
 * Anonymous PSS (heap, stacks: what a program allocates) of a process, in bytes (Pss on old kernels), or why
 * it could not be read ('denied': root needed on that host).
 */
export async function anonPssRead(pid: number, fs: HostFs = localFs): Promise<number | ReadFailure> {
  const r = await tryRead(fs, `/proc/${pid}/smaps_rollup`);
  if ('failure' in r) return r.failure;
  const m = /^Pss_Anon:\s+(\d+) kB/m.exec(r.text) ?? /^Pss:\s+(\d+) kB/m.exec(r.text);
  return m ? Number(m[1]) * 1024 : 'missing';
}

/** Every process on the host (kernel threads have no smaps and are skipped). */
export async function allPids(fs: HostFs = localFs): Promise<number[]> {
  return (await fs.readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
}

export async function parentPid(pid: number, fs: HostFs = localFs): Promise<number | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`);
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[1]);
  } catch {
    return undefined;
  }
}

export async function processName(pid: number, fs: HostFs = localFs): Promise<string | undefined> {
  try {
    return (await fs.readFile(`/proc/${pid}/comm`)).trim();
  } catch {
    return undefined;
  }
}

/** A process's argv, or undefined once it is gone (or for a kernel thread). */
export async function processArgv(pid: number, fs: HostFs = localFs): Promise<string[] | undefined> {
  try {
    const raw = await fs.readFile(`/proc/${pid}/cmdline`);
    return raw ? raw.replace(/\0$/, '').split('\0') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The name a process gives itself (its argv[0], without the folder), else its comm: programs that re-execute
 * themselves through /proc/self/exe (runsc's sandbox and gofer) have the comm "exe" and say who they are there.
 */
export async function commandName(pid: number, fs: HostFs = localFs): Promise<string | undefined> {
  const argv0 = (await processArgv(pid, fs))?.[0];
  return argv0 ? path.basename(argv0) : processName(pid, fs);
}

/** Every pid whose parent chain reaches `root` (root excluded). One pass over /proc. */
export async function descendants(root: number, fs: HostFs = localFs): Promise<number[]> {
  const pids = await allPids(fs);
  const parent = new Map<number, number>();
  await Promise.all(pids.map(async (p) => {
    const pp = await parentPid(p, fs);
    if (pp !== undefined) parent.set(p, pp);
  }));
  const out: number[] = [];
  for (const p of pids) {
    let q = parent.get(p);
    for (let hops = 0; q !== undefined && q > 1 && hops < 64; hops++) {
      if (q === root) {
        out.push(p);
        break;
      }
      q = parent.get(q);
    }
  }
  return out;
}

export interface CgroupRef {
  version: 1 | 2;
  /** The memory cgroup's directory (v1: under memory/, v2: the unified path). */
  memoryDir: string;
  /** The CPU accounting directory (v1: cpuacct/, v2: same as memoryDir). */
  cpuDir: string;
}

/** The cgroup a process lives in, from /proc/PID/cgroup: v1 memory + cpuacct controllers, else the v2 unified path. */
export async function cgroupOf(pid: number, fs: HostFs = localFs, root = cgroupRoot(fs)): Promise<CgroupRef | undefined> {
  let text: string;
  try {
    text = await fs.readFile(`/proc/${pid}/cgroup`);
  } catch {
    return undefined;
  }
  return parseProcCgroup(text, root);
}

export function parseProcCgroup(text: string, root = CGROUP_ROOT): CgroupRef | undefined {
  let memory: string | undefined;
  let cpuacct: string | undefined;
  /** The hierarchy's mount folder is named after its controllers: cpuacct, or cpu,cpuacct when co-mounted. */
  let cpuacctMount = 'cpuacct';
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const controllers = m[2].split(',');
    if (controllers.includes('memory')) memory = m[3];
    if (controllers.includes('cpuacct')) {
      cpuacct = m[3];
      cpuacctMount = m[2];
    }
    if (m[1] === '0' && m[2] === '') unified = m[3];
  }
  if (memory !== undefined) {
    return {
      version: 1,
      memoryDir: path.join(root, 'memory', memory),
      cpuDir: path.join(root, cpuacctMount, cpuacct ?? memory),
    };
  }
  if (unified !== undefined) {
    const dir = path.join(root, unified);
    return { version: 2, memoryDir: dir, cpuDir: dir };
  }
  return undefined;
}

export interface CgroupMemory {
  /** What the kernel charges the cgroup: usage_in_bytes (v1) or memory.current (v2). */
  usage: number;
  /** Anonymous memory (the process's own heap and stacks): rss (v1) or anon (v2). */
  anon?: number;
  /** Page cache charged to it: cache (v1) or file (v2). */
  file?: number;
  /** Kernel memory (v2: kernel, or kernel_stack + slab). */
  kernel?: number;
}

export async function readCgroupMemory(ref: CgroupRef, fs: HostFs = localFs): Promise<CgroupMemory> {
  const stat = parseKeyValues(await fs.readFile(path.join(ref.memoryDir, 'memory.stat')).catch(() => ''));
  if (ref.version === 1) {
    const usage = Number((await fs.readFile(path.join(ref.memoryDir, 'memory.usage_in_bytes'))).trim());
    const kmem = await fs.readFile(path.join(ref.memoryDir, 'memory.kmem.usage_in_bytes')).then((t) => Number(t.trim())).catch(() => undefined);
    return { usage, anon: stat.rss, file: stat.cache, kernel: kmem };
  }
  const usage = Number((await fs.readFile(path.join(ref.memoryDir, 'memory.current'))).trim());
  return { usage, anon: stat.anon, file: stat.file, kernel: stat.kernel ?? (stat.kernel_stack !== undefined ? stat.kernel_stack + (stat.slab ?? 0) : undefined) };
}

/** CPU time the cgroup has used, in ms. */
export async function readCgroupCpuMs(ref: CgroupRef, fs: HostFs = localFs): Promise<number | undefined> {
  try {
    if (ref.version === 1) {
      // cpuacct may be mounted alone or co-mounted with cpu; try both.
      for (const dir of [ref.cpuDir, ref.cpuDir.replace('/cpu,cpuacct/', '/cpuacct/'), ref.cpuDir.replace('/cpuacct/', '/cpu,cpuacct/')]) {
        const t = await fs.readFile(path.join(dir, 'cpuacct.usage')).catch(() => undefined);
        if (t !== undefined) return Number(t.trim()) / 1e6;
      }
      return undefined;
    }
    const stat = parseKeyValues(await fs.readFile(path.join(ref.cpuDir, 'cpu.stat')));
    return stat.usage_usec !== undefined ? stat.usage_usec / 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
