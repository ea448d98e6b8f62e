import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * known_hosts files as OpenSSH reads them: plain and hashed (|1|salt|hash, HMAC-SHA1) host patterns,
 * [host]:port for ports other than 22, wildcards and negations, @revoked and @cert-authority lines.
 */
export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  patterns: string;
  keyType: string;
  key: Buffer;
  /** The file the line came from ('' when parsed from text), and its line number. */
  file: string;
  line: number;
}

export type HostKeyCheck =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  /** A key is on file for this host and the one presented is not it, whatever its type. */
  | { status: 'changed'; entry: KnownHostEntry; onFile: string[] }
  | { status: 'revoked'; entry: KnownHostEntry }
  /** Only a @cert-authority vouches for this host: it would present a certificate, which isolab cannot verify. */
  | { status: 'cert-authority'; entry: KnownHostEntry };

/** A known_hosts file could not be read or written: the connection stops there, with this message. */
export class KnownHostsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KnownHostsError';
  }
}

export const knownHostsPath = (home = os.homedir()) => path.join(home, '.ssh', 'known_hosts');

export function parseKnownHosts(text: string, file = ''): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (parts[0] === '@revoked' || parts[0] === '@cert-authority') marker = parts.shift() as KnownHostEntry['marker'];
    if (parts.length < 3) return;
    const [patterns, keyType, b64] = parts;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ marker, patterns, keyType, key, file, line: i + 1 });
  });
  return out;
}

/** The name known_hosts files a host under: `host` on port 22, `[host]:port` otherwise. */
export function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** With HostKeyAlias, the alias as written (no port), as OpenSSH looks it up and records it. */
export function hostKeyName(spec: { host: string; port: number; hostKeys: { alias?: string } }): string {
  return spec.hostKeys.alias ?? hostName(spec.host, spec.port);
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(name);
}

/** True when a comma-separated pattern list matches the name (a matching negation wins). */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (p.startsWith('|')) {
      if (hashedMatch(p, name)) matched = true;
    } else if (globMatch(p, name)) matched = true;
  }
  return matched;
}

/** The key type written inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's fingerprint: SHA256: then the unpadded base64 of the blob's SHA-256. */
export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/**
 * Checks a presented key against the entries for `names`, as OpenSSH's StrictHostKeyChecking=accept-new does:
 * a revoked key is refused; once any key is on file for the host, a key that is not one of them is "changed"
 * (REMOTE HOST IDENTIFICATION HAS CHANGED), even when its type differs from the ones on file.
 */
export function checkHostKey(entries: KnownHostEntry[], names: string[], blob: Buffer): HostKeyCheck {
  const type = keyTypeOf(blob);
  const mine = entries.filter((e) => names.some((n) => patternsMatch(e.patterns, n)));
  const revoked = mine.find((e) => e.marker === '@revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = mine.filter((e) => !e.marker);
  const same = plain.find((e) => e.key.equals(blob));
  if (same) return { status: 'known', entry: same };
  if (plain.length) return { status: 'changed', entry: plain.find((e) => e.keyType === type) ?? plain[0], onFile: [...new Set(plain.map((e) => e.keyType))] };
  const ca = mine.find((e) => e.marker === '@cert-authority');
  if (ca) return { status: 'cert-authority', entry: ca };
  return { status: 'unknown' };
}

/** Key types the files hold for a host, so the handshake can ask for one of those first (as OpenSSH does). */
export function knownTypes(entries: KnownHostEntry[], names: string[]): string[] {
  return [...new Set(entries.filter((e) => !e.marker && names.some((n) => patternsMatch(e.patterns, n))).map((e) => e.keyType))];
}

/** The signature algorithms that prove a key of each type: an RSA key is offered with SHA-2 first, as OpenSSH orders them. */
export function hostKeyAlgorithms(keyTypes: string[]): string[] {
  return [...new Set(keyTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])))];
}

/** A hashed known_hosts line, as HashKnownHosts=yes writes it. */
export function hashedLine(name: string, blob: Buffer, salt = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** What went wrong with a file, in words a user can act on. */
function fileProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EROFS') return 'the file system is read-only';
  if (e.code === 'ENOSPC') return 'the disk is full';
  if (e.code === 'EISDIR') return 'it is a folder, not a file';
  if (e.code === 'EIO') return 'an input/output error (EIO): the disk or the file system failed';
  return e.code ? `${e.code}: ${e.message}` : e.message;
}

export async function readKnownHosts(file: string): Promise<KnownHostEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new KnownHostsError(`cannot read the known hosts file ${file}: ${fileProblem(err)}; isolab does not connect without checking the host key`, { cause: err });
  }
  return parseKnownHosts(text, file);
}

/** Every key on file in these files, in order (user files first, then the global ones). */
export async function readAllKnownHosts(files: string[]): Promise<KnownHostEntry[]> {
  return (await Promise.all(files.map(readKnownHosts))).flat();
}

/**
 * Appends an accepted key (hashed), creating the folder with OpenSSH's modes when missing. A file that cannot
 * be written is a KnownHostsError that says why: the caller refuses the connection rather than trust a key it
 * could not record.
 */
export async function recordHostKey(file: string, name: string, blob: Buffer): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    let prefix = '';
    try {
      const text = await readFile(file, 'utf8');
      if (text.length && !text.endsWith('\n')) prefix = '\n';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await appendFile(file, prefix + hashedLine(name, blob) + '\n', { mode: 0o600 });
  } catch (err) {
    throw new KnownHostsError(`cannot record the host key of ${name} in ${file}: ${fileProblem(err)}. isolab did not connect; fix the file (or set UserKnownHostsFile in ~/.ssh/config) and accept the key again`, { cause: err });
  }
}
