import { shellQuote } from './process-target';
import { randomBytes } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { fsError, type HostFs } from '../footprint/host-fs';
import type { SshConnection } from './connect';
import { describeSpec } from './spec';

/** The most a /proc or cgroup file may hold: smaps_rollup and meminfo are ~1-2 KiB; more means a wrong path. */
export const FILE_CAP = 256 * 1024;
const CHUNK = 32 * 1024;
/** Requests in flight at once on the SFTP session (it pipelines them). */
const SFTP_IN_FLIGHT = 32;

/** SFTP status codes (RFC draft-ietf-secsh-filexfer-02 §7) as the errno names the footprint readers understand. */
const SFTP_STATUS: Record<number, string> = { 2: 'ENOENT', 3: 'EACCES', 4: 'EIO', 6: 'ECONNRESET', 7: 'ECONNRESET', 8: 'ENOTSUP' };

export interface RemoteFs extends HostFs {
  /** How it reads: one SFTP session, or `head`/`ls` over exec when the server has no SFTP subsystem. */
  readonly via: 'sftp' | 'exec';
  close(): void;
}

/**
 * Another host's /proc and cgroups through the SSH connection isolab already keeps: an SFTP session opened once
 * on it, or, when the server offers no SFTP subsystem (dropbear without sftp-server, a locked-down sshd), one
 * shell over exec on the same connection that answers with `head` and `ls`. Files are read whole to EOF (/proc files report size 0),
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

// A path is one single-quoted shell word: it may come from the host itself (a cgroup name), never trusted.
export { shellQuote };

/** The errno name in a POSIX tool's message (LC_ALL=C): coreutils and busybox both print strerror. */
function errnoOf(stderr: string): string {
  if (/No such file or directory|No such process/.test(stderr)) return 'ENOENT';
  if (/Permission denied|Operation not permitted/.test(stderr)) return 'EACCES';
  if (/Not a directory/.test(stderr)) return 'ENOTDIR';
  return 'EIO';
}

/**
 * The reader loop run on the host when it has no SFTP: one shell for the whole session (an exec per file costs
 * a session setup, about a second on a busy sshd, and a /proc scan reads hundreds). It reads an op (F: a file,
 * D: a directory) and a path per request and answers the content, then a line with the sentinel, the exit
 * code and the tool's error message (stdout goes straight to the channel through fd 3; only stderr is kept).
 */
function readerScript(sentinel: string): string {
  return [
    'while IFS= read -r op && IFS= read -r p; do',
    `  { e=$(if [ "$op" = D ]; then ls -1A -- "$p"; else head -c ${FILE_CAP + 1} -- "$p"; fi 2>&1 >&3); r=$?; } 3>&1`,
    `  printf '\\n%s %s %s\\n' '${sentinel}' "$r" "$e"`,
    'done',
  ].join('\n');
}

function execFs(conn: SshConnection, label: string): RemoteFs {
  const sentinel = `isolab-${randomBytes(12).toString('hex')}`;
  const marker = Buffer.from(`\n${sentinel} `);
  const waiting: { path: string; resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];
  let buf = Buffer.alloc(0);
  let dead: Error | undefined;
  const fail = (e: Error) => {
    dead ??= e;
    for (const w of waiting.splice(0)) w.reject(fsError('ECONNRESET', w.path, dead.message));
  };
  const channel = conn.channel(`LC_ALL=C exec sh -c ${shellQuote(readerScript(sentinel))}`).then((ch) => {
    ch.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const at = buf.indexOf(marker);
        const eol = at < 0 ? -1 : buf.indexOf(0x0a, at + marker.length);
        if (eol < 0) break;
        const [rc, ...msg] = buf.subarray(at + marker.length, eol).toString('utf8').split(' ');
        const body = buf.subarray(0, at);
        buf = buf.subarray(eol + 1);
        const w = waiting.shift();
        if (!w) continue;
        if (rc !== '0') w.reject(fsError(errnoOf(msg.join(' ')), w.path, msg.join(' ').trim() || `exit ${rc}`));
        else w.resolve(Buffer.from(body));
      }
      if (buf.length > 2 * FILE_CAP + 4096) fail(new Error('the reader sent more than a file can hold'));
    });
    ch.stderr.on('data', () => {});
    ch.on('close', () => fail(new Error('the reader shell ended')));
    // A write racing the shell's end (EPIPE) fails what waits, never the process.
    ch.on('error', (e: Error) => fail(e));
    return ch;
  });
  channel.catch((e: Error) => fail(e));
  const request = async (op: 'F' | 'D', path: string): Promise<Buffer> => {
    // A path is one line of the protocol: a newline in it (a hostile cgroup name) cannot be asked for.
    if (/[\n\0]/.test(path)) throw fsError('EINVAL', path, 'a newline in a path');
    const ch = await channel;
    if (dead) throw fsError('ECONNRESET', path, dead.message);
    return new Promise<Buffer>((resolve, reject) => {
      waiting.push({ path, resolve, reject });
      ch.write(`${op}\n${path}\n`);
    });
  };
  return {
    label,
    via: 'exec',
    readFile: async (p) => {
      const body = await request('F', p);
      // One byte past the cap tells a file at the cap from a longer one.
      if (body.length > FILE_CAP) throw fsError('EFBIG', p, `more than ${FILE_CAP} bytes`);
      return body.toString('utf8');
    },
    readdir: async (p) => (await request('D', p)).toString('utf8').split('\n').filter((n) => n !== ''),
    close: () => {
      void channel.then((ch) => ch.end(), () => {});
    },
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
