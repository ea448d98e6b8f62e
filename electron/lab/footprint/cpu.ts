import { isLocal, localFs, type HostFs } from './host-fs';
import { allPids, processName } from './proc';

/** USER_HZ: 100 on every mainstream Linux build. */
const CLK_TCK = 100;
const ENGINE_DAEMONS = /^(dockerd|containerd)$/;

/**
 * CPU time of one process in ms from /proc/PID/stat: user + system, and with `children` the time of the
 * children it has reaped (a shim reaps runc; isolab reaps `runc run -d`). Undefined once it is gone.
 */
export async function processCpuMs(pid: number | 'self', children = true, fs: HostFs = localFs): Promise<number | undefined> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`);
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // Fields after the name start at state (3): utime is field 14, stime 15, cutime 16, cstime 17.
    const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]];
    return ((utime + stime + (children ? cutime + cstime : 0)) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** The engine's daemons (dockerd, containerd), found once by name. */
export async function engineDaemonPids(fs: HostFs = localFs): Promise<number[]> {
  // All names asked at once: over SFTP the requests pipeline instead of paying a round trip each.
  const pids = await allPids(fs);
  const names = await Promise.all(pids.map((pid) => processName(pid, fs)));
  return pids.filter((_, i) => ENGINE_DAEMONS.test(names[i] ?? ''));
}

/**
 * Summed CPU of isolab itself (with reaped children) and the engine daemons: sampled before and after a start.
 * On another host there is no "isolab's own CPU" there (isolab runs here and talks over SSH): only the daemons
 * count, and the caller says so in a note rather than mixing this machine's numbers into that host's.
 */
export async function requestSideCpuMs(daemons: number[], fs: HostFs = localFs): Promise<number> {
  let sum = 0;
  if (isLocal(fs)) {
    // isolab's own time in µs from the runtime (ticks are 10 ms, too coarse for one spawn), its reaped children's from /proc.
    const own = process.cpuUsage();
    const all = (await processCpuMs('self')) ?? 0;
    sum += (own.user + own.system) / 1000 + (all - ((await processCpuMs('self', false)) ?? 0));
  }
  for (const pid of daemons) sum += (await processCpuMs(pid, true, fs)) ?? 0;
  return sum;
}
