import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprint, hashedLine, hostKeyAlgorithms, hostName, KnownHostsError, keyTypeOf, parseKnownHosts, patternsMatch, readKnownHosts, recordHostKey } from '../../../electron/lab/remote/knownHosts';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIHWFYdMbNQMNz0fMMoyQdBBVo8/vNo4OqX+ZeLGVxdn2';
const blob = Buffer.from(KEY, 'base64');
// An ecdsa-sha2-nistp256 key (ssh-keygen -t ecdsa): another type than the ed25519 ones above.
const ECDSA = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPv5nJO4CLcfrUQ/PDhVKucp45RW6+d2iPmocA9urlScugwVdI2KprwGnb5GZAf5m+H+U6h5JJR7w9zvfZIgqLI=';
// Written by OpenSSH's `ssh-keygen -H` for [127.0.0.1]:2222 and vm.example.org.
const HASHED = `|1|mT1Y/mYKp7ug1NlEBzpazWc8mPY=|mxr9o0qIjImSciWYbprWiAmYB/I= ssh-ed25519 ${KEY}
|1|Rd9lVLyTgBLhB+tW0Yildkwtrko=|T3wNxHlHuNnbmB8UxulygsevNag= ssh-ed25519 ${KEY}
`;

describe('known_hosts', () => {
  it('matches hashed entries written by ssh-keygen -H, and nothing else', () => {
    const entries = parseKnownHosts(HASHED);
    expect(checkHostKey(entries, [hostName('127.0.0.1', 2222)], blob).status).toBe('known');
    expect(checkHostKey(entries, [hostName('vm.example.org', 22)], blob).status).toBe('known');
    expect(checkHostKey(entries, [hostName('127.0.0.1', 2223)], blob).status).toBe('unknown');
    expect(checkHostKey(entries, ['vm.example.com'], blob).status).toBe('unknown');
  });

  it('names [host]:port for ports other than 22', () => {
    expect(hostName('h', 22)).toBe('h');
    expect(hostName('h', 2222)).toBe('[h]:2222');
  });

  it('says "changed" for a different key of the same type, never "known"', () => {
    const entries = parseKnownHosts(HASHED);
    const r = checkHostKey(entries, ['[127.0.0.1]:2222'], Buffer.from(OTHER, 'base64'));
    expect(r.status).toBe('changed');
  });

  it('plain patterns: lists, wildcards, negation, brackets taken literally', () => {
    expect(patternsMatch('a.example.org,b.example.org', 'b.example.org')).toBe(true);
    expect(patternsMatch('*.example.org', 'x.example.org')).toBe(true);
    expect(patternsMatch('*.example.org,!bad.example.org', 'bad.example.org')).toBe(false);
    expect(patternsMatch('[127.0.0.1]:2222', '[127.0.0.1]:2222')).toBe(true);
    expect(patternsMatch('[127.0.0.1]:2222', '1')).toBe(false);
  });

  it('a key of another type than the ones on file is "changed", as OpenSSH accept-new says, naming the types on file', () => {
    // The hashed entries file an ed25519 key for [127.0.0.1]:2222; the host now shows an ecdsa key.
    const entries = parseKnownHosts(HASHED, '/k/known_hosts');
    const r = checkHostKey(entries, ['[127.0.0.1]:2222'], Buffer.from(ECDSA, 'base64'));
    expect(r).toMatchObject({ status: 'changed', onFile: ['ssh-ed25519'], entry: { file: '/k/known_hosts', line: 1 } });
    // Several types on file, none the presented key: all of them are named.
    const two = parseKnownHosts(`h ssh-ed25519 ${KEY}\nh ecdsa-sha2-nistp256 ${ECDSA}\n`);
    expect(checkHostKey(two, ['h'], Buffer.from(OTHER, 'base64'))).toMatchObject({ status: 'changed', onFile: ['ssh-ed25519', 'ecdsa-sha2-nistp256'] });
    // Either key on file is known; another host stays unknown.
    expect(checkHostKey(two, ['h'], Buffer.from(ECDSA, 'base64')).status).toBe('known');
    expect(checkHostKey(two, ['g'], blob).status).toBe('unknown');
  });

  it('refuses a @revoked key even when it is also on file, and names a @cert-authority host', () => {
    const entries = parseKnownHosts(`@revoked * ssh-ed25519 ${KEY}\n*.example.org ssh-ed25519 ${KEY}\n@cert-authority *.corp ssh-ed25519 ${OTHER}\n`);
    expect(checkHostKey(entries, ['any'], blob).status).toBe('revoked');
    expect(checkHostKey(entries, ['a.example.org'], blob).status).toBe('revoked');
    expect(checkHostKey(entries, ['vm.corp'], Buffer.from(OTHER, 'base64'))).toMatchObject({ status: 'cert-authority', entry: { line: 3 } });
    expect(checkHostKey(entries, ['other'], Buffer.from(OTHER, 'base64')).status).toBe('unknown');
  });

  it('offers an RSA key with SHA-2 signatures first', () => {
    expect(hostKeyAlgorithms(['ecdsa-sha2-nistp256', 'ssh-rsa'])).toEqual(['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });

  it('a known_hosts that cannot be written or read is a KnownHostsError that says why, never an unhandled failure', async () => {
    // /proc/version reads fine and answers every write with EIO, even for root.
    const err = await recordHostKey('/proc/version', '[127.0.0.1]:2222', blob).catch((e) => e);
    expect(err).toBeInstanceOf(KnownHostsError);
    expect(err.message).toMatch(/cannot record the host key of \[127\.0\.0\.1\]:2222 in \/proc\/version: .*EIO/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-kh-'));
    try {
      await expect(readKnownHosts(dir)).rejects.toThrow(/cannot read the known hosts file .*: it is a folder/);
      expect(await readKnownHosts(path.join(dir, 'missing'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fingerprints like ssh-keygen -l -E sha256', () => {
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
    expect(fingerprint(blob)).toBe('SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU');
  });

  it('records a hashed line that OpenSSH itself finds (ssh-keygen -F)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-kh-'));
    try {
      const file = path.join(dir, 'known_hosts');
      await recordHostKey(file, '[127.0.0.1]:2222', blob);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith('|1|')).toBe(true);
      expect(text).not.toContain('127.0.0.1');
      const found = spawnSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
      expect(found.stdout).toContain(KEY);
      expect(checkHostKey(parseKnownHosts(text), ['[127.0.0.1]:2222'], blob).status).toBe('known');
      expect(hashedLine('x', blob)).not.toBe(hashedLine('x', blob)); // a fresh salt each time
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
