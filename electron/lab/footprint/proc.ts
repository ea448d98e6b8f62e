import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reading memory and CPU straight from the kernel: `docker stats` costs about a second a call, these files
 * cost microseconds. Linux only; callers treat a missing file as "not measurable here", never as zero.
 */

const CGROUP_ROOT = process.env.ISOLAB_CGROUP_ROOT ?? '/sys/fs/cgroup';

/** Busy CPU time of the whole host in ms (user+nice+system+irq+softirq+steal from /proc/stat). */
export async function hostBusyCpuMs(): Promise<number> {
  const text = await readFile('/proc/stat', 'utf8');
  const f = text.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  const ticks = user + nice + system + irq + softirq + (steal ?? 0);
  return (ticks * 1000) / CLK_TCK;
}
/** USER_HZ is 100 on every mainstream Linux build. */
const CLK_TCK = 100;

/** Proportional set size of a process in bytes (its share of every page it maps), from smaps_rollup. */
export async function pssBytes(pid: number): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const m = /^Pss:\s+(\d+) kB/m.exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Anonymous PSS (heap, stacks: what a program allocates) of a process, in bytes; falls back to Pss on old kernels. */
export async function anonPssBytes(pid: number): Promise<number | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const m = /^Pss_Anon:\s+(\d+) kB/m.exec(text) ?? /^Pss:\s+(\d+) kB/m.exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Every process on the host (kernel threads have no smaps and are skipped). */
export async function allPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
}

export async function parentPid(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[1]);
  } catch {
    return undefined;
  }
}

export async function processName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** A process's argv, or undefined once it is gone (or for a kernel thread). */
export async function processArgv(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw ? raw.replace(/\0$/, '').split('\0') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The name a process gives itself (its argv[0], without the folder), else its comm: programs that re-execute
 * themselves through /proc/self/exe (runsc's sandbox and gofer) have the comm "exe" and say who they are there.
 */
export async function commandName(pid: number): Promise<string | undefined> {
  const argv0 = (await processArgv(pid))?.[0];
  return argv0 ? path.basename(argv0) : processName(pid);
}

/** Every pid whose parent chain reaches `root` (root excluded). One pass over /proc. */
export async function descendants(root: number): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
  const parent = new Map<number, number>();
  await Promise.all(pids.map(async (p) => {
    const pp = await parentPid(p);
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
export async function cgroupOf(pid: number, root = CGROUP_ROOT): Promise<CgroupRef | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/cgroup`, 'utf8');
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

export async function readCgroupMemory(ref: CgroupRef): Promise<CgroupMemory> {
  const stat = parseKeyValues(await readFile(path.join(ref.memoryDir, 'memory.stat'), 'utf8').catch(() => ''));
  if (ref.version === 1) {
    const usage = Number((await readFile(path.join(ref.memoryDir, 'memory.usage_in_bytes'), 'utf8')).trim());
    const kmem = await readFile(path.join(ref.memoryDir, 'memory.kmem.usage_in_bytes'), 'utf8').then((t) => Number(t.trim())).catch(() => undefined);
    return { usage, anon: stat.rss, file: stat.cache, kernel: kmem };
  }
  const usage = Number((await readFile(path.join(ref.memoryDir, 'memory.current'), 'utf8')).trim());
  return { usage, anon: stat.anon, file: stat.file, kernel: stat.kernel ?? (stat.kernel_stack !== undefined ? stat.kernel_stack + (stat.slab ?? 0) : undefined) };
}

/** CPU time the cgroup has used, in ms. */
export async function readCgroupCpuMs(ref: CgroupRef): Promise<number | undefined> {
  try {
    if (ref.version === 1) {
      // cpuacct may be mounted alone or co-mounted with cpu; try both.
      for (const dir of [ref.cpuDir, ref.cpuDir.replace('/cpu,cpuacct/', '/cpuacct/'), ref.cpuDir.replace('/cpuacct/', '/cpu,cpuacct/')]) {
        const t = await readFile(path.join(dir, 'cpuacct.usage'), 'utf8').catch(() => undefined);
        if (t !== undefined) return Number(t.trim()) / 1e6;
      }
      return undefined;
    }
    const stat = parseKeyValues(await readFile(path.join(ref.cpuDir, 'cpu.stat'), 'utf8'));
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
