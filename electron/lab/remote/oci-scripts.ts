import path from 'node:path';
import { APPLETS, OCI_ID_PREFIX, ROOTFS_DIRS } from '../oci/config';
import { flagValue, GOFER, SANDBOX } from '../oci/runsc';
import { shellQuote } from '../shell-timing';

/**
 * The shell text isolab runs on a remote host to drive a raw OCI runtime there (pure: built and parsed here,
 * run by electron/lab/remote/oci-target.ts). Every path and word that reaches a shell is single-quoted.
 */

/** Where the bundles live on the remote host: `${TMPDIR:-/tmp}/isolab-oci-XXXXXXXX`, made by mktemp as the SSH user. */
const REMOTE_DIR_PREFIX = 'isolab-oci-';
const OWNER_FILE = 'isolab-owner.json';

/** How isolab may run the runtime as root there: logged in as root, `sudo -n` (no password), or not at all. */
export type RootAccess = { how: 'root' | 'sudo'; shell: string; arch: string } | { how: 'none'; user: string; shell: string; arch: string };

/** One exec that says who we are there, whether sudo asks no password, which shell has $EPOCHREALTIME, and the machine. */
export const ACCESS_PROBE = [
  'if [ "$(id -u)" = 0 ]; then echo "isolab-root root"; elif sudo -n true </dev/null >/dev/null 2>&1; then echo "isolab-root sudo"; else echo "isolab-root none $(id -un)"; fi',
  'echo "isolab-shell $(command -v bash 2>/dev/null || echo /bin/sh)"',
  'echo "isolab-arch $(uname -m)"',
].join('; ');

export function parseAccess(stdout: string): RootAccess {
  const field = (key: string) => stdout.split('\n').find((l) => l.startsWith(`isolab-${key} `))?.slice(key.length + 8).trim() ?? '';
  const [how, user] = field('root').split(/\s+/);
  const shell = /^\/[\w./+-]+$/.test(field('shell')) ? field('shell') : '/bin/sh';
  const arch = field('arch');
  if (how === 'root' || how === 'sudo') return { how, shell, arch };
  return { how: 'none', user: user || '?', shell, arch };
}

/** A script run by the chosen shell, as root when `sudo`: the clock readings are inside it, sudo's own start is not. */
export function asRoot(access: RootAccess, script: string): string {
  return `${access.how === 'sudo' ? 'sudo -n ' : ''}${shellQuote(access.shell)} -c ${shellQuote(script)}`;
}

/** Node's arch names against `uname -m`: a binary of this machine runs there only when they match. */
export function sameArch(unameM: string, nodeArch: string = process.arch): boolean {
  const names: Record<string, string[]> = { x64: ['x86_64', 'amd64'], arm64: ['aarch64', 'arm64'], arm: ['armv7l', 'armv6l', 'armhf'], ia32: ['i386', 'i686'], ppc64: ['ppc64le', 'ppc64'], s390x: ['s390x'], riscv64: ['riscv64'] };
  return (names[nodeArch] ?? [nodeArch]).includes(unameM);
}

/** The runtime's flags before its command: runsc's own state dir in the bundle dir and its network, as locally. */
export function remoteGlobalArgs(runtime: string, dir: string, network: 'none' | 'host'): string[] {
  return path.posix.basename(runtime) === 'runsc' ? ['--root', `${dir}/runsc`, `--network=${network}`] : [];
}

/**
 * Makes the bundle dir (mode 755, so root reads it) with its owner file first, so a run that stops at any later
 * step leaves a dir the sweep recognises, and prints its path. Run as the SSH user.
 */
export function makeDirScript(owner: Record<string, unknown>): string {
  return `d=$(mktemp -d "\${TMPDIR:-/tmp}/${REMOTE_DIR_PREFIX}XXXXXXXX") && chmod 755 "$d" && printf '%s\\n' ${shellQuote(JSON.stringify(owner))} > "$d/${OWNER_FILE}" && echo "isolab-dir $d"`;
}

export function parseDir(stdout: string): string {
  const dir = stdout.split('\n').find((l) => l.startsWith('isolab-dir '))?.slice(11).trim() ?? '';
  if (!isBundleDir(dir)) throw new Error(`mktemp on the remote host gave no bundle directory: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  return dir;
}

/** An absolute path whose last part is isolab's mktemp name: the only directories isolab removes there. */
export function isBundleDir(dir: string): boolean {
  return dir.startsWith('/') && !/[\n\0]/.test(dir) && new RegExp(`/${REMOTE_DIR_PREFIX}[A-Za-z0-9]{6,}$`).test(dir);
}

/** The rootfs around a busybox (the one uploaded into the dir, or the host's own): applet links, mount points, runsc's state dir. */
export function rootfsScript(dir: string, busybox: string): string {
  const q = shellQuote;
  const bin = `${dir}/rootfs/bin`;
  return [
    `mkdir -p ${q(bin)} ${ROOTFS_DIRS.map((d) => q(`${dir}/rootfs/${d}`)).join(' ')} ${q(`${dir}/runsc`)}`,
    `cp ${q(busybox)} ${q(`${bin}/busybox`)}`,
    `chmod 755 ${q(`${bin}/busybox`)}`,
    `for a in ${APPLETS.join(' ')}; do ln -sf busybox ${q(bin)}/"$a"; done`,
  ].join(' && ');
}

/** Removes given containers and the whole bundle dir (as root): after the model, and for an aborted run's leftovers. */
export function removeScript(runtime: string, dir: string, ids: 'all' | string[]): string {
  const q = shellQuote;
  const rt = [runtime, ...remoteGlobalArgs(runtime, dir, 'none').slice(0, 2)].map(q).join(' ');
  const del =
    ids === 'all'
      ? `for i in ${q(dir)}/${OCI_ID_PREFIX}*; do [ -d "$i" ] && ${rt} delete --force "$(basename "$i")" >/dev/null 2>&1; done`
      : ids.map((id) => `${rt} delete --force ${q(id)} >/dev/null 2>&1`).join('; ');
  return `${del || 'true'}; rm -rf ${q(dir)}`;
}

/** Lists isolab's bundle dirs under the SSH user's tmp that this user owns, each with its owner file. */
export const LIST_LEFTOVERS = `for d in "\${TMPDIR:-/tmp}"/${REMOTE_DIR_PREFIX}*; do [ -d "$d" ] && [ -O "$d" ] && [ -f "$d/${OWNER_FILE}" ] || continue; printf 'isolab-left %s ' "$d"; head -c 2000 "$d/${OWNER_FILE}" | tr -d '\\n'; echo; done; true`;

export function parseLeftovers(stdout: string): { dir: string; owner: Record<string, unknown> }[] {
  const out: { dir: string; owner: Record<string, unknown> }[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^isolab-left (\S+) (\{.*\})$/.exec(line.trim());
    if (!m || !isBundleDir(m[1])) continue;
    try {
      const owner = JSON.parse(m[2]) as unknown;
      if (owner && typeof owner === 'object' && !Array.isArray(owner)) out.push({ dir: m[1], owner: owner as Record<string, unknown> });
    } catch {
      /* not an owner file isolab wrote: leave the dir */
    }
  }
  return out;
}

/**
 * One instance left running (footprint and density): its bundle written, `run --detach` with stdio detached so the
 * exec ends once the runtime returns, the container's pid printed. A start that fails removes what it made.
 * Output: `isolab-oci-up RC PID`.
 */
export function upScript(o: { runtime: string; dir: string; id: string; config: Record<string, unknown>; network: 'none' | 'host' }): string {
  const q = shellQuote;
  const b = `${o.dir}/${o.id}`;
  const rt = [o.runtime, ...remoteGlobalArgs(o.runtime, o.dir, o.network)].map(q).join(' ');
  return [
    `mkdir ${q(b)} && printf '%s' ${q(JSON.stringify(o.config))} > ${q(`${b}/config.json`)} || { echo "isolab-oci-setup-failed"; exit 1; }`,
    `${rt} run --detach --pid-file ${q(`${b}/pid`)} --bundle ${q(b)} ${q(o.id)} </dev/null >/dev/null 2>${q(`${b}/err`)}; rc=$?`,
    `if [ "$rc" != 0 ]; then head -c 600 ${q(`${b}/err`)} >&2; ${rt} delete --force ${q(o.id)} >/dev/null 2>&1; rm -rf ${q(b)}; fi`,
    `echo "isolab-oci-up $rc $(cat ${q(`${b}/pid`)} 2>/dev/null)"`,
  ].join('\n');
}

export function parseUp(stdout: string): { rc: number; pid?: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('isolab-oci-up '));
  if (!line) {
    if (stdout.includes('isolab-oci-setup-failed')) throw new Error('could not write the bundle of an instance on the remote host (is its temp dir full or gone?)');
    throw new Error(`the remote start printed no status line: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  }
  const [, rc, p] = line.trim().split(/\s+/);
  const pid = Number(p);
  return { rc: Number(rc), pid: Number.isInteger(pid) && pid > 1 ? pid : undefined };
}

/** Ends one instance: `kill` (SIGKILL), `delete --force` (which waits for it), its bundle removed. */
export function downScript(runtime: string, dir: string, id: string): string {
  const q = shellQuote;
  const rt = [runtime, ...remoteGlobalArgs(runtime, dir, 'none').slice(0, 2)].map(q).join(' ');
  return `${rt} kill ${q(id)} KILL >/dev/null 2>&1; ${rt} delete --force ${q(id)} >/dev/null 2>&1; rm -rf ${q(`${dir}/${id}`)}; true`;
}

/**
 * The containers in a runtime's own state root (runc and crun keep isolab's there, /run/runc): `list` as JSON,
 * whose entries carry the config's annotations (isolab's owner labels).
 */
export const listContainersScript = (runtime: string): string => `${shellQuote(runtime)} list --format json 2>/dev/null`;

/** The ids, from `list --format json`, of isolab's containers whose owner labels say `orphaned` (an ended isolab of this machine). */
export function orphanedContainers(json: string, orphaned: (labels: Record<string, string>) => boolean): string[] {
  let list: unknown;
  try {
    list = JSON.parse(json.trim() || 'null');
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const c of list as { id?: unknown; annotations?: unknown }[]) {
    const id = typeof c?.id === 'string' ? c.id : '';
    // Only ids isolab gives, made only of what it puts in them: never another tool's container.
    if (!id.startsWith(OCI_ID_PREFIX) || !/^[\w.-]+$/.test(id) || !c.annotations || typeof c.annotations !== 'object') continue;
    const labels = Object.fromEntries(Object.entries(c.annotations).map(([k, v]) => [k, String(v)]));
    if (orphaned(labels)) out.push(id);
  }
  return out;
}

/** Removes containers by id from a runtime's own state root (as root). */
export function deleteContainersScript(runtime: string, ids: string[]): string {
  return ids.map((id) => `${shellQuote(runtime)} delete --force ${shellQuote(id)} >/dev/null 2>&1`).join('; ') + '; true';
}

/** gVisor's processes on the host (sandbox and gofer rename their argv[0]): `isolab-g PID ARGV` with tabs between the args. */
export const GVISOR_PROCESSES = `for d in /proc/[0-9]*; do a=$(tr '\\0' '\\t' < "$d/cmdline" 2>/dev/null) || continue; case "$a" in ${SANDBOX}*|${GOFER}*) echo "isolab-g \${d#/proc/} $a";; esac; done; true`;

/** The sandbox and gofer pids serving one bundle, from GVISOR_PROCESSES's output. */
export function gvisorPidsOf(stdout: string, bundle: string): number[] {
  const out: number[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^isolab-g (\d+) (.*)$/.exec(line);
    if (!m) continue;
    const argv = m[2].split('\t');
    if ((argv[0] === SANDBOX || argv[0] === GOFER) && flagValue(argv, 'bundle') === bundle) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}
