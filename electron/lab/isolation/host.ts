import { readdir, readFile, readlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cgroupPathOf, limitsFrom, statusFields, type IsolationView } from '../../../shared/learn/facts';

const CGROUP_ROOT = process.env.ISOLAB_CGROUP_ROOT ?? '/sys/fs/cgroup';

/** The facts of isolab's own process on the host: the same fields the probe script prints, read straight. */
export async function hostProcessView(): Promise<IsolationView> {
  const namespaces: Record<string, string> = {};
  for (const n of await readdir('/proc/self/ns').catch(() => [] as string[])) {
    const link = await readlink(`/proc/self/ns/${n}`).catch(() => undefined);
    if (link) namespaces[n] = link;
  }
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const cgroupText = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  const cgroupPath = cgroupPathOf(cgroupText);
  return {
    side: 'host',
    source: 'isolab\'s own process: /proc/self/ns, /proc/self/status, /proc/self/cgroup, uname',
    kernel: { release: os.release(), version: os.version(), machine: os.machine() },
    platform: process.platform,
    namespaces,
    ...statusFields(status),
    cgroupPath,
    limits: limitsFrom(await cgroupLimitFiles(cgroupText)),
  };
}

/** The same files the probe script reads under /sys/fs/cgroup, at this process's own cgroup (v1 or v2). */
async function cgroupLimitFiles(cgroupText: string): Promise<Record<string, string>> {
  const byController = new Map<string, string>();
  let unified: string | undefined;
  for (const line of cgroupText.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') unified = m[3];
    for (const c of m[2].split(',')) if (c) byController.set(c, m[3]);
  }
  const files: Record<string, string> = {};
  const read = async (key: string, file: string) => {
    const v = await readFile(file, 'utf8').then((t) => t.trim(), () => undefined);
    if (v !== undefined) files[key] = v;
  };
  if (byController.has('memory')) {
    await read('memory/memory.limit_in_bytes', path.join(CGROUP_ROOT, 'memory', byController.get('memory')!, 'memory.limit_in_bytes'));
    if (byController.has('pids')) await read('pids/pids.max', path.join(CGROUP_ROOT, 'pids', byController.get('pids')!, 'pids.max'));
    if (byController.has('cpu')) {
      await read('cpu/cpu.cfs_quota_us', path.join(CGROUP_ROOT, 'cpu', byController.get('cpu')!, 'cpu.cfs_quota_us'));
      await read('cpu/cpu.cfs_period_us', path.join(CGROUP_ROOT, 'cpu', byController.get('cpu')!, 'cpu.cfs_period_us'));
    }
  } else if (unified !== undefined) {
    for (const f of ['memory.max', 'pids.max', 'cpu.max']) await read(f, path.join(CGROUP_ROOT, unified, f));
  }
  return files;
}
