import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveWorkload } from '../../../shared/plan';
import type { SshConnection } from '../../../electron/lab/remote/connect';
import { RemoteOciDriver } from '../../../electron/lab/remote/oci-driver';
import { deleteContainersScript, downScript, gvisorPidsOf, orphanedContainers, parseUp, upScript } from '../../../electron/lab/remote/oci-scripts';
import { sweepRemoteOciContainers } from '../../../electron/lab/remote/oci-target';
import { isOrphaned } from '../../../electron/lab/labels';

const sh = (script: string) => spawnSync('sh', ['-n', '-c', script]).status; // syntax only: nothing runs
const DIR = '/tmp/isolab-oci-Ab12Cd34';
const ROOT = { how: 'root' as const, shell: '/bin/sh', arch: 'x86_64' };

describe('remote raw OCI instances (pure parts)', () => {
  it('starts one detached container with its bundle, prints its pid, and removes what a failed start made', () => {
    const s = upScript({ runtime: '/usr/sbin/runc', dir: DIR, id: 'isolab-7-1-ab', config: { process: { args: ["it's"] } }, network: 'none' });
    expect(sh(s)).toBe(0);
    expect(s).toContain(`'/usr/sbin/runc' run --detach --pid-file '${DIR}/isolab-7-1-ab/pid' --bundle '${DIR}/isolab-7-1-ab' 'isolab-7-1-ab' </dev/null >/dev/null`);
    expect(s).toMatch(/if \[ "\$rc" != 0 \]; then .* delete --force 'isolab-7-1-ab' .*rm -rf/);
    const runsc = upScript({ runtime: '/usr/bin/runsc', dir: DIR, id: 'isolab-7-2-ab', config: {}, network: 'none' });
    expect(runsc).toContain(`'/usr/bin/runsc' '--root' '${DIR}/runsc' '--network=none' run --detach`);
    expect(parseUp('noise\nisolab-oci-up 0 4242\n')).toEqual({ rc: 0, pid: 4242 });
    expect(parseUp('isolab-oci-up 1 ')).toEqual({ rc: 1, pid: undefined });
    expect(() => parseUp('isolab-oci-setup-failed')).toThrow(/could not write the bundle/);
    expect(() => parseUp('sh: runc: not found')).toThrow(/no status line: sh: runc: not found/);
  });

  it('stops one instance: kill, delete --force in the same root, its bundle removed', () => {
    const s = downScript('/usr/bin/runsc', DIR, 'isolab-7-2-ab');
    expect(sh(s)).toBe(0);
    expect(s).toBe(`'/usr/bin/runsc' '--root' '${DIR}/runsc' kill 'isolab-7-2-ab' KILL >/dev/null 2>&1; '/usr/bin/runsc' '--root' '${DIR}/runsc' delete --force 'isolab-7-2-ab' >/dev/null 2>&1; rm -rf '${DIR}/isolab-7-2-ab'; true`);
  });

  it("picks from `list --format json` only isolab's containers whose owner annotations say an ended isolab of this machine", () => {
    const dead = spawnSync('true').pid!;
    const ann = (pid: number, host = os.hostname()) => ({ 'isolab.managed': 'true', 'isolab.owner-pid': String(pid), 'isolab.owner-host': host });
    const list = [
      { id: `isolab-${dead}-1-ab`, annotations: ann(dead) },
      { id: 'isolab-1-1-ab', annotations: ann(1) }, // its owner runs
      { id: `isolab-${dead}-2-ab`, annotations: ann(dead, 'another-machine') },
      { id: `isolab-${dead}-3-ab`, annotations: { 'isolab.managed': 'true', 'isolab.owner-pid': String(dead) } }, // a local run's: no host
      { id: `web-${dead}`, annotations: ann(dead) }, // not an id isolab gives
      { id: `isolab-${dead}-4-ab; reboot`, annotations: ann(dead) },
      { id: `isolab-${dead}-5-ab` },
      { id: `isolab-${process.pid}-6-ab`, annotations: ann(process.pid) }, // this very process
    ];
    expect(orphanedContainers(JSON.stringify(list), isOrphaned)).toEqual([`isolab-${dead}-1-ab`]);
    expect(orphanedContainers('null\n', isOrphaned)).toEqual([]);
    expect(orphanedContainers('not json', isOrphaned)).toEqual([]);
    expect(orphanedContainers('{"id":"isolab-1"}', isOrphaned)).toEqual([]);
    expect(deleteContainersScript('/usr/sbin/runc', ['isolab-9-1-ab'])).toBe(`'/usr/sbin/runc' delete --force 'isolab-9-1-ab' >/dev/null 2>&1; true`);
  });

  it("finds gVisor's sandbox and gofer of one bundle only", () => {
    const b = `${DIR}/isolab-7-2-ab`;
    const out = [
      `isolab-g 10 runsc-sandbox\t--root=${DIR}/runsc\tboot\t--bundle=${b}\t--controller-fd=3`,
      `isolab-g 11 runsc-gofer\t--root\t${DIR}/runsc\tgofer\t--bundle\t${b}`,
      `isolab-g 12 runsc-sandbox\tboot\t--bundle=${b}-other`,
      `isolab-g 13 runsc-sandboxy\t--bundle=${b}`,
      'junk',
    ].join('\n');
    expect(gvisorPidsOf(out, b)).toEqual([10, 11]);
  });

  it('sweeps containers once per connection and runtime, as root, and never for runsc (its state is in the bundle dir)', async () => {
    const dead = spawnSync('true').pid!;
    const json = JSON.stringify([{ id: `isolab-${dead}-1-ab`, annotations: { 'isolab.managed': 'true', 'isolab.owner-pid': String(dead), 'isolab.owner-host': os.hostname() } }, { id: 'mine', annotations: {} }]);
    const ran: string[] = [];
    const conn = { exec: async (c: string) => (ran.push(c), { stdout: c.includes(' list ') ? json : '', stderr: '', code: 0, ms: 1 }) } as unknown as SshConnection;
    const sudo = { how: 'sudo' as const, shell: '/bin/bash', arch: 'x86_64' };
    expect(await sweepRemoteOciContainers(conn, sudo, '/usr/sbin/runc')).toEqual([`isolab-${dead}-1-ab`]);
    expect(await sweepRemoteOciContainers(conn, sudo, '/usr/sbin/runc')).toEqual([`isolab-${dead}-1-ab`]);
    expect(await sweepRemoteOciContainers(conn, sudo, '/usr/bin/runsc')).toEqual([]);
    expect(ran).toHaveLength(2);
    expect(ran.every((c) => c.startsWith(`sudo -n '/bin/bash' -c `))).toBe(true);
    expect(ran[1]).toContain(`delete --force '\\''isolab-${dead}-1-ab'\\''`);
    expect(ran[1]).not.toContain('mine');
  });

  it('with a fake exec: each instance is left running with its pid, stopped by delete, and dispose removes the dir and what is left', async () => {
    const ran: string[] = [];
    let pid = 5000;
    const conn = {
      exec: async (c: string) => {
        ran.push(c);
        if (c.includes('command -v busybox')) return { stdout: '/bin/busybox\n', stderr: '', code: 0, ms: 1 };
        if (c.includes('mktemp')) return { stdout: `isolab-dir ${DIR}\n`, stderr: '', code: 0, ms: 1 };
        if (c.includes('run --detach')) return { stdout: `isolab-oci-up 0 ${++pid}\n`, stderr: '', code: 0, ms: 1 };
        return { stdout: '', stderr: '', code: 0, ms: 1 };
      },
      channel: async () => {
        throw new Error('no upload in this test');
      },
    } as unknown as SshConnection;
    const workload = resolveWorkload({ kind: 'sleep', timeoutMs: 30_000 });
    // Another architecture: the host's busybox is used, so nothing is uploaded.
    const d = new RemoteOciDriver({ conn, name: 'runc', runtime: '/usr/sbin/runc', access: { ...ROOT, arch: 'riscv128' }, runId: 'r1', workload });
    await d.prepare(new AbortController().signal);
    const a = await d.start(new AbortController().signal);
    const b = await d.start(new AbortController().signal);
    expect([a.pid, b.pid]).toEqual([5001, 5002]);
    expect(a.id).toMatch(new RegExp(`^isolab-${process.pid}-1-[0-9a-f]+$`));
    expect(ran.find((c) => c.includes('run --detach'))).toContain(`isolab.owner-host`);
    expect(d.liveCount()).toBe(2);
    await d.stop(a);
    expect(ran.at(-1)).toContain(`delete --force`);
    expect(d.liveCount()).toBe(1);
    await d.dispose();
    expect(d.liveCount()).toBe(0);
    expect(ran.at(-1)).toContain(`rm -rf '\\''${DIR}'\\''`);
    // A workload ready by a log line cannot be kept idle here.
    const log = new RemoteOciDriver({ conn, name: 'runc', runtime: '/usr/sbin/runc', access: ROOT, runId: 'r1', workload: resolveWorkload({ kind: 'sleep', timeoutMs: 30_000, readiness: { kind: 'log', pattern: 'x' } }) });
    await expect(log.prepare(new AbortController().signal)).rejects.toThrow(/ready once running/);
  });
});
