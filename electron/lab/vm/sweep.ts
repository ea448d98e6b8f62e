import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { isAlive, isOrphaned, ownerLabels } from '../labels';
import { cacheDir } from '../paths';

const run = promisify(execFile);

/** Every live VM has a folder here: its owner (labels), QEMU's pid file and anything else it needs. */
export const liveDir = (root: string) => path.join(root, 'vm', 'live');

/** The `-name` every isolab QEMU carries; the sweep kills a process only if its command line has it. */
export const qemuName = (vmId: string) => `isolab-${vmId}`;

export interface LiveVm {
  id: string;
  dir: string;
}

/** Makes the VM's folder and records its owner before QEMU starts, so a crash at any point leaves a trace. */
export async function claimVm(root: string, runId: string, vmId: string): Promise<LiveVm> {
  const dir = path.join(liveDir(root), vmId);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'owner.json'), JSON.stringify({ ...ownerLabels(runId), 'isolab.vm': vmId }));
  return { id: vmId, dir };
}

export async function releaseVm(vm: LiveVm): Promise<void> {
  await rm(vm.dir, { recursive: true, force: true });
}

async function commandLine(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
  } catch {
    try {
      return (await run('ps', ['-p', String(pid), '-o', 'command='])).stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  }
}

/** True when `pid` is a QEMU isolab started for this VM: its command line names it. */
export async function isOurQemu(pid: number, vmId: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const cmd = await commandLine(pid);
  return !!cmd && /qemu-system/.test(cmd) && cmd.includes(`-name ${qemuName(vmId)}`);
}

/**
 * After a crash: kills the QEMU processes whose owning isolab is gone and removes their folders. A VM of a
 * live isolab, or of another host sharing the data directory, is left alone; a process is killed only if
 * it is a QEMU whose command line carries the VM's isolab name (a reused pid is never hit).
 */
export async function sweepVms(root: string): Promise<string[]> {
  const swept: string[] = [];
  for (const id of await readdir(liveDir(root)).catch(() => [] as string[])) {
    const dir = path.join(liveDir(root), id);
    let labels: Record<string, string> | undefined;
    try {
      labels = JSON.parse(await readFile(path.join(dir, 'owner.json'), 'utf8'));
    } catch {
      labels = undefined; // no owner yet: a claim in progress, or a folder we cannot judge; see below
    }
    if (labels && !isOrphaned(labels)) continue;
    if (!labels) {
      // No owner file: the folder never reached QEMU's start (or is being claimed now); remove it once stale.
      const mtime = await stat(dir).then((s) => s.mtimeMs, () => Date.now());
      if (Date.now() - mtime < 60_000) continue;
    }
    const pid = Number((await readFile(path.join(dir, 'qemu.pid'), 'utf8').catch(() => '')).trim());
    if (pid && (await isOurQemu(pid, id))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    await rm(dir, { recursive: true, force: true });
    swept.push(id);
  }
  await removeStaleBuilds(root);
  return swept;
}

/** Half-built kits and kernel downloads a crash left behind (a build in progress is younger than this). */
const STALE_BUILD_MS = 30 * 60_000;

async function removeStaleBuilds(root: string): Promise<void> {
  const vmCache = path.join(cacheDir(root), 'vm');
  for (const [dir, prefix] of [[vmCache, '.kit-'], [path.join(vmCache, 'kernels'), '.fetch-']] as const) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.startsWith(prefix)) continue;
      const full = path.join(dir, name);
      const mtime = await stat(full).then((s) => s.mtimeMs, () => Date.now());
      if (Date.now() - mtime > STALE_BUILD_MS) await rm(full, { recursive: true, force: true });
    }
  }
}
