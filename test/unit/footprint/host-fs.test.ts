import { describe, expect, it, vi } from 'vitest';
import { fsError, localFs, memoryFs, readFailure, type HostFs } from '../../../electron/lab/footprint/host-fs';
import { measureFootprint } from '../../../electron/lab/footprint/measure';
import { hostReading } from '../../../electron/lab/footprint/others';
import { allPids, cgroupOf, commandName, descendants, parentPid, processName, pssBytes } from '../../../electron/lab/footprint/proc';
import { engineDaemonPids } from '../../../electron/lab/footprint/cpu';
import { runDensity } from '../../../electron/lab/density/run';
import type { Instance, InstanceDriver } from '../../../electron/lab/workloads/instance';

// The readers wait between MemAvailable reads (200 ms × 15 a reading): not here, the fake host does not move by itself.
vi.mock('../../../electron/lab/footprint/proc', async (orig) => ({ ...(await orig<typeof import('../../../electron/lab/footprint/proc')>()), sleep: async () => {} }));

const KB = 1024;

/**
 * A small Linux host in memory: systemd, dockerd, containerd, an unrelated editor, and per instance a shim
 * (child of 1) and its workload in its own cgroup. Each instance costs 1000 kB of MemAvailable (its workload
 * has 300 kB anonymous, its shim 200 kB); while instances run, the editor allocates 2000 kB more, which the
 * correction must take out. Without root, every smaps_rollup but the editor's (the login user's) is refused.
 */
class FakeHost {
  files: Record<string, string | Error> = {};
  private running = new Set<number>();
  private ticks = 0;
  private daemonTicks = 0;

  constructor(private readonly root: boolean) {
    this.proc(1, 'systemd', 0, '/sbin/init', 0, 0);
    this.proc(10, 'dockerd', 1, '/usr/bin/dockerd', 1000, 0);
    this.proc(11, 'containerd', 1, '/usr/bin/containerd', 1000, 0);
    this.proc(50, 'editor', 1, '/usr/bin/editor', 4000, 0, true);
    this.update();
  }

  fs(label = 'alice@box'): HostFs {
    return memoryFs(this.files, label);
  }

  private proc(pid: number, comm: string, ppid: number, argv0: string, anonKb: number, utime: number, own = false) {
    this.files[`/proc/${pid}/comm`] = `${comm}\n`;
    this.files[`/proc/${pid}/cmdline`] = `${argv0}\0`;
    this.files[`/proc/${pid}/stat`] = `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 0 0 0 0 0 ${utime} 0 0 0 20 0 1 0`;
    this.files[`/proc/${pid}/status`] = `Name:\t${comm}\nVmPTE:\t      4 kB\n`;
    this.files[`/proc/${pid}/smaps_rollup`] =
      this.root || own ? `Rss: ${anonKb * 2} kB\nPss:   ${anonKb + 100} kB\nPss_Anon:  ${anonKb} kB\n` : fsError('EACCES', `/proc/${pid}/smaps_rollup`, 'permission denied');
    this.files[`/proc/${pid}/cgroup`] = '0::/system.slice/x.service\n';
  }

  private drop(pid: number) {
    for (const k of Object.keys(this.files)) if (k.startsWith(`/proc/${pid}/`)) delete this.files[k];
  }

  /** /proc/meminfo and /proc/stat for what runs now. */
  private update() {
    const n = this.running.size;
    const editor = 4000 + (n ? 2000 : 0);
    this.files['/proc/50/smaps_rollup'] = `Pss: ${editor + 100} kB\nPss_Anon: ${editor} kB\n`;
    const anon = 2000 + editor + 500 * n + 7000; // daemons, editor, instances, the rest
    const pte = 4 * (4 + 2 * n);
    this.files['/proc/meminfo'] = `MemTotal: 8000000 kB\nMemAvailable: ${4000000 - 1000 * n - (n ? 2000 : 0)} kB\nAnonPages: ${anon} kB\nPageTables: ${pte} kB\n`;
    this.files['/proc/stat'] = `cpu  ${this.ticks} 0 0 50000 0 0 0 0 0 0\ncpu0 0 0 0 0\n`;
    this.files['/proc/10/stat'] = `10 (dockerd) S 1 10 10 0 -1 0 0 0 0 0 ${this.daemonTicks} 0 0 0 20 0 1 0`;
  }

  start(i: number): Instance {
    this.ticks += 10; // 100 ms of host CPU per start
    this.daemonTicks += 2; // 20 ms of dockerd
    this.proc(100 + i, 'containerd-shim', 1, '/usr/bin/containerd-shim-runc-v2', 200, 3);
    this.proc(200 + i, 'sleep', 100 + i, '/bin/sleep', 300, 0);
    const dir = `/sys/fs/cgroup/system.slice/docker-${i}.scope`;
    this.files[`/proc/${200 + i}/cgroup`] = `0::/system.slice/docker-${i}.scope\n`;
    this.files[`${dir}/memory.current`] = `${(400 + i) * KB}\n`;
    this.files[`${dir}/memory.stat`] = `anon ${300 * KB}\nfile 0\n`;
    this.files[`${dir}/cpu.stat`] = 'usage_usec 40000\n';
    this.running.add(i);
    this.update();
    return { id: String(i), pid: 200 + i, marks: {}, cgroup: { version: 2, memoryDir: dir, cpuDir: dir }, cgroupCpuMs: 40 };
  }

  stop(i: number) {
    this.drop(100 + i);
    this.drop(200 + i);
    this.running.delete(i);
    this.update();
  }
}

function driverOn(host: FakeHost): InstanceDriver {
  let next = 0;
  return {
    model: 'fake',
    phases: ['ready'],
    stopPhase: 'remove',
    workload: {} as InstanceDriver['workload'],
    prepare: async () => {},
    environment: async () => ({}),
    start: async () => host.start(next++),
    stop: async (inst) => host.stop(Number(inst.id)),
    helperPids: async (inst) => [Number(inst.id) + 100],
    liveCount: () => 0,
    dispose: async () => {},
  };
}

const opts = (fs: HostFs) => ({ instances: 2, settleMs: 0, signal: new AbortController().signal, fs });

describe('HostFs', () => {
  it('maps read errors to missing, denied or other', () => {
    expect(readFailure(fsError('ENOENT', '/x'))).toBe('missing');
    expect(readFailure(fsError('EACCES', '/x'))).toBe('denied');
    expect(readFailure(fsError('EPERM', '/x'))).toBe('denied');
    expect(readFailure(new Error('socket closed'))).toBe('other');
  });

  it('reads processes, parents, names and cgroups of another host through its fs', async () => {
    const host = new FakeHost(true);
    host.start(0);
    const fs = host.fs();
    expect((await allPids(fs)).sort((a, b) => a - b)).toEqual([1, 10, 11, 50, 100, 200]);
    expect(await engineDaemonPids(fs)).toEqual(expect.arrayContaining([10, 11]));
    expect(await parentPid(200, fs)).toBe(100);
    expect(await processName(100, fs)).toBe('containerd-shim');
    expect(await commandName(100, fs)).toBe('containerd-shim-runc-v2');
    expect(await descendants(100, fs)).toEqual([200]);
    // Not ISOLAB_CGROUP_ROOT: that override is this machine's.
    expect(await cgroupOf(200, fs)).toEqual({ version: 2, memoryDir: '/sys/fs/cgroup/system.slice/docker-0.scope', cpuDir: '/sys/fs/cgroup/system.slice/docker-0.scope' });
    expect(await pssBytes(200, fs)).toBe(400 * KB);
    expect(await pssBytes(999, fs)).toBeUndefined();
  });

  it('the local fs reads what node:fs reads (this process)', async () => {
    expect(await parentPid(process.pid, localFs)).toBe(process.ppid);
    expect(await parentPid(process.pid)).toBe(process.ppid);
    expect((await allPids(localFs)).includes(process.pid)).toBe(true);
  });
});

describe('measureFootprint on another host', () => {
  it('as root: every figure, corrected for the unrelated program, and no local CPU mixed in', async () => {
    const host = new FakeHost(true);
    const r = await measureFootprint(driverOn(host), opts(host.fs()));
    // 1000 kB each; the editor's 2000 kB taken out of the corrected figure, left in the raw one.
    expect(r.memory.hostBytes).toBe(1000 * KB);
    expect(r.memory.hostBytesRawRounds).toEqual([2000 * KB]);
    expect(r.memory.cgroupBytes).toBe(400.5 * KB);
    expect(r.memory.cgroupAnonBytes).toBe(300 * KB);
    expect(r.memory.processPssBytes).toBe(400 * KB);
    expect(r.memory.helperPssBytes).toBe(300 * KB);
    expect(r.helperProcesses).toEqual(['containerd-shim-runc-v2']);
    expect(r.cpu.hostStartupMs).toBe(100);
    // dockerd 20 + shim 30 + cgroup 40: isolab's own process.cpuUsage would make it more.
    expect(r.cpu.startupMs).toBe(90);
    expect(r.notes.map((n) => n.code)).toEqual(['host-memory-method', 'footprint-remote-cpu']);
    expect(r.notes[1].params).toEqual({ host: 'alice@box' });
  });

  it('without root: keeps what it can read, falls back to the plain drop, and says which figures were skipped', async () => {
    const host = new FakeHost(false);
    const r = await measureFootprint(driverOn(host), opts(host.fs()));
    expect(r.memory.hostBytes).toBe(2000 * KB);
    expect(r.memory.hostBytesRounds).toEqual([2000 * KB]);
    expect(r.memory.cgroupBytes).toBe(400.5 * KB);
    expect(r.memory.processPssBytes).toBeUndefined();
    expect(r.memory.helperPssBytes).toBeUndefined();
    expect(r.cpu.startupMs).toBe(90);
    const root = r.notes.filter((n) => n.code.startsWith('root-'));
    expect(root.map((n) => n.code).sort()).toEqual(['root-helper-pss', 'root-host-correction', 'root-process-pss']);
    expect(root.every((n) => n.params.host === 'alice@box')).toBe(true);
    expect(r.notes.some((n) => n.code === 'host-memory-method')).toBe(false);
  });

  it('notes a cgroup the host refuses as needing root, and keeps the rest', async () => {
    const host = new FakeHost(true);
    const driver = driverOn(host);
    const start = driver.start;
    driver.start = async (s) => {
      const inst = await start(s);
      host.files[`${inst.cgroup!.memoryDir}/memory.current`] = fsError('EACCES', 'memory.current');
      return inst;
    };
    const r = await measureFootprint(driver, opts(host.fs()));
    expect(r.memory.cgroupBytes).toBeUndefined();
    expect(r.memory.processPssBytes).toBe(400 * KB);
    expect(r.notes.filter((n) => n.code.startsWith('root-')).map((n) => n.code)).toEqual(['root-cgroup']);
    expect(r.notes.some((n) => n.code === 'cgroup-unreadable')).toBe(false);
  });

  it('hostReading counts the related processes it could not read', async () => {
    expect((await hostReading([], 3, 0, new FakeHost(true).fs())).deniedPids).toBe(0);
    const r = await hostReading([], 3, 0, new FakeHost(false).fs());
    expect(r.deniedPids).toBe(2);
    expect(r.available).toBe(4000000 * KB);
  });

  it('density without root: the plain MemAvailable drop, with the note', async () => {
    const host = new FakeHost(false);
    const notes: string[] = [];
    const d = await runDensity(driverOn(host), { maxInstances: 2, timeLimitS: 60, concurrency: 1, signal: new AbortController().signal, settleMs: 0, fs: host.fs(), onNote: (n) => notes.push(n.code) });
    expect(d.steps.map((s) => s.memAvailableDropBytes)).toEqual([3000 * KB, 4000 * KB]);
    expect(notes).toEqual(['root-host-correction']);
  });

  it('density as root: corrected for the unrelated program', async () => {
    const host = new FakeHost(true);
    const d = await runDensity(driverOn(host), { maxInstances: 2, timeLimitS: 60, concurrency: 1, signal: new AbortController().signal, settleMs: 0, fs: host.fs() });
    expect(d.steps.map((s) => s.memAvailableDropBytes)).toEqual([1000 * KB, 2000 * KB]);
  });
});
