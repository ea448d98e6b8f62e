import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Client, ConnectConfig } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { closesChannelsOnChildExit, connect, HostKeyChangedError, type SshConnection } from '../../../electron/lab/remote/connect';
import { KnownHostsError } from '../../../electron/lab/remote/knownHosts';
import { mapLimit } from '../../../electron/lab/remote/fleet';
import { FORCE_REBOOT_COMMAND, INIT_COMMAND, REBOOT_COMMAND, rebootToSsh } from '../../../electron/lab/remote/reboot';
import { BOOT_ID_COMMAND } from '../../../electron/lab/remote/probes';
import { resolveHost } from '../../../electron/lab/remote/spec';

// Pure logic with fakes: ProxyJump chaining, the reboot loop and the fleet limiter. The real protocol is
// tested against OpenSSH in test/integration/ssh-*.test.ts.
const KEY = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl', 'base64');
const OTHER = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIHWFYdMbNQMNz0fMMoyQdBBVo8/vNo4OqX+ZeLGVxdn2', 'base64');
const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-fake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class FakeClient extends EventEmitter {
  config?: ConnectConfig;
  forwards: [string, number][] = [];
  ended = false;
  constructor(private readonly hostKey: Buffer, readonly log: FakeClient[]) {
    super();
    log.push(this);
  }
  connect(config: ConnectConfig) {
    this.config = config;
    (config.hostVerifier as (k: Buffer, cb: (ok: boolean) => void) => void)(this.hostKey, (ok) => {
      setImmediate(() => (ok ? this.emit('ready') : this.emit('error', new Error('Host denied (verification failed)'))));
    });
    return this;
  }
  forwardOut(_src: string, _sp: number, host: string, port: number, cb: (err: Error | undefined, s: PassThrough) => void) {
    this.forwards.push([host, port]);
    cb(undefined, new PassThrough());
    return this;
  }
  end() {
    this.ended = true;
    return this;
  }
}

describe('ProxyJump (fakes)', () => {
  const config = `Host target\n  HostName inner.example.org\n  User app\n  ProxyJump edge,ops@mid.example.org:2022\nHost edge\n  HostName edge.example.org\n  User jump\n`;

  it('connects hop by hop, each through the previous one, checking every host key', async () => {
    const kh = path.join(dir, 'kh1');
    writeFileSync(kh, `edge.example.org ssh-ed25519 ${KEY.toString('base64')}\n[mid.example.org]:2022 ssh-ed25519 ${KEY.toString('base64')}\ninner.example.org ssh-ed25519 ${KEY.toString('base64')}\n`);
    const spec = await resolveHost('target', { configText: config, home: dir, localUser: 'me' });
    const made: FakeClient[] = [];
    const conn = await connect(spec, { home: dir, knownHostsFile: kh, agent: '', clientFactory: () => new FakeClient(KEY, made) as unknown as Client });
    expect(made.map((c) => `${c.config!.username}@${c.config!.host}:${c.config!.port}`)).toEqual(['jump@edge.example.org:22', 'ops@mid.example.org:2022', 'app@inner.example.org:22']);
    expect(made[0].config!.sock).toBeUndefined();
    expect(made[1].config!.sock).toBeInstanceOf(PassThrough);
    expect(made[0].forwards).toEqual([['mid.example.org', 2022]]);
    expect(made[1].forwards).toEqual([['inner.example.org', 22]]);
    conn.close();
    expect(made.every((c) => c.ended)).toBe(true);
  });

  it('a changed key on a jump host stops the chain there', async () => {
    const kh = path.join(dir, 'kh2');
    writeFileSync(kh, `edge.example.org ssh-ed25519 ${OTHER.toString('base64')}\n`);
    const spec = await resolveHost('target', { configText: config, home: dir, localUser: 'me' });
    const made: FakeClient[] = [];
    const err = await connect(spec, { home: dir, knownHostsFile: kh, agent: '', acceptNew: true, clientFactory: () => new FakeClient(KEY, made) as unknown as Client }).catch((e) => e);
    expect(err).toBeInstanceOf(HostKeyChangedError);
    expect(err.host).toBe('edge.example.org');
    expect(made).toHaveLength(1);
  });
});

describe('host key checks (fakes)', () => {
  const ECDSA = Buffer.from('AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBPv5nJO4CLcfrUQ/PDhVKucp45RW6+d2iPmocA9urlScugwVdI2KprwGnb5GZAf5m+H+U6h5JJR7w9zvfZIgqLI=', 'base64');

  it('a known_hosts that cannot be written fails the connection with a clear error (EIO), not the process', async () => {
    const spec = await resolveHost('u@vm.example.org', { configText: '', home: dir, localUser: 'me' });
    const made: FakeClient[] = [];
    // /proc/version reads as text with no key for the host and answers every write with EIO.
    const err = await connect(spec, { home: dir, knownHostsFile: '/proc/version', agent: '', confirmHostKey: async () => true, clientFactory: () => new FakeClient(KEY, made) as unknown as Client }).catch((e) => e);
    expect(err).toBeInstanceOf(KnownHostsError);
    expect(err.message).toMatch(/cannot record the host key of vm\.example\.org in \/proc\/version: .*EIO.*did not connect/);
  });

  it('asks the server for the key type on file first, as a whole list (ssh2 ignores a prepend of a default)', async () => {
    const kh = path.join(dir, 'kh-order');
    writeFileSync(kh, `vm.example.org ecdsa-sha2-nistp256 ${ECDSA.toString('base64')}\n`);
    const spec = await resolveHost('u@vm.example.org', { configText: '', home: dir, localUser: 'me' });
    const made: FakeClient[] = [];
    const conn = await connect(spec, { home: dir, knownHostsFile: kh, agent: '', clientFactory: () => new FakeClient(ECDSA, made) as unknown as Client });
    conn.close();
    const algos = made[0].config!.algorithms!.serverHostKey as string[];
    expect(algos[0]).toBe('ecdsa-sha2-nistp256');
    expect(algos).toContain('ssh-ed25519');
    expect(new Set(algos).size).toBe(algos.length);
  });
});

describe('exec refusals (fakes)', () => {
  /** A client whose exec the server refuses `refusals` times (ssh2's words for each), then runs; `_remoteVer` as ssh2 keeps it. */
  class RefusingClient extends FakeClient {
    asked = 0;
    calls: string[] = [];
    constructor(
      private readonly refusals: string[],
      readonly _remoteVer = 'OpenSSH_9.2p1',
    ) {
      super(KEY, []);
    }
    exec(cmd: string, cb: (err: Error | undefined, s?: unknown) => void) {
      this.calls.push(`ask ${cmd}`);
      const refusal = this.refusals[this.asked++];
      if (refusal) return setImmediate(() => cb(new Error(refusal)));
      const stream = Object.assign(new PassThrough(), { stderr: new PassThrough(), close() {} });
      setImmediate(() => cb(undefined, stream));
      // The server's answer comes later, as packets do.
      setTimeout(() => {
        this.calls.push(`done ${cmd}`);
        stream.emit('exit', 0);
        stream.end('ok\n');
      }, 5);
    }
  }
  const open = async (client: RefusingClient) => {
    const kh = path.join(dir, 'kh-exec');
    writeFileSync(kh, `vm.example.org ssh-ed25519 ${KEY.toString('base64')}\n`);
    const spec = await resolveHost('u@vm.example.org', { configText: '', home: dir, localUser: 'me' });
    return connect(spec, { home: dir, knownHostsFile: kh, agent: '', clientFactory: () => client as unknown as Client });
  };

  it('asks again for an exec the server refused before running it (a loaded guest could not fork), then runs it', async () => {
    const client = new RefusingClient(['Unable to exec', '(SSH) Channel open failure: open failed']);
    const r = await (await open(client)).exec('true');
    expect(client.asked).toBe(3);
    expect(r).toMatchObject({ stdout: 'ok\n', code: 0 });
  });

  it('gives up after a few refusals, and never retries a lost connection', async () => {
    const refused = new RefusingClient(Array(10).fill('Unable to exec'));
    await expect((await open(refused)).exec('true')).rejects.toThrow(/could not run a command: Unable to exec/);
    expect(refused.asked).toBe(4);
    const lost = new RefusingClient(['Not connected']);
    await expect((await open(lost)).exec('true')).rejects.toThrow(/Not connected/);
    expect(lost.asked).toBe(1);
  });

  it('on a dropbear with the channel race, sets up one channel at a time, each once the previous process is gone', async () => {
    const racy = new RefusingClient([], 'dropbear_2022.83');
    const conn = await open(racy);
    expect(conn.oneChannelAtATime).toBe(true);
    await Promise.all([conn.exec('a'), conn.exec('b'), conn.exec('c')]);
    expect(racy.calls).toEqual(['ask a', 'done a', 'ask b', 'done b', 'ask c', 'done c']);
    // OpenSSH: all at once.
    const openssh = new RefusingClient([]);
    const direct = await open(openssh);
    await Promise.all([direct.exec('a'), direct.exec('b')]);
    expect(openssh.calls.slice(0, 2)).toEqual(['ask a', 'ask b']);
  });

  it('knows which dropbear releases have the race (2022.82 to 2024.85)', () => {
    for (const v of ['dropbear_2022.82', 'dropbear_2022.83', 'dropbear_2024.85', 'dropbear']) expect(closesChannelsOnChildExit(v), v).toBe(true);
    for (const v of ['dropbear_2020.81', 'dropbear_2024.86', 'dropbear_2025.88', 'OpenSSH_9.2p1', undefined]) expect(closesChannelsOnChildExit(v), v).toBe(false);
  });
});

/** A fake connection whose boot id and reboot behaviour a test sets. */
function fakeConn(bootId: () => string, log: string[], rebootCode: number | null = null, init = 'systemd'): SshConnection {
  return {
    spec: { name: 'h', host: 'h', port: 22, user: 'u', identityFiles: [], jumps: [], fromConfig: false, hostKeys: { userFiles: [], globalFiles: [] } },
    connectMs: 1,
    async exec(cmd: string) {
      log.push(cmd);
      if (cmd === BOOT_ID_COMMAND) return { stdout: bootId() + '\n', stderr: '', code: 0, ms: 1 };
      if (cmd === REBOOT_COMMAND) return { stdout: '', stderr: rebootCode ? 'sudo: a password is required' : '', code: rebootCode, ms: 1 };
      if (cmd === INIT_COMMAND) return { stdout: init + '\n', stderr: '', code: 0, ms: 1 };
      if (cmd === FORCE_REBOOT_COMMAND) return { stdout: '', stderr: '', code: null, ms: 1 };
      return { stdout: '', stderr: '', code: 127, ms: 1 };
    },
    close() {
      log.push('close');
    },
  } as unknown as SshConnection;
}

describe('reboot-to-SSH (fakes)', () => {
  it('waits through refused connections and the old boot, and times to the first exec on the new boot id', async () => {
    let clock = 0;
    const log: string[] = [];
    let attempt = 0;
    const r = await rebootToSsh(fakeConn(() => 'old', log), {
      now: () => clock,
      sleep: async (ms) => void (clock += ms),
      intervalMs: 1000,
      reconnect: async () => {
        attempt++;
        if (attempt === 1) return fakeConn(() => 'old', log); // sshd not yet stopped
        if (attempt < 4) throw new Error('connection refused');
        return fakeConn(() => 'new', log);
      },
    });
    expect(r).toMatchObject({ bootIdBefore: 'old', bootIdAfter: 'new', attempts: 4, rebootToSshMs: 3000 });
    expect(log.filter((l) => l === REBOOT_COMMAND)).toHaveLength(1);
  });

  it('forces a reboot only when a non-systemd init ignored it past the grace time, and times from the forced command', async () => {
    let clock = 0;
    const log: string[] = [];
    let rebooted = false;
    const conn = () => fakeConn(() => (rebooted ? 'new' : 'old'), log, null, 'init');
    const r = await rebootToSsh(conn(), {
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
        if (log.includes(FORCE_REBOOT_COMMAND) && clock > 40_000) rebooted = true;
      },
      intervalMs: 1000,
      graceMs: 30_000,
      reconnect: async () => conn(),
    });
    expect(log.filter((l) => l === FORCE_REBOOT_COMMAND)).toHaveLength(1);
    expect(r.forced).toBe(true);
    expect(r.rebootToSshMs).toBeLessThan(15_000);
  });

  it('never forces systemd, which always acts on a reboot', async () => {
    let clock = 0;
    const log: string[] = [];
    await expect(
      rebootToSsh(fakeConn(() => 'old', log), { now: () => clock, sleep: async (ms) => void (clock += ms), timeoutMs: 120_000, graceMs: 1000, reconnect: async () => fakeConn(() => 'old', log) }),
    ).rejects.toThrow(/same boot id\): it did not reboot/);
    expect(log).not.toContain(FORCE_REBOOT_COMMAND);
  });

  it('a refused reboot (no root, no passwordless sudo) fails at once with a way out', async () => {
    await expect(rebootToSsh(fakeConn(() => 'old', [], 1), { reconnect: async () => fakeConn(() => 'x', []) })).rejects.toThrow(/passwordless sudo/);
  });

  it('gives up after the time limit when the host never comes back', async () => {
    let clock = 0;
    await expect(
      rebootToSsh(fakeConn(() => 'old', []), {
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
        timeoutMs: 5000,
        reconnect: async () => {
          throw new Error('refused');
        },
      }),
    ).rejects.toThrow(/did not answer over SSH within 5 s/);
  });
});

describe('fleet limiter', () => {
  it('never runs more than the limit at once, and one failure fails no other', async () => {
    let running = 0;
    let peak = 0;
    const res = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5 + (n % 3)));
      running--;
      if (n === 4) throw new Error('host 4 is down');
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(res.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((res[6] as PromiseFulfilledResult<number>).value).toBe(70);
  });
  it('refuses a limit below 1', async () => {
    await expect(mapLimit([1], 0, async (x) => x)).rejects.toThrow(/at least 1/);
  });
});
