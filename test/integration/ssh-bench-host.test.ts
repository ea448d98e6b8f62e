import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api';
import { Run } from '../../shared/run';
import { pack } from 'tar-stream';
import { connect } from '../../electron/lab/remote/connect';
import { remoteEngine } from '../../electron/lab/remote/docker';
import { HostService } from '../../electron/lab/remote/service';
import { resolveHost } from '../../electron/lab/remote/spec';
import { RunStore } from '../../electron/lab/store';
import { localMachineId } from '../../electron/lab/machine';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

// `isolab bench host` against a real OpenSSH sshd on 127.0.0.1. This machine has no DMI tables (a container),
// so IMDS is never asked; the injected client would throw if it were.
let sshd: SshdFixture;

/** Established TCP connections whose far end is 127.0.0.1:port (the client side), from /proc/net/tcp. */
function clientConnections(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[2] === `0100007F:${hex}` && f[3] === '01').length;
}
let root: string;
const events: LabEvent[] = [];
let service: HostService;
const imdsCalls: string[] = [];

beforeAll(async () => {
  sshd = await startSshd({ alias: 'lab-vm' });
  root = mkdtempSync(path.join(os.tmpdir(), 'isolab-data-'));
  service = new HostService({
    store: new RunStore(path.join(root, 'runs')),
    root,
    home: sshd.home,
    emit: (e) => events.push(e),
    imds: async () => {
      imdsCalls.push('imds');
      throw new Error('IMDS must not be asked in tests');
    },
  });
});
afterAll(async () => {
  await sshd?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('bench host over a loopback sshd', () => {
  it('by alias only (HostName, Port, User, IdentityFile from ~/.ssh/config): facts, virtualization, footprint, latency', async () => {
    writeFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), '');
    const [run] = await service.benchHost({ target: 'lab-vm', acceptNew: true, iterations: 5 });
    expect(run.status, run.error).toBe('complete');
    expect(Run.parse(run)).toBeTruthy();
    expect(run.kind).toBe('bench:host');
    expect(run.model).toBe('host:lab-vm');
    expect(run.environment.host.kernel).toBe(os.release());
    // The loopback host is this machine: its id, read over SSH and hashed there, is this machine's own.
    const machineId = await localMachineId();
    expect(run.environment.host.machineId).toBe(machineId);
    if (machineId) expect(JSON.stringify(run)).not.toMatch(new RegExp(readFileSync('/etc/machine-id', 'utf8').trim() || '^$'));
    expect(run.environment.host.cpus).toBe(os.cpus().length);
    expect(run.environment.host.memoryBytes).toBeGreaterThan(0);
    const remote = run.environment.remote as { virtualization: { detectVirt?: string }; resolved: string; boot: { bootId?: string } };
    expect(remote.resolved).toBe(`${sshd.user}@127.0.0.1:${sshd.port}`);
    expect(remote.virtualization.detectVirt).toBe(spawnSync('systemd-detect-virt', { encoding: 'utf8' }).stdout.trim());
    expect(remote.boot.bootId).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(run.footprint?.memory?.used).toBeGreaterThan(0);
    expect((run.footprint as { os: { processes: number } }).os.processes).toBeGreaterThan(1);
    expect(run.summary.connect.n).toBe(5);
    expect(run.summary.connect.median).toBeGreaterThan(0);
    expect(run.summary.exec.median).toBeGreaterThan(0);
    expect(imdsCalls).toEqual([]);
    expect(JSON.stringify(run)).not.toContain(sshd.passphrase);
    expect(events.some((e) => e.type === 'host-progress' && e.step === 'footprint')).toBe(true);
    expect((await service.listHostRuns()).map((r) => r.id)).toContain(run.id);
  });

  it('runs the container suite on the host engine over the same SSH connection', async () => {
    writeFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const [, cRun] = await service.benchHost({ target: 'lab-vm', containers: true, iterations: 2, containerIterations: 5 });
    expect(cRun.status, cRun.error).toBe('complete');
    expect(cRun.model).toMatch(/^host:lab-vm\/container:/);
    expect(cRun.environment.engine?.endpoint).toBe(`ssh://${sshd.user}@127.0.0.1:${sshd.port}`);
    expect(cRun.summary.total.n).toBe(5);
    expect(cRun.summary.started.median).toBeGreaterThan(0);
    expect(cRun.summary.firstOutput.median).toBeGreaterThan(0);
    console.log(`remote containers over ssh: total median ${cRun.summary.total.median.toFixed(1)} ms`, Object.fromEntries(cRun.phaseOrder.map((p) => [p, +cRun.summary[p].median.toFixed(1)])));
  });

  it('a fleet: one host failing does not fail the others', async () => {
    writeFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const res = await service.fleet(['lab-vm', `${sshd.user}@127.0.0.1:1`, 'lab-vm'], 2, { iterations: 1 });
    expect(res.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((res[1] as PromiseRejectedResult).reason?.message)).toMatch(/connection refused/);
  });

  it('testHost shows an unknown key; acceptHostKey records only the fingerprint that was shown', async () => {
    writeFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), '');
    const first = await service.testHost({ target: 'lab-vm' });
    expect(first.status).toBe('unknown-key');
    expect(first.fingerprint).toMatch(/^SHA256:/);
    await expect(service.acceptHostKey({ target: 'lab-vm', fingerprint: 'SHA256:' + 'A'.repeat(43) })).rejects.toThrow(/is not the key/);
    expect(readFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), 'utf8')).toBe('');
    expect(await service.acceptHostKey({ target: 'lab-vm', fingerprint: first.fingerprint! })).toBe(true);
    const second = await service.testHost({ target: 'lab-vm' });
    expect(second.status).toBe('ok');
    expect(second.connectMs).toBeGreaterThan(0);
  });

  it('an encrypted key: needs-passphrase, then the passphrase works and is not remembered without a keychain', async () => {
    writeFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    await service.saveHost({ name: 'enc', target: `${sshd.user}@127.0.0.1`, port: sshd.port, identityFile: sshd.encryptedIdentity });
    expect((await service.listHosts()).map((h) => `${h.name}:${h.source}`)).toEqual(['enc:saved', 'lab-vm:config']);
    const a = await service.testHost({ target: 'enc' });
    expect(a).toMatchObject({ status: 'needs-passphrase', identityFile: sshd.encryptedIdentity });
    expect(await service.testHost({ target: 'enc', passphrase: 'wrong' })).toMatchObject({ status: 'auth-failed', message: expect.stringMatching(/wrong passphrase/) });
    expect(await service.testHost({ target: 'enc', passphrase: sshd.passphrase, rememberPassphrase: true })).toMatchObject({ status: 'ok', message: expect.stringMatching(/cannot be remembered/) });
    expect(await service.testHost({ target: 'enc' })).toMatchObject({ status: 'needs-passphrase' });
    expect(await service.removeHost('enc')).toBe(true);
  });

  it('builds an image on the remote engine without a registry, context uploaded over the one SSH connection', async () => {
    writeFileSync(path.join(sshd.home, '.ssh', 'known_hosts'), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const conn = await connect(await resolveHost('lab-vm', { home: sshd.home }), { home: sshd.home, agent: '' });
    const engine = await remoteEngine(conn);
    const tag = `isolab-test/ssh-build:${process.pid}`;
    try {
      const tar = pack();
      tar.entry({ name: 'Dockerfile' }, 'FROM scratch\nCOPY payload /payload\n');
      tar.entry({ name: 'payload' }, Buffer.alloc(256 * 1024, 7));
      tar.finalize();
      const stream = await engine.docker.buildImage(tar as unknown as NodeJS.ReadableStream, { t: tag, labels: { 'isolab.managed': 'true' }, rm: true });
      await new Promise<void>((resolve, reject) => engine.docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err || out.find((o) => o.error) ? reject(err ?? new Error(out.find((o) => o.error)!.error)) : resolve())));
      const info = await engine.docker.getImage(tag).inspect();
      expect(info.Config?.Labels?.['isolab.managed']).toBe('true');
      expect(info.Size).toBeGreaterThanOrEqual(256 * 1024);
      // Every request went over the one SSH connection: one client-side TCP connection to sshd, no more.
      expect(clientConnections(sshd.port)).toBe(1);
      expect(engine.agent.maxSockets).toBe(4);
    } finally {
      await engine.docker.getImage(tag).remove({ force: true }).catch(() => undefined);
      engine.agent.destroy();
      conn.close();
    }
  });

  it('a host whose Docker engine does not answer gives a failed container run that says why', async () => {
    const noEngine = await startSshd({ alias: 'no-engine', extraConfig: ['SetEnv DOCKER_HOST=unix:///nonexistent/docker.sock'] });
    try {
      writeFileSync(path.join(noEngine.home, '.ssh', 'known_hosts'), `${noEngine.knownHostsName} ${noEngine.hostKeyLine}\n`);
      const svc = new HostService({ store: new RunStore(path.join(root, 'runs')), root, home: noEngine.home, emit: () => {}, imds: async () => '{}' });
      const [hostRun, cRun] = await svc.benchHost({ target: 'no-engine', containers: true, iterations: 1 });
      expect(hostRun.status).toBe('complete');
      expect(cRun.status).toBe('failed');
      expect(cRun.error).toMatch(/no Docker engine answered on .*127\.0\.0\.1.*dial-stdio`: .*nonexistent\/docker\.sock.*docker info/);
      // Its environment is the host's (reached, probed), not this machine's stand-in.
      expect(cRun.environment.remote).toMatchObject({ target: 'no-engine', reached: true, resolved: `${noEngine.user}@127.0.0.1:${noEngine.port}` });
    } finally {
      await noEngine.stop();
    }
  });

  it('an unreachable host: the failed run carries none of this machine\'s facts as the host\'s', async () => {
    const store = new RunStore(path.join(root, 'runs'));
    const svc = new HostService({ store, root, home: sshd.home, emit: () => {}, imds: async () => '{}' });
    // Port 1 on the loopback: nothing listens there.
    const [run] = await svc.benchHost({ target: `${sshd.user}@127.0.0.1:1`, iterations: 1 });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/connection refused/);
    for (const saved of [run, await store.get(run.id)]) {
      expect(saved.environment.remote).toMatchObject({ reached: false, resolved: `${sshd.user}@127.0.0.1:1` });
      expect(saved.environment.host.kernel).not.toBe(os.release());
      expect(saved.environment.host.hostname).not.toBe(os.hostname());
      expect(saved.environment.host.cpus).toBe(0);
      expect(saved.environment.host.memoryBytes).toBe(0);
    }
  });
});
