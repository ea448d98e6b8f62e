import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { allPids, descendants, processArgv, sleep } from '../footprint/proc';
import { isAlive } from '../labels';
import { flagValue, GOFER, SANDBOX } from '../oci/runsc';

/**
 * What a failed start can leave behind the engine's back. When runsc fails to start a container, containerd
 * keeps its shim (containerd-shim-runc-v2 -id <container id>) running, sometimes with gVisor's sandbox and gofer
 * under it, after the engine has removed the container: nothing the engine lists any more, yet processes and
 * memory. isolab ends them by the container id after a failed start, and at start-up (the sweep) those whose
 * container says it was made by an isolab process of this host that is gone.
 *
 * The engine passes no label to the shim; the container's environment is in the OCI spec of the shim's bundle
 * (its working directory), so isolab's containers carry their owner there.
 */
export const CONTAINER_OWNER_ENV = 'ISOLAB_CONTAINER_OWNER';

/** The environment isolab's containers carry: host and pid of the isolab that made them. */
export function ownerEnv(): string[] {
  return [`${CONTAINER_OWNER_ENV}=${os.hostname()}:${process.pid}`];
}

interface Proc {
  pid: number;
  argv: string[];
}

// A shim started with `delete` is containerd cleaning up after one that ended: let it finish.
const isShim = (argv: string[]) => /^containerd-shim/.test(path.basename(argv[0] ?? '')) && argv.at(-1) !== 'delete';
const isGvisorHelper = (argv: string[]) => argv[0] === SANDBOX || argv[0] === GOFER;

async function processes(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const pid of await allPids()) {
    if (pid === process.pid) continue;
    const argv = await processArgv(pid);
    if (argv) out.push({ pid, argv });
  }
  return out;
}

/** The shim's container id (`-id <id>`), and the bundle a sandbox or gofer serves (its last segment is the id). */
function containerIdOf(p: Proc): string | undefined {
  if (isShim(p.argv)) return flagValue(p.argv, 'id');
  if (isGvisorHelper(p.argv)) {
    const bundle = flagValue(p.argv, 'bundle');
    return bundle ? path.basename(bundle) : undefined;
  }
  return undefined;
}

/** The shims, sandboxes and gofers of these containers, and every process below those shims. */
async function leftoversOf(ids: Set<string>, procs: Proc[]): Promise<{ shims: number[]; others: number[] }> {
  const shims: number[] = [];
  const others = new Set<number>();
  for (const p of procs) {
    const id = containerIdOf(p);
    if (!id || !ids.has(id)) continue;
    if (isShim(p.argv)) shims.push(p.pid);
    else others.add(p.pid);
  }
  for (const shim of shims) for (const d of await descendants(shim)) others.add(d);
  return { shims, others: [...others] };
}

/**
 * Ends what is left of containers by their full ids: the runtime's processes first (the container is gone, they
 * serve nothing), then the shims, with SIGTERM and a moment to go (containerd then cleans up their task), SIGKILL
 * after. Only shims, sandboxes and gofers that name one of these ids, and processes below those shims, are
 * touched. Returns the pids ended.
 */
export async function endContainerLeftovers(ids: string[], procs?: Proc[]): Promise<number[]> {
  if (process.platform !== 'linux' || !ids.length) return [];
  const { shims, others } = await leftoversOf(new Set(ids), procs ?? (await processes()));
  const signal = (pids: number[], sig: NodeJS.Signals) => pids.filter((pid) => {
    try {
      process.kill(pid, sig);
      return true;
    } catch {
      return false; // gone already
    }
  });
  const ended = signal(others, 'SIGKILL');
  ended.push(...signal(shims, 'SIGTERM'));
  for (const deadline = Date.now() + 3000; shims.some(isAlive) && Date.now() < deadline; ) await sleep(50);
  signal(shims.filter(isAlive), 'SIGKILL');
  return ended.sort((a, b) => a - b);
}

/**
 * The sweep: shims, sandboxes and gofers whose container carries the owner mark of an isolab process of this host
 * that is gone, and what runs below those shims. Run it after the engine's sweep has removed those containers (their shims then exit by
 * themselves); what is still there is a leftover.
 */
export async function sweepContainerLeftovers(): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const procs = await processes();
  const orphaned: string[] = [];
  for (const p of procs) {
    const id = containerIdOf(p);
    if (!id || orphaned.includes(id)) continue;
    // The shim runs in its bundle directory; a sandbox or gofer names it (and may outlive its shim).
    const bundle = isShim(p.argv) ? `/proc/${p.pid}/cwd` : flagValue(p.argv, 'bundle')!;
    const owner = await ownerOf(bundle);
    if (owner && owner.host === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid)) orphaned.push(id);
  }
  return endContainerLeftovers(orphaned, procs);
}

/** The owner mark in the OCI spec of a container's bundle. */
async function ownerOf(bundle: string): Promise<{ host: string; pid: number } | undefined> {
  let spec: { process?: { env?: unknown } };
  try {
    spec = JSON.parse(await readFile(path.join(bundle, 'config.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const env = Array.isArray(spec.process?.env) ? (spec.process.env as unknown[]) : [];
  const mark = env.find((e): e is string => typeof e === 'string' && e.startsWith(`${CONTAINER_OWNER_ENV}=`));
  const m = mark && /^(.*):(\d+)$/.exec(mark.slice(CONTAINER_OWNER_ENV.length + 1));
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}
