import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, HostKeyChangedError, HostKeyUnknownError, NeedsPassphraseError } from '../../electron/lab/remote/connect';
import { fingerprint, parseKnownHosts } from '../../electron/lab/remote/knownHosts';
import { resolveHost } from '../../electron/lab/remote/spec';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

// A real OpenSSH sshd on 127.0.0.1 with its own keys and config; nothing leaves the loopback.
let sshd: SshdFixture;
const kh = () => path.join(sshd.home, '.ssh', 'known_hosts');
const hostBlob = () => Buffer.from(sshd.hostKeyLine.split(' ')[1], 'base64');

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
});

describe('ssh connection to a loopback sshd', () => {
  it('refuses an unknown host key and names its SHA256 fingerprint', async () => {
    writeFileSync(kh(), '');
    const spec = await resolveHost(sshd.alias, { home: sshd.home });
    const err = await connect(spec, { home: sshd.home, agent: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyUnknownError);
    expect(err.fingerprint).toBe(fingerprint(hostBlob()));
    expect(readFileSync(kh(), 'utf8')).toBe('');
  });

  it('accept-new records the key hashed, then connects by alias (HostName, Port, User, IdentityFile from ~/.ssh/config)', async () => {
    writeFileSync(kh(), '');
    const spec = await resolveHost(sshd.alias, { home: sshd.home });
    expect(spec.fromConfig).toBe(true);
    expect(spec.port).toBe(sshd.port);
    const conn = await connect(spec, { home: sshd.home, acceptNew: true, agent: '' });
    try {
      const r = await conn.exec('echo isolab-$((20+22))');
      expect(r.stdout.trim()).toBe('isolab-42');
      expect(r.code).toBe(0);
      expect(conn.connectMs).toBeGreaterThan(0);
    } finally {
      conn.close();
    }
    const entries = parseKnownHosts(readFileSync(kh(), 'utf8'));
    expect(entries).toHaveLength(1);
    expect(entries[0].patterns.startsWith('|1|')).toBe(true);
    expect(entries[0].key.equals(hostBlob())).toBe(true);
    // Known now: a second connection needs no acceptance.
    const again = await connect(spec, { home: sshd.home, agent: '' });
    again.close();
  });

  it('refuses a changed host key, even with accept-new, and leaves known_hosts alone', async () => {
    const other = parseKnownHosts('x ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl')[0];
    const before = `${sshd.knownHostsName} ssh-ed25519 ${other.key.toString('base64')}\n`;
    writeFileSync(kh(), before);
    const spec = await resolveHost(`${sshd.user}@127.0.0.1:${sshd.port}`, { home: sshd.home, identityFile: sshd.identity });
    const err = await connect(spec, { home: sshd.home, acceptNew: true, agent: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyChangedError);
    expect(err.message).toMatch(/CHANGED/);
    expect(err.message).toContain(fingerprint(hostBlob()));
    expect(readFileSync(kh(), 'utf8')).toBe(before);
  });

  it('asks for the passphrase of an encrypted key and never without one', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const spec = await resolveHost(`${sshd.user}@127.0.0.1:${sshd.port}`, { home: sshd.home, identityFile: sshd.encryptedIdentity });
    const err = await connect(spec, { home: sshd.home, agent: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(NeedsPassphraseError);
    const asked: string[] = [];
    const conn = await connect(spec, { home: sshd.home, agent: '', passphrase: async (f) => (asked.push(f), sshd.passphrase) });
    conn.close();
    expect(asked).toEqual([sshd.encryptedIdentity]);
  });

  it('ProxyJump through a real sshd: the second hop rides a direct-tcpip channel of the first', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const configText = readFileSync(path.join(sshd.home, '.ssh', 'config'), 'utf8') + `Host via-jump\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ~/.ssh/isolab_test_key\n  ProxyJump ${sshd.alias}\n`;
    const spec = await resolveHost('via-jump', { home: sshd.home, configText });
    expect(spec.jumps).toHaveLength(1);
    const conn = await connect(spec, { home: sshd.home, agent: '' });
    try {
      // Through the jump, the server sees the connection come from its own loopback, over a forwarded channel.
      const r = await conn.exec('echo "$SSH_CONNECTION"');
      expect(r.stdout.trim()).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${sshd.port}$`));
    } finally {
      conn.close();
    }
  });
});
