import { readFile } from 'node:fs/promises';

export interface ProcessMemory {
  rssBytes: number;
  pssBytes?: number;
  /** User + system CPU time so far, in ms. */
  cpuMs?: number;
}

/** Clock ticks per second for /proc/PID/stat; 100 on every mainstream Linux build. */
const CLK_TCK = 100;

/** A process's RSS and PSS (smaps_rollup) and CPU time (stat), on Linux; undefined elsewhere. */
export async function processMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    const [rollup, stat] = await Promise.all([readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''), readFile(`/proc/${pid}/stat`, 'utf8')]);
    const status = /^Rss:/m.test(rollup) ? '' : await readFile(`/proc/${pid}/status`, 'utf8');
    return parseProcessMemory(rollup, stat, status);
  } catch {
    return undefined;
  }
}

/** The same from the texts of /proc/PID/smaps_rollup, stat and (when smaps_rollup has no Rss) status, read anywhere. */
export function parseProcessMemory(rollup: string, stat: string, status = ''): ProcessMemory {
  const kb = (key: string, text: string) => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : undefined;
  };
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
  const rss = kb('Rss', rollup) ?? kb('VmRSS', status) ?? 0;
  return { rssBytes: rss, pssBytes: kb('Pss', rollup), cpuMs: Number.isFinite(cpuMs) ? cpuMs : undefined };
}

/** MemTotal and MemAvailable from a /proc/meminfo text, in bytes. */
export function parseMeminfo(text: string): { totalBytes?: number; availableBytes?: number } {
  const kb = (key: string) => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : undefined;
  };
  return { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable') };
}

export async function hostMemAvailable(): Promise<number | undefined> {
  return parseMeminfo(await readFile('/proc/meminfo', 'utf8').catch(() => '')).availableBytes;
}
