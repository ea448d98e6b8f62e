import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * ~/.ssh/known_hosts as OpenSSH reads it: plain and hashed (|1|salt|hash, HMAC-SHA1) host patterns,
 * [host]:port for ports other than 22, wildcards and negations, @revoked lines. @cert-authority lines are
 * skipped: isolab does not verify host certificates.
 */
export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  patterns: string;
  keyType: string;
  key: Buffer;
  line: number;
}

export type HostKeyCheck =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown'; otherTypes: string[] }
  | { status: 'changed'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry };

export const knownHostsPath = (home = os.homedir()) => path.join(home, '.ssh', 'known_hosts');

export function parseKnownHosts(text: string): KnownHostEntry[] {
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
    out.push({ marker, patterns, keyType, key, line: i + 1 });
  });
  return out;
}

/** The name known_hosts files a host under: `host` on port 22, `[host]:port` otherwise. */
export function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
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
 * Checks a presented key against the entries for `name`. A revoked key is refused; a key of a type the file
 * knows for this host that differs is "changed" (OpenSSH's REMOTE HOST IDENTIFICATION HAS CHANGED).
 */
export function checkHostKey(entries: KnownHostEntry[], names: string[], blob: Buffer): HostKeyCheck {
  const type = keyTypeOf(blob);
  const mine = entries.filter((e) => e.marker !== '@cert-authority' && names.some((n) => patternsMatch(e.patterns, n)));
  const revoked = mine.find((e) => e.marker === '@revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const same = mine.find((e) => !e.marker && e.key.equals(blob));
  if (same) return { status: 'known', entry: same };
  const changed = mine.find((e) => !e.marker && e.keyType === type);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown', otherTypes: [...new Set(mine.filter((e) => !e.marker).map((e) => e.keyType))] };
}

/** Key types the file holds for a host, so the handshake can ask for one of those first (as OpenSSH does). */
export function knownTypes(entries: KnownHostEntry[], names: string[]): string[] {
  return [...new Set(entries.filter((e) => !e.marker && names.some((n) => patternsMatch(e.patterns, n))).map((e) => e.keyType))];
}

/** A hashed known_hosts line, as HashKnownHosts=yes writes it. */
export function hashedLine(name: string, blob: Buffer, salt = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

export async function readKnownHosts(file: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Appends an accepted key (hashed), creating ~/.ssh with OpenSSH's modes when missing. */
export async function recordHostKey(file: string, name: string, blob: Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let prefix = '';
  try {
    const text = await readFile(file, 'utf8');
    if (text.length && !text.endsWith('\n')) prefix = '\n';
  } catch {
    /* a new file */
  }
  await appendFile(file, prefix + hashedLine(name, blob) + '\n', { mode: 0o600 });
}
