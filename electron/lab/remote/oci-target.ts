import os from 'node:os';
import path from 'node:path';
import { medianOf } from '../../../shared/stats';
import type { ResolvedWorkload } from '../../../shared/plan';
import { note, type Note } from '../../../shared/notes';
import { BUSYBOX_HELP, findStaticBusybox } from '../images/busybox';
import { isOrphaned, LABEL_MANAGED, LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_RUN } from '../labels';
import { OciShellTarget } from '../targets/oci-shell';
import { throwIfAborted } from '../targets/target';
import type { SshConnection } from './connect';
import { parseTiming, remoteShellClockNote, shellQuote, type ShellClock, type ShellTiming } from '../shell-timing';
import { ACCESS_PROBE, asRoot, deleteContainersScript, LIST_LEFTOVERS, listContainersScript, orphanedContainers, makeDirScript, parseAccess, parseDir, parseLeftovers, remoteGlobalArgs, removeScript, rootfsScript, sameArch, type RootAccess } from './oci-scripts';
import { oncePerConnection } from './once-per-connection';
import { uploadFile } from './upload';

/** The remote busybox (on PATH, or where minimal systems keep it), used when this machine's is of another architecture. */
const FIND_BUSYBOX = 'for b in "$(command -v busybox 2>/dev/null)" /bin/busybox /usr/bin/busybox /sbin/busybox /usr/local/bin/busybox; do [ -n "$b" ] && [ -x "$b" ] && { echo "$b"; exit 0; }; done; exit 1';
const OVERHEAD_SAMPLES = 7;

type Conn = Pick<SshConnection, 'exec' | 'channel'>;


/** Whether isolab may run a runtime as root on this host (asked once per connection). */
export function remoteRootAccess(conn: Conn): Promise<RootAccess> {
  return oncePerConnection(conn, 'oci-root-access', () => conn.exec(ACCESS_PROBE).then((r) => parseAccess(r.stdout)));
}

/**
 * Removes what an aborted isolab of this machine left on the remote host (once per connection, before the first
 * oci model there): bundle dirs under the SSH user's tmp with isolab's owner file, made by an isolab process of
 * this machine that has ended, and the containers in them (ids with isolab's prefix). Nothing else is touched.
 */
export function sweepRemoteOci(conn: Conn, access: RootAccess, log?: (line: string) => void): Promise<string[]> {
  return oncePerConnection(conn, 'oci-sweep', () =>
    (async () => {
      if (access.how === 'none') return []; // without root it could not have started a container there
      const listed = parseLeftovers((await conn.exec(LIST_LEFTOVERS)).stdout);
      const swept: string[] = [];
      for (const { dir, owner } of listed) {
        const labels = Object.fromEntries(Object.entries(owner).map(([k, v]) => [k, String(v)]));
        const runtime = labels.runtime ?? '';
        if (!isOrphaned(labels) || !/^\/[\w./+-]+$/.test(runtime)) continue;
        const r = await conn.exec(asRoot(access, removeScript(runtime, dir, 'all')));
        if (r.code === 0) swept.push(dir);
      }
      if (swept.length) log?.(`removed ${swept.length} OCI bundle dir(s) an earlier isolab left on the remote host`);
      return swept;
    })().catch(() => []),
  );
}


/**
 * Removes the containers an ended isolab of this machine left in a runtime's own state root on the remote host
 * (runc and crun keep them in /run/<runtime>, also when their bundle dir is gone): ids with isolab's prefix whose
 * annotations name this machine and an isolab process that no longer runs. Once per connection and runtime; runsc
 * keeps isolab's state in the bundle dir, which `sweepRemoteOci` removes.
 */
export function sweepRemoteOciContainers(conn: Conn, access: RootAccess, runtime: string, log?: (line: string) => void): Promise<string[]> {
  return oncePerConnection(conn, `oci-container-sweep ${runtime}`, () =>
    (async () => {
      if (access.how === 'none' || path.posix.basename(runtime) === 'runsc') return [];
      const listed = await conn.exec(asRoot(access, listContainersScript(runtime)));
      const ids = orphanedContainers(listed.stdout, isOrphaned);
      if (!ids.length) return [];
      await conn.exec(asRoot(access, deleteContainersScript(runtime, ids)));
      log?.(`removed ${ids.length} ${path.posix.basename(runtime)} container(s) an earlier isolab left on the remote host`);
      return ids;
    })().catch(() => []),
  );
}

export interface RemoteOciOptions {
  conn: Conn;
  /** runc, crun or runsc: the model's name. */
  name: string;
  /** Its absolute path on the remote host. */
  runtime: string;
  access: RootAccess & { how: 'root' | 'sudo' };
  runId: string;
  workload: ResolvedWorkload;
}

/**
 * A raw OCI runtime on the remote host (oci:RUNTIME there): a bundle made in a mktemp dir under the SSH user's
 * tmp (this machine's static busybox uploaded over the connection, or the host's own when the architectures
 * differ), each start timed by a root shell on the remote clock (logged in as root, or `sudo -n`), the same
 * instrument as the local `oci:RUNTIME` (`OciShellTarget`). Its starts only; footprint and density come from
 * `RemoteOciDriver` (electron/lab/remote/oci-driver.ts).
 */
export class RemoteOciTarget extends OciShellTarget {
  private removed = false;

  constructor(private readonly o: RemoteOciOptions) {
    super(o.name, o.runtime, o.runId, o.workload, ' on the remote host');
    this.ownerHost = os.hostname();
  }

  private root(script: string, timeoutMs?: number) {
    return this.o.conn.exec(asRoot(this.o.access, script), { timeoutMs });
  }

  protected globalArgs(): string[] {
    return remoteGlobalArgs(this.o.runtime, this.dir!, this.workload.network);
  }

  protected execStart(script: string, timeoutMs: number) {
    return this.root(script, timeoutMs);
  }

  async prepare(signal: AbortSignal): Promise<void> {
    if (this.dir) return;
    this.checkWorkload();
    this.dir = await makeRemoteBundle(this.o, signal, (dir) => (this.dir = dir));
    throwIfAborted(signal);
    const measured = await measureClock(this.o.conn, this.o.access, `${shellQuote(this.o.runtime)} --version`);
    this.timing = measured.timing;
    this.version = measured.extra.split('\n')[0]?.trim() ?? '';
  }

  notes(): Note[] {
    const t = this.timing;
    if (!t || !this.dir) return [];
    return [remoteShellClockNote(t), note('remote-oci-bundle', { model: this.model, dir: this.dir, via: this.o.access.how === 'sudo' ? 'sudo -n' : 'ssh root' })];
  }

  async dispose(): Promise<void> {
    if (!this.dir || this.removed) return;
    const ids = [...this.unsettled];
    const r = await this.root(removeScript(this.o.runtime, this.dir, ids)).catch(() => undefined);
    // Left for the next comparison's sweep when the connection is gone.
    if (r?.code === 0) this.removed = true;
    this.unsettled.clear();
  }
}

/**
 * Makes a bundle dir on the remote host for a raw runtime (its owner file first: isolab's labels, this machine's
 * host name and pid), with the rootfs around this machine's static busybox (uploaded) or the host's own when the
 * architectures differ. `made` hears the dir as soon as it exists, so a failure after it still removes it.
 */
export async function makeRemoteBundle(o: Pick<RemoteOciOptions, 'conn' | 'access' | 'runId' | 'runtime'>, signal: AbortSignal, made: (dir: string) => void): Promise<string> {
  const { conn } = o;
  // The busybox: this machine's static one when the host runs the same architecture, else the host's own.
  let source: { local: string } | { remote: string };
  const local = sameArch(o.access.arch) ? (await findStaticBusybox()).path : undefined;
  if (local) source = { local };
  else {
    const found = await conn.exec(FIND_BUSYBOX);
    const where = found.stdout.trim().split('\n')[0];
    if (found.code !== 0 || !where.startsWith('/')) throw new Error(`no busybox for the bundle's rootfs on the remote host (${o.access.arch}) nor a static one here of that architecture. ${BUSYBOX_HELP}`);
    source = { remote: where };
  }
  throwIfAborted(signal);
  const mk = await conn.exec(makeDirScript(remoteOwner(o.runId, o.runtime)));
  const dir = parseDir(mk.stdout + (mk.code ? mk.stderr : ''));
  made(dir);
  const busybox = 'local' in source ? `${dir}/busybox.upload` : source.remote;
  if ('local' in source) await uploadFile(conn, source.local, busybox);
  const fs = await conn.exec(rootfsScript(dir, busybox));
  if (fs.code !== 0) throw new Error(`could not make the bundle's rootfs in ${dir} on the remote host: ${fs.stderr.trim().slice(0, 300)}`);
  return dir;
}

/** The owner file's labels (and the runtime that can remove its containers): this machine's host name and pid. */
function remoteOwner(runId: string, runtime: string): Record<string, unknown> {
  return { [LABEL_MANAGED]: 'true', [LABEL_OWNER_PID]: process.pid, [LABEL_OWNER_HOST]: os.hostname(), [LABEL_RUN]: runId, runtime };
}

/**
 * Which clock the (root) shell reads and what a pair of readings costs there, as the floor measures it, in as few
 * execs as can be (a session costs seconds on a busy sshd): the probe (with `extra`'s output), the pairs, 3 round trips.
 */
async function measureClock(conn: Conn, access: RootAccess, extra: string): Promise<{ timing: ShellTiming; extra: string }> {
  const probe = await conn.exec(asRoot(access, `echo "\${EPOCHREALTIME:-none}"; date +%s%N; ${extra} 2>&1`));
  const [epoch, date, ...rest] = probe.stdout.split('\n');
  const clock: ShellClock = /^\d+[.,]\d+$/.test(epoch ?? '') ? 'epochrealtime' : 'date';
  if (clock === 'date' && !/^\d{10,}$/.test(date ?? '')) throw new Error(`the remote host's date cannot give nanoseconds (it printed "${(date ?? '').slice(0, 40)}")`);
  const t = clock === 'epochrealtime' ? '$EPOCHREALTIME' : '$(date +%s%N)';
  const pairs = await conn.exec(asRoot(access, `for i in ${Array.from({ length: OVERHEAD_SAMPLES }, (_, i) => i + 1).join(' ')}; do t0=${t}; t1=${t}; echo "isolab-t $t0 $t1 0"; done`));
  const gaps = pairs.stdout.split('\n').filter((l) => l.startsWith('isolab-t ')).map((l) => parseTiming(l, clock, 0).marks.ready);
  if (!gaps.length) throw new Error(`the remote timing shell printed no readings: ${pairs.stdout.trim().slice(0, 200) || pairs.stderr.trim().slice(0, 200) || '(nothing)'}`);
  const trips: number[] = [];
  for (let i = 0; i < 3; i++) trips.push((await conn.exec('true')).ms);
  return { timing: { clock, overheadMs: medianOf(gaps) ?? 0, execRoundTripMs: medianOf(trips) ?? 0 }, extra: rest.join('\n') };
}

