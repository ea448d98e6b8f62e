import { chmodSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWorkload, Workload } from '../../shared/plan';
import { connectDocker, type EngineConnection } from '../../electron/lab/docker/engine';
import { localFs, type HostFs } from '../../electron/lab/footprint/host-fs';
import { measureFootprint } from '../../electron/lab/footprint/measure';
import { hostReading } from '../../electron/lab/footprint/others';
import { cgroupOf, descendants, parentPid, pssRead, readCgroupMemory } from '../../electron/lab/footprint/proc';
import { ensureProbeImage } from '../../electron/lab/images/probe';
import { LABEL_RUN } from '../../electron/lab/labels';
import { connect, type SshConnection } from '../../electron/lab/remote/connect';
import { sftpFs, type RemoteFs } from '../../electron/lab/remote/sftp-fs';
import { resolveHost } from '../../electron/lab/remote/spec';
import type { Instance } from '../../electron/lab/workloads/instance';
import { ContainerDriver } from '../../electron/lab/workloads/container-driver';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

// The footprint readers through the loopback sshd, which is this same machine: what they read over SSH must be
// what node:fs reads here. One sshd offers no SFTP subsystem (the reader falls back to head/ls over exec), the
// other offers internal-sftp, also to `nobody`, who has no root: the figures that need root are skipped with notes.
const never = new AbortController().signal;
const runId = `footprint-remote-fs-${process.pid}`;
const MiB = 1024 * 1024;
let plain: SshdFixture;
let withSftp: SshdFixture;
const conns: SshConnection[] = [];
const fss: RemoteFs[] = [];
let viaExec: RemoteFs;
let viaSftp: RemoteFs;
let asNobody: RemoteFs;
let engine: EngineConnection;
let docker: Docker;
let driver: ContainerDriver;
let inst: Instance;

async function open(sshd: SshdFixture, target: string): Promise<RemoteFs> {
  const conn = await connect(await resolveHost(target, { home: sshd.home }), { home: sshd.home, acceptNew: true, agent: '' });
  conns.push(conn);
  const fs = await sftpFs(conn);
  fss.push(fs);
  return fs;
}

const meminfo = async (fs: HostFs) => {
  const text = await fs.readFile('/proc/meminfo');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)![1]) * 1024;
  return { total: kb('MemTotal'), available: kb('MemAvailable') };
};

beforeAll(async () => {
  plain = await startSshd({ alias: 'plain' });
  withSftp = await startSshd({ alias: 'sftp', extraConfig: ['Subsystem sftp internal-sftp', 'Match User nobody', '  ForceCommand internal-sftp'] });
  // sshd reads authorized_keys as the user logging in: let nobody through the temp folder to its (public) keys.
  chmodSync(withSftp.dir, 0o711);
  chmodSync(path.join(withSftp.dir, 'authorized_keys'), 0o644);
  viaExec = await open(plain, 'plain');
  viaSftp = await open(withSftp, 'sftp');
  asNobody = await open(withSftp, 'nobody@sftp');
});

afterAll(async () => {
  for (const f of fss) f.close();
  for (const c of conns) c.close();
  await plain?.stop();
  await withSftp?.stop();
});

describe('footprint readers over SSH (loopback sshd: the same machine)', () => {
  it('uses SFTP when the server offers it, head and ls over exec when it does not', () => {
    expect(viaSftp.via).toBe('sftp');
    expect(asNobody.via).toBe('sftp');
    expect(viaExec.via).toBe('exec');
    expect(viaSftp.label).toMatch(/@127\.0\.0\.1:\d+$/);
  });

  it('reads the same MemTotal exactly, and a MemAvailable between two local reads (within 1% of MemTotal)', async () => {
    for (const fs of [viaExec, viaSftp, asNobody]) {
      const before = await meminfo(localFs);
      const there = await meminfo(fs);
      const after = await meminfo(localFs);
      expect(there.total).toBe(before.total);
      const slack = before.total / 100;
      expect(there.available, fs.via).toBeGreaterThanOrEqual(Math.min(before.available, after.available) - slack);
      expect(there.available, fs.via).toBeLessThanOrEqual(Math.max(before.available, after.available) + slack);
    }
  });

  it('reads /proc as node:fs does: the same pids listed, this process the same parent', async () => {
    for (const fs of [viaExec, viaSftp, asNobody]) {
      expect(await fs.readdir('/proc')).toContain(String(process.pid));
      expect(await parentPid(process.pid, fs)).toBe(process.ppid);
      expect(await fs.readFile('/proc/1/cmdline')).toBe(await localFs.readFile('/proc/1/cmdline'));
      await expect(fs.readFile('/proc/no-such-file')).rejects.toMatchObject({ code: 'ENOENT' });
    }
    await expect(asNobody.readFile('/proc/1/environ')).rejects.toMatchObject({ code: 'EACCES' });
  });
});

describe('footprint readers over SSH on a container of the real engine', () => {
  beforeAll(async () => {
    engine = await connectDocker();
    docker = engine.docker;
    await ensureProbeImage(docker);
    driver = new ContainerDriver({ conn: engine, runId, runtime: 'runc', workload: resolveWorkload(Workload.parse({ kind: 'sleep' })) });
    await driver.prepare(never);
    inst = await driver.start(never);
  });

  afterAll(async () => {
    if (inst) await driver.stop(inst).catch(() => {});
    await driver?.dispose().catch(() => {});
    for (const c of (await docker?.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })) ?? []) await docker.getContainer(c.Id).remove({ force: true });
  });

  it("finds the same container's cgroup, shim and processes, and reads its memory within 1 MiB of node:fs", async () => {
    const local = await cgroupOf(inst.pid!, localFs);
    expect(local).toBeDefined();
    for (const fs of [viaExec, viaSftp, asNobody]) {
      expect(await cgroupOf(inst.pid!, fs)).toEqual(local);
      const shim = await parentPid(inst.pid!, fs);
      expect(shim).toBe(await parentPid(inst.pid!, localFs));
      expect((await descendants(shim!, fs)).sort()).toEqual((await descendants(shim!, localFs)).sort());
      const a = await readCgroupMemory(local!, localFs);
      const b = await readCgroupMemory(local!, fs);
      const c = await readCgroupMemory(local!, localFs);
      expect(b.usage).toBeGreaterThan(64 * 1024);
      expect(b.usage, fs.via).toBeGreaterThanOrEqual(Math.min(a.usage, c.usage) - MiB);
      expect(b.usage, fs.via).toBeLessThanOrEqual(Math.max(a.usage, c.usage) + MiB);
      expect(b.anon).toBeDefined();
    }
  });

  it('reads PSS as root, is refused it without root', async () => {
    expect(typeof (await pssRead(inst.pid!, viaSftp))).toBe('number');
    expect(typeof (await pssRead(inst.pid!, viaExec))).toBe('number');
    expect(await pssRead(inst.pid!, asNobody)).toBe('denied');
    expect(await pssRead(999_999_999, viaSftp)).toBe('missing');
    expect(await pssRead(999_999_999, viaExec)).toBe('missing');
    expect((await hostReading([inst.pid!], 2, 50, asNobody)).deniedPids).toBeGreaterThanOrEqual(1);
    expect((await hostReading([inst.pid!], 2, 50, viaSftp)).deniedPids).toBe(0);
  });

  it('measures a footprint without root: keeps the cgroup figure, falls back to the plain drop, notes what it skipped', async () => {
    const r = await measureFootprint(driver, { instances: 1, settleMs: 200, signal: never, fs: asNobody });
    const codes = r.notes.map((n) => n.code);
    expect(codes).toEqual(expect.arrayContaining(['root-host-correction', 'root-process-pss', 'root-helper-pss', 'footprint-remote-cpu']));
    expect(codes).not.toContain('host-memory-method');
    expect(r.notes.find((n) => n.code === 'root-process-pss')?.params.host).toBe(asNobody.label);
    expect(r.memory.cgroupBytes).toBeGreaterThan(64 * 1024);
    expect(r.memory.processPssBytes).toBeUndefined();
    expect(r.memory.helperPssBytes).toBeUndefined();
    expect(r.memory.hostBytes).toBe(r.memory.hostBytesRawRounds![0]);
    expect(r.cpu.hostStartupMs).toBeGreaterThan(0);
  });
});
