import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, HostKeyChangedError, HostKeyRefusedError, HostKeyUnknownError, NeedsPassphraseError } from '../../electron/lab/remote/connect';
import { fingerprint, KnownHostsError, parseKnownHosts } from '../../electron/lab/remote/knownHosts';
import { resolveHost } from '../../electron/lab/remote/spec';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

// A real OpenSSH sshd on 127.0.0.1 with its own keys and config; nothing leaves the loopback.
let sshd: SshdFixture;
const kh = () => path.join(sshd.home, '.ssh', 'known_hosts');
const hostBlob = () => Buffer.from(sshd.hostKeyLine.split(' ')[1], 'base64');

const ECDSA_ELSEWHERE = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPv5nJO4CLcfrUQ/PDhVKucp45RW6+d2iPmocA9urlScugwVdI2KprwGnb5GZAf5m+H+U6h5JJR7w9zvfZIgqLI=';

beforeAll(async () => {
  // Two host keys, as a stock sshd has: ed25519 and ecdsa.
  sshd = await startSshd({ hostKeyTypes: ['ecdsa'] });
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

  it('accept-new refuses a key of another type than the one on file, as OpenSSH does, and names the type on file', async () => {
    // The host shows ed25519 and ecdsa keys; the file holds an ecdsa key that is not this host's.
    const before = `${sshd.knownHostsName} ${ECDSA_ELSEWHERE}\n`;
    writeFileSync(kh(), before);
    const spec = await resolveHost(sshd.alias, { home: sshd.home });
    const err = await connect(spec, { home: sshd.home, acceptNew: true, agent: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyChangedError);
    expect(err.message).toMatch(/CHANGED.*on file: ecdsa-sha2-nistp256/);
    expect(readFileSync(kh(), 'utf8')).toBe(before);
    // OpenSSH's own client, StrictHostKeyChecking=accept-new, refuses it too.
    const ssh = spawnSync('ssh', ['-F', path.join(sshd.home, '.ssh', 'config'), '-o', `UserKnownHostsFile=${kh()}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', '-i', sshd.identity, sshd.alias, 'true'], { encoding: 'utf8', env: { ...process.env, HOME: sshd.home } });
    expect(ssh.status).toBe(255);
    expect(ssh.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('a host with several keys is checked against the type on file (ecdsa here, though ed25519 comes first by default)', async () => {
    const ecdsa = sshd.hostKeyLines.find((l) => l.startsWith('ecdsa-'))!;
    writeFileSync(kh(), `${sshd.knownHostsName} ${ecdsa}\n`);
    const conn = await connect(await resolveHost(sshd.alias, { home: sshd.home }), { home: sshd.home, agent: '' });
    conn.close();
    expect(readFileSync(kh(), 'utf8')).toBe(`${sshd.knownHostsName} ${ecdsa}\n`);
  });

  it('a known_hosts that cannot be written fails the connection with a clear message (EIO), and nothing crashes', async () => {
    // /proc/version reads fine and answers every write with EIO, even for root.
    const configText = `Host eio\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identity}\n  UserKnownHostsFile /proc/version\n  GlobalKnownHostsFile none\n`;
    const err = await connect(await resolveHost('eio', { home: sshd.home, configText }), { home: sshd.home, acceptNew: true, agent: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(KnownHostsError);
    expect(err.message).toMatch(/cannot record the host key of \[127\.0\.0\.1\]:\d+ in \/proc\/version: .*EIO/);
  });

  it('honours UserKnownHostsFile and HostKeyAlias: the key is filed under the alias where OpenSSH looks for it', async () => {
    writeFileSync(kh(), '');
    const custom = path.join(sshd.home, '.ssh', 'known_hosts_lab');
    const configText = `Host lab\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identity}\n  HostKeyAlias lab-gateway\n  UserKnownHostsFile ${custom}\n  GlobalKnownHostsFile none\n`;
    const config = path.join(sshd.home, '.ssh', 'config_lab');
    writeFileSync(config, configText);
    const spec = await resolveHost('lab', { home: sshd.home, configText });
    (await connect(spec, { home: sshd.home, acceptNew: true, agent: '' })).close();
    expect(readFileSync(kh(), 'utf8')).toBe('');
    expect(spawnSync('ssh-keygen', ['-F', 'lab-gateway', '-f', custom], { encoding: 'utf8' }).stdout).toContain(sshd.hostKeyLine.split(' ')[1]);
    // OpenSSH, told to accept nothing new, connects with what isolab recorded.
    const ssh = spawnSync('ssh', ['-F', config, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'HostKeyAlgorithms=ssh-ed25519', 'lab', 'echo ok'], { encoding: 'utf8', env: { ...process.env, HOME: sshd.home } });
    expect(ssh.stdout.trim(), ssh.stderr).toBe('ok');
    // And the reverse: a key OpenSSH files under the alias is known to isolab.
    (await connect(spec, { home: sshd.home, agent: '' })).close();
  });

  it('reads GlobalKnownHostsFile: a key there is known, a changed one there is refused', async () => {
    writeFileSync(kh(), '');
    const global = path.join(sshd.dir, 'ssh_known_hosts');
    const configText = `Host g\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.identity}\n  GlobalKnownHostsFile ${global}\n`;
    const spec = await resolveHost('g', { home: sshd.home, configText });
    writeFileSync(global, `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    (await connect(spec, { home: sshd.home, agent: '' })).close();
    writeFileSync(global, `${sshd.knownHostsName} ${ECDSA_ELSEWHERE}\n`);
    const err = await connect(spec, { home: sshd.home, acceptNew: true, agent: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyChangedError);
    expect(err.message).toContain(`${global}:1`);
    expect(readFileSync(kh(), 'utf8')).toBe('');
  });

  it('refuses a @revoked key, and a host only a @cert-authority vouches for, naming the option', async () => {
    writeFileSync(kh(), `@revoked ${sshd.knownHostsName} ${sshd.hostKeyLine}\n${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const spec = await resolveHost(sshd.alias, { home: sshd.home });
    const revoked = await connect(spec, { home: sshd.home, acceptNew: true, agent: '' }).catch((e) => e);
    expect(revoked).toBeInstanceOf(HostKeyRefusedError);
    expect(revoked.message).toMatch(/@revoked/);
    writeFileSync(kh(), `@cert-authority [127.0.0.1]:* ${ECDSA_ELSEWHERE}\n`);
    const ca = await connect(spec, { home: sshd.home, acceptNew: true, agent: '' }).catch((e) => e);
    expect(ca).toBeInstanceOf(HostKeyRefusedError);
    expect(ca.message).toMatch(/@cert-authority is not supported/);
    expect(readFileSync(kh(), 'utf8')).toBe(`@cert-authority [127.0.0.1]:* ${ECDSA_ELSEWHERE}\n`);
  });
});
