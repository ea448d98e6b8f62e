import type { SFTPWrapper } from 'ssh2';
import { fsError, type HostFs } from '../footprint/host-fs';
import type { SshConnection } from './connect';
import { describeSpec } from './spec';

/** The most a /proc or cgroup file may hold: smaps_rollup and meminfo are ~1-2 KiB; more means a wrong path. */
export const FILE_CAP = 256 * 1024;
const CHUNK = 32 * 1024;
/** Requests in flight at once: SFTP pipelines them; exec channels count against sshd's MaxSessions (default 10). */
const SFTP_IN_FLIGHT = 32;
const EXEC_IN_FLIGHT = 4;

/** SFTP status codes (RFC draft-ietf-secsh-filexfer-02 §7) as the errno names the footprint readers understand. */
const SFTP_STATUS: Record<number, string> = { 2: 'ENOENT', 3: 'EACCES', 4: 'EIO', 6: 'ECONNRESET', 7: 'ECONNRESET', 8: 'ENOTSUP' };

export interface RemoteFs extends HostFs {
  /** How it reads: one SFTP session, or `head`/`ls` over exec when the server has no SFTP subsystem. */
  readonly via: 'sftp' | 'exec';
  close(): void;
}

/**
 * Another host's /proc and cgroups through the SSH connection isolab already keeps: an SFTP session opened once
 * on it, or, when the server offers no SFTP subsystem (dropbear without sftp-server, a locked-down sshd), `head`
 * and `ls` run over exec on the same connection. Files are read whole to EOF (/proc files report size 0),
 * at most FILE_CAP bytes; errors carry ENOENT/EACCES codes as node:fs's do.
 */
export async function sftpFs(conn: SshConnection): Promise<RemoteFs> {
  const label = describeSpec(conn.spec);
  let sftp: SFTPWrapper;
  try {
    sftp = await conn.sftp();
  } catch {
    return execFs(conn, label);
  }
  const limit = limiter(SFTP_IN_FLIGHT);
  return {
    label,
    via: 'sftp',
    readFile: (p) => limit(() => sftpRead(sftp, p)),
    readdir: (p) => limit(() => sftpReaddir(sftp, p)),
    close: () => sftp.end(),
  };
}

function mapSftpError(err: Error & { code?: unknown }, path: string): Error {
  const code = typeof err.code === 'number' ? (SFTP_STATUS[err.code] ?? 'EIO') : typeof err.code === 'string' ? err.code : 'EIO';
  return fsError(code, path, err.message);
}

function sftpRead(sftp: SFTPWrapper, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    sftp.open(path, 'r', (err, handle) => {
      if (err) return reject(mapSftpError(err, path));
      const chunks: Buffer[] = [];
      let total = 0;
      const done = (e?: Error) => {
        // The answer does not wait for the close: a handle is freed in the background, in order on the channel.
        sftp.close(handle, () => {});
        if (e) reject(e);
        else resolve(Buffer.concat(chunks, total).toString('utf8'));
      };
      const next = () => {
        sftp.read(handle, Buffer.alloc(CHUNK), 0, CHUNK, total, (e, n, buf) => {
          if (e) return done(mapSftpError(e, path));
          if (!n) return done();
          chunks.push(buf.subarray(0, n));
          total += n;
          if (total > FILE_CAP) return done(fsError('EFBIG', path, `more than ${FILE_CAP} bytes`));
          next();
        });
      };
      next();
    });
  });
}

function sftpReaddir(sftp: SFTPWrapper, path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    sftp.readdir(path, (err, list) => (err ? reject(mapSftpError(err, path)) : resolve(list.map((e) => e.filename).filter((n) => n !== '.' && n !== '..'))));
  });
}

/** A path as one single-quoted shell word: the path may come from the host itself (a cgroup name), never trusted. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The errno name in a POSIX tool's message (LC_ALL=C): coreutils and busybox both print strerror. */
function errnoOf(stderr: string): string {
  if (/No such file or directory|No such process/.test(stderr)) return 'ENOENT';
  if (/Permission denied|Operation not permitted/.test(stderr)) return 'EACCES';
  if (/Not a directory/.test(stderr)) return 'ENOTDIR';
  return 'EIO';
}

function execFs(conn: SshConnection, label: string): RemoteFs {
  const limit = limiter(EXEC_IN_FLIGHT);
  const run = async (command: string, path: string) => {
    const r = await limit(() => conn.exec(`LC_ALL=C ${command}`, { timeoutMs: 15_000 }));
    if (r.code !== 0) throw fsError(errnoOf(r.stderr), path, r.stderr.trim() || `exit ${r.code}`);
    return r.stdout;
  };
  return {
    label,
    via: 'exec',
    readFile: async (p) => {
      // One byte past the cap tells a file at the cap from a longer one.
      const text = await run(`head -c ${FILE_CAP + 1} -- ${shellQuote(p)}`, p);
      if (Buffer.byteLength(text) > FILE_CAP) throw fsError('EFBIG', p, `more than ${FILE_CAP} bytes`);
      return text;
    },
    readdir: async (p) => (await run(`ls -1A -- ${shellQuote(p)}`, p)).split('\n').filter((n) => n !== ''),
    close: () => {},
  };
}

/** At most `n` calls in flight; the rest wait their turn in order. */
function limiter(n: number): <T>(f: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (f) => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await f();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
