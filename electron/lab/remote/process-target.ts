import type { ResolvedWorkload } from '../../../shared/plan';
import { probeShellTiming, type ShellExec, type ShellTiming } from '../shell-timing';
import { ShellProcessTarget } from '../targets/shell-process';
import type { SshConnection } from './connect';

// The timing shell lives in electron/lab/shell-timing.ts (this machine's floor uses it too); the remote readers
// still import its pieces from here.
export { shellQuote, type ShellTiming } from '../shell-timing';

/** The remote busybox: on PATH, else where minimal systems keep it (an SSH session's PATH can be short). */
const FIND_BUSYBOX = 'for b in "$(command -v busybox 2>/dev/null)" /bin/busybox /usr/bin/busybox /sbin/busybox /usr/local/bin/busybox; do [ -n "$b" ] && [ -x "$b" ] && { echo "$b"; exit 0; }; done; exit 1';

/** The remote host's busybox, or an error that says how to install one. */
export async function remoteBusybox(conn: SshConnection): Promise<string> {
  const found = await conn.exec(FIND_BUSYBOX);
  const path = found.stdout.trim().split('\n')[0];
  if (found.code !== 0 || !path.startsWith('/')) {
    throw new Error(`no busybox on the remote host for the process floor (install busybox there, e.g. \`apt-get install busybox-static\`)${found.stderr.trim() ? `: ${found.stderr.trim().slice(0, 200)}` : ''}`);
  }
  return path;
}

/** One exec on the kept SSH connection, as the timing shell's exec (its intervals are read on the remote clock). */
const sshExec = (conn: SshConnection): ShellExec => (script, o) => conn.exec(script, { timeoutMs: o?.timeoutMs });

/** Which clock the remote shell reads, what a reading costs (back-to-back readings) and an exec round trip. */
export function remoteShellTiming(conn: SshConnection): Promise<ShellTiming> {
  return probeShellTiming(sshExec(conn), 'the remote host');
}

/**
 * The floor on a remote host: the workload's program run there by the host's busybox, timed by the same timing
 * shell as this machine's floor, on the remote clock (one exec per start on the kept SSH connection). Its
 * footprint and density come from `RemoteProcessDriver` (instances left running there, read through the remote /proc).
 */
export class RemoteProcessTarget extends ShellProcessTarget {
  constructor(o: { conn: SshConnection; workload: ResolvedWorkload }) {
    super({ where: 'remote', workload: o.workload, exec: async () => sshExec(o.conn), findBusybox: () => remoteBusybox(o.conn) });
  }
}
