import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprint, hashedLine, hostName, keyTypeOf, parseKnownHosts, patternsMatch, recordHostKey } from '../../../electron/lab/remote/knownHosts';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIHWFYdMbNQMNz0fMMoyQdBBVo8/vNo4OqX+ZeLGVxdn2';
const blob = Buffer.from(KEY, 'base64');
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

  it('refuses a @revoked key and skips @cert-authority lines', () => {
    const entries = parseKnownHosts(`@revoked * ssh-ed25519 ${KEY}\n@cert-authority * ssh-ed25519 ${OTHER}\n`);
    expect(checkHostKey(entries, ['any'], blob).status).toBe('revoked');
    expect(checkHostKey(entries, ['any'], Buffer.from(OTHER, 'base64')).status).toBe('unknown');
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
