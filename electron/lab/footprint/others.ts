import { localFs, type HostFs } from './host-fs';
import { allPids, anonPssRead, descendants, processName, sleep } from './proc';
import { medianOf } from '../../../shared/stats';

/**
 * The rest of the machine: programs that have nothing to do with the instances being measured (editors,
 * builds, browsers, other benchmarks) allocate and free hundreds of MB a second while we read MemAvailable.
 * Almost all of that is anonymous memory and page tables, which /proc/meminfo counts in the same read as
 * MemAvailable. So each reading is MemAvailable + (AnonPages + PageTables of everything) − (the anonymous
 * memory and page tables of the processes that belong to the measurement: the engine's daemons, the
 * instances and their helpers). Its drop is what the instances cost, with other programs' churn taken out.
 */
const ENGINE_DAEMONS = /^(dockerd|containerd)$/;

export interface HostReading {
  /** The plain MemAvailable (median of the reads). */
  available: number;
  /** MemAvailable with the rest of the machine's anonymous memory and page tables added back (median). */
  corrected: number;
  /**
   * Related processes whose anonymous memory the host refused to show (another user's smaps_rollup without
   * root). Their memory is then counted as "the rest of the machine" and taken out: `corrected` is wrong, and
   * callers use `available` instead.
   */
  deniedPids: number;
}

export async function hostReading(related: number[], reads = 9, gapMs = 100, fs: HostFs = localFs): Promise<HostReading> {
  const pids = await relatedSet(related, fs);
  const first = await anonAndPageTables(pids, fs);
  const avail: number[] = [];
  const corrected: number[] = [];
  for (let i = 0; i < reads; i++) {
    const m = await meminfo(fs);
    avail.push(m.MemAvailable);
    corrected.push(m.MemAvailable + m.AnonPages + m.PageTables);
    if (i < reads - 1) await sleep(gapMs);
  }
  // The measured processes are idle: read them before and after the meminfo reads and take the mean.
  const last = await anonAndPageTables(pids, fs);
  const relatedMem = (first.bytes + last.bytes) / 2;
  return { available: medianOf(avail) ?? NaN, corrected: (medianOf(corrected) ?? NaN) - relatedMem, deniedPids: Math.max(first.denied, last.denied) };
}

async function relatedSet(related: number[], fs: HostFs): Promise<number[]> {
  const out = new Set<number>();
  // All names asked at once: over SFTP the requests pipeline instead of paying a round trip each.
  const pids = await allPids(fs);
  const names = await Promise.all(pids.map((pid) => processName(pid, fs)));
  pids.forEach((pid, i) => {
    if (ENGINE_DAEMONS.test(names[i] ?? '')) out.add(pid);
  });
  for (const pid of related) {
    out.add(pid);
    for (const d of await descendants(pid, fs)) out.add(d);
  }
  return [...out];
}

async function anonAndPageTables(pids: number[], fs: HostFs): Promise<{ bytes: number; denied: number }> {
  let bytes = 0;
  let denied = 0;
  for (const pid of pids) {
    const anon = await anonPssRead(pid, fs);
    if (typeof anon === 'number') bytes += anon;
    else if (anon === 'denied') denied++;
    bytes += await pageTables(pid, fs);
  }
  return { bytes, denied };
}

async function pageTables(pid: number, fs: HostFs): Promise<number> {
  try {
    const m = /^VmPTE:\s+(\d+) kB/m.exec(await fs.readFile(`/proc/${pid}/status`));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function meminfo(fs: HostFs): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await fs.readFile('/proc/meminfo')).split('\n')) {
    const m = /^(\w+):\s+(\d+)( kB)?/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  return out;
}
