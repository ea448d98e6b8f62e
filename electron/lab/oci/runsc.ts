import path from 'node:path';
import type { HostFs } from '../footprint/host-fs';
import { allPids, processArgv } from '../footprint/proc';

/**
 * What isolab knows of gVisor's runsc: the flags it needs when isolab runs it straight on a bundle, and how its
 * host processes look. runsc starts two processes per sandbox, both re-executions of its own binary that rename
 * their argv[0]: `runsc-sandbox` (the Sentry, gVisor's kernel in user space; the engine reports it as the
 * container's pid, and the workload runs in stub processes below it) and `runsc-gofer` (file access for the
 * sandbox). Their memory is the runtime's own cost, not the workload's.
 */

export const SANDBOX = 'runsc-sandbox';
export const GOFER = 'runsc-gofer';

export function isGvisor(runtime: string): boolean {
  return path.basename(runtime) === 'runsc';
}

/** runsc's state for isolab's raw runs, under isolab's data dir (not the host's /var/run/runsc). */
export const runscStateDir = (root: string) => path.join(root, 'runsc');

/**
 * Flags before the runtime's command when isolab runs it on a bundle; none for runc and crun.
 * `--network=none`: gVisor's own network stack with a loopback only, what network none gives a container. Its
 * default (`sandbox`) copies the interfaces of the sandbox's network namespace and refuses to start when it
 * believes that namespace is the host's, which the 2022 builds judge by /proc/sys/net/core/rmem_default: recent
 * kernels show that file in every namespace (gVisor issue 10704), so they refuse everywhere. `host` (for a
 * workload on the host network) uses the host's stack, in the host's namespace: the bundle then has no network
 * namespace of its own.
 */
export function ociGlobalArgs(runtime: string, root: string, network?: 'none' | 'host'): string[] {
  if (!isGvisor(runtime)) return [];
  return ['--root', runscStateDir(root), ...(network ? [`--network=${network}`] : [])];
}

/** True when the pid is a gVisor sandbox (the Sentry). */
export async function isSandbox(pid: number, fs?: HostFs): Promise<boolean> {
  return (await processArgv(pid, fs))?.[0] === SANDBOX;
}

/** The value of `--flag value` or `--flag=value` (one or two dashes) in an argv. */
export function flagValue(argv: string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i].replace(/^--?/, '-');
    if (a === `-${flag}`) return argv[i + 1];
    if (a.startsWith(`-${flag}=`)) return a.slice(flag.length + 2);
  }
  return undefined;
}

/** The sandbox and gofer processes serving one bundle (raw runs: they are nobody's children but init's). */
export async function gvisorProcessesOf(bundle: string): Promise<number[]> {
  const out: number[] = [];
  for (const pid of await allPids()) {
    const argv = await processArgv(pid);
    if (argv && (argv[0] === SANDBOX || argv[0] === GOFER) && flagValue(argv, 'bundle') === bundle) out.push(pid);
  }
  return out.sort((a, b) => a - b);
}

/**
 * A runtime error with what to do about it, when it is the one above: gVisor's default network refusing every
 * namespace. Other messages come back as they were.
 */
export function withRuntimeHint(message: string): string {
  if (!/cannot run with network enabled in root network namespace/.test(message)) return message;
  return `${message} (this runsc build takes every network namespace for the host's on recent kernels, gVisor issue 10704: register it with "runtimeArgs": ["--network=none"] in /etc/docker/daemon.json and reload dockerd, or use a runsc from 2024-08 or later)`;
}
