import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { isAlive } from '../labels';
import { allPids } from '../footprint/proc';

/**
 * The process floor's instances carry these in their environment: a crashed isolab cannot kill its sleeping
 * children, so the next start finds them by marker and owner and ends them. A process without the marker, or
 * whose owner still runs, is never touched.
 */
export const PROCESS_MARKER = 'ISOLAB_MANAGED';
export const PROCESS_OWNER = 'ISOLAB_OWNER_PID';
/** The owner's hostname: the floor's instances on a remote host are owned by an isolab of another machine. */
export const PROCESS_OWNER_HOST = 'ISOLAB_OWNER_HOST';

export function markerEnv(): Record<string, string> {
  return { [PROCESS_MARKER]: 'true', [PROCESS_OWNER]: String(process.pid), [PROCESS_OWNER_HOST]: os.hostname() };
}

export async function sweepProcesses(): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const killed: number[] = [];
  for (const pid of await allPids()) {
    if (pid === process.pid) continue;
    let env: string;
    try {
      env = await readFile(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    const vars = new Map(env.split('\0').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
    if (vars.get(PROCESS_MARKER) !== 'true') continue;
    // Another machine's isolab started it here (the floor of `compare --host`): its pid means nothing on this host.
    if (vars.has(PROCESS_OWNER_HOST) && vars.get(PROCESS_OWNER_HOST) !== os.hostname()) continue;
    const owner = Number(vars.get(PROCESS_OWNER));
    if (owner === process.pid || isAlive(owner)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      /* gone already */
    }
  }
  return killed;
}
