import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { promisify } from 'node:util';
import ssh2 from 'ssh2';

const run = promisify(execFile);

export interface HostKey {
  /** The private key in dropbear's own format, as the guest's server reads it. */
  dropbearKey: Buffer;
  /** The public key line: "ssh-ed25519 AAAA...". */
  publicLine: string;
  /** OpenSSH-style fingerprint: "SHA256:base64". */
  fingerprint: string;
}

export interface ClientKey {
  privateKey: string;
  publicLine: string;
}

/** The first of `names` found in PATH or the usual sbin folders, else undefined. */
export async function findTool(names: string[], env = process.env): Promise<string | undefined> {
  const dirs = [...(env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin', '/usr/bin', '/bin'].filter(Boolean);
  for (const name of names) {
    if (name.includes('/')) {
      if (await access(name, constants.X_OK).then(() => true, () => false)) return name;
      continue;
    }
    for (const d of dirs) {
      const p = `${d}/${name}`;
      if (await access(p, constants.X_OK).then(() => true, () => false)) return p;
    }
  }
  return undefined;
}

/** SHA256 fingerprint of a public key blob, as `ssh-keygen -l` prints it. */
export function fingerprintOf(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** The key blob of a "type base64 [comment]" line. */
export function blobOf(publicLine: string): Buffer {
  const b64 = publicLine.trim().split(/\s+/)[1];
  if (!b64) throw new Error(`not a public key line: ${publicLine}`);
  return Buffer.from(b64, 'base64');
}

/** A fresh ed25519 host key made by dropbearkey, so isolab knows the guest's fingerprint before it boots. */
export async function generateHostKey(dropbearkey: string, file: string): Promise<HostKey> {
  await run(dropbearkey, ['-t', 'ed25519', '-f', file]);
  const { stdout } = await run(dropbearkey, ['-y', '-f', file]);
  const publicLine = stdout.split('\n').find((l) => l.startsWith('ssh-ed25519 '));
  if (!publicLine) throw new Error(`dropbearkey printed no public key for ${file}`);
  const line = publicLine.split(/\s+/).slice(0, 2).join(' ');
  return { dropbearKey: await readFile(file), publicLine: line, fingerprint: fingerprintOf(blobOf(line)) };
}

/**
 * The key isolab logs in with; the guest's authorized_keys holds its public half. ssh2 1.17 strips every leading
 * zero byte of an ed25519 public key, so about 1 key in 256 comes out 31 bytes long and unusable
 * (mscdex/ssh2#1390, #1513): a key that does not parse back is thrown away and another made.
 */
export function generateClientKey(): ClientKey {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'isolab' });
    if (!readsBack(pair.private) || !readsBack(pair.public)) continue;
    return { privateKey: pair.private, publicLine: pair.public.split(/\s+/).slice(0, 2).join(' ') };
  }
  throw new Error('could not make an ed25519 key that ssh2 reads back');
}

/** Whether ssh2 can parse this key text back: false for the short keys above, and for a damaged file. */
export function readsBack(key: string): boolean {
  return key !== '' && !(ssh2.utils.parseKey(key) instanceof Error);
}
