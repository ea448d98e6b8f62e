import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api';
import { Run } from '../../shared/run';
import { Comparison } from '../../shared/compare';
import { Lab } from '../../electron/lab/lab';
import { parseKnownHosts } from '../../electron/lab/remote/knownHosts';
import { HostService } from '../../electron/lab/remote/service';
import { RunStore } from '../../electron/lab/store';
import { ensureVmKit, type VmKit } from '../../electron/lab/vm';
import { findQemu, freePort, qemuArgs } from '../../electron/lab/vm/qemu';
import { waitForBanner } from '../../electron/lab/vm/ssh';
import { tempDataDir } from '../helpers/datadir';

// The local-VM issue's QEMU guest as a remote host: a second SSH implementation (dropbear) and a real reboot.
// QEMU runs with its usual arguments minus -no-reboot, so a guest reboot restarts the VM instead of ending
// QEMU. TCG: this machine's /dev/kvm does not boot a stock kernel. Only 127.0.0.1 is ever contacted.
const setupEnv = { ...process.env };
const data = tempDataDir('isolab-sshqemu-');
let kit: VmKit;
let qemu: ChildProcess;
let serial = '';
let home: string;
let service: HostService;
const events: LabEvent[] = [];

async function waitForSerial(re: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!re.test(serial)) {
    if (qemu.exitCode !== null) throw new Error(`QEMU exited (${qemu.exitCode}): ${serial.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`the guest did not print ${re} within ${ms} ms: ${serial.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const kernel = process.env.ISOLAB_VM_KERNEL ?? execFileSync('bash', [path.resolve('test/fixtures/vm-kernel.sh')], { env: setupEnv, encoding: 'utf8' }).trim();
  kit = await ensureVmKit({ root: data.dir, kernel });
  const port = await freePort();
  const args = qemuArgs({ kit, accel: 'tcg', memoryMiB: 256, vmId: `sshtest-${process.pid}`, pidFile: path.join(data.dir, 'qemu.pid'), mode: 'run', sshPort: port }).filter((a) => a !== '-no-reboot');
  qemu = spawn(await findQemu(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  qemu.stdout!.on('data', (d: Buffer) => (serial += d.toString()));
  qemu.stderr!.on('data', (d: Buffer) => (serial += d.toString()));
  await waitForSerial(/ISOLAB-MARK ready/, 240_000);
  // QEMU's forwarder accepts TCP before dropbear listens: wait for the SSH banner, as isolab's VM target does.
  (await waitForBanner(port, Date.now() + 120_000, new AbortController().signal)).destroy();
  home = path.join(data.dir, 'home');
  mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(home, '.ssh', 'config'), `Host qemu-guest\n  HostName 127.0.0.1\n  Port ${port}\n  User root\n  IdentityFile ${path.join(kit.dir, 'client_key')}\n`);
  writeFileSync(path.join(home, '.ssh', 'known_hosts'), '');
  service = new HostService({
    store: new RunStore(path.join(data.dir, 'runs')),
    root: data.dir,
    home,
    emit: (e) => events.push(e),
    imds: async () => {
      throw new Error('IMDS must not be asked in tests');
    },
  });
}, 600_000);

afterAll(async () => {
  if (qemu && qemu.exitCode === null) {
    const exited = new Promise((r) => qemu.once('exit', r));
    qemu.kill('SIGKILL');
    await exited;
  }
  data.cleanup();
});

describe('bench host against the QEMU guest (dropbear)', () => {
  it('returns facts, virtualization, footprint and connect latency; records the guest key isolab generated', async () => {
    const [run] = await service.benchHost({ target: 'qemu-guest', acceptNew: true, iterations: 3 });
    expect(run.status, run.error).toBe('complete');
    Run.parse(run);
    expect(run.environment.host.kernel).toBe(kit.kernelVersion);
    expect(run.environment.host.cpus).toBe(1);
    expect(run.environment.host.memoryBytes).toBeGreaterThan(100 * 2 ** 20);
    expect(run.environment.host.memoryBytes).toBeLessThanOrEqual(256 * 2 ** 20);
    const remote = run.environment.remote as { virtualization: { sysVendor?: string; azure?: unknown }; boot: { notes: { code: string; text: string }[] } };
    expect(remote.virtualization.sysVendor).toBe('QEMU');
    expect(remote.virtualization.azure).toBeUndefined();
    expect(remote.boot.notes.map((n) => n.code)).toContain('boot-no-systemd');
    expect(run.footprint?.memory?.used).toBeGreaterThan(0);
    expect((run.footprint as { os: { processes: number } }).os.processes).toBeGreaterThan(0);
    expect(run.summary.connect.n).toBe(3);
    expect(run.summary.connect.median).toBeGreaterThan(0);
    const recorded = parseKnownHosts(readFileSync(path.join(home, '.ssh', 'known_hosts'), 'utf8'));
    expect(recorded).toHaveLength(1);
    expect(recorded[0].key.toString('base64')).toBe(kit.hostKeyPublic.split(/\s+/)[1]);
    console.log(`QEMU guest (TCG, dropbear): connect median ${run.summary.connect.median.toFixed(1)} ms, exec median ${run.summary.exec.median.toFixed(1)} ms`);
  });

  it('compare --host on a host without Docker: the containers say why, the floor and the facts are still measured', async () => {
    // The Lab's host service reads the user's ~/.ssh: the test's home for the time of this comparison.
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      const lab = new Lab('cli', data.dir);
      const c = await lab.compare({ plan: { footprint: { instances: 2, settleMs: 300, rounds: 1 }, startup: { iterations: 5, warmup: 1 } }, host: 'qemu-guest' }, undefined, undefined, { acceptNew: true });
      expect(Comparison.safeParse(c).error?.issues ?? []).toEqual([]);
      expect(c.status, JSON.stringify(c.notes)).toBe('complete');
      expect(c.environment.host.kernel).toBe(kit.kernelVersion);
      expect(c.environment.remote).toMatchObject({ target: 'qemu-guest', reached: true, virtualization: { sysVendor: 'QEMU' } });
      const by = new Map(c.models.map((m) => [m.model, m]));
      expect(by.get('container:*')).toMatchObject({ status: 'unavailable', reason: { code: 'no-engine' } });
      expect(by.get('container:*')?.error).toMatch(/docker system dial-stdio/);
      // No QEMU in the guest: the VM models say so, with the reason, and boot nothing there.
      const listed = JSON.stringify(c.models.map((m) => [m.model, m.status, m.error]));
      for (const vm of ['vm:qemu', 'vm:microvm']) {
        expect(by.get(vm)?.reason?.code, `${vm} in ${listed}`).toBe('host-cannot-run');
        expect(by.get(vm)?.error, vm).toMatch(/qemu-system-x86_64 is not on the remote host/);
      }
      const floor = by.get('process')!;
      expect(floor.status, floor.error).toBe('ok');
      expect(floor.startup!.readyMs).toHaveLength(5);
      // Timed by the guest's own shell (busybox ash) on the guest's clock: nothing of SSH in the figure.
      expect(floor.clock).toMatchObject({ clock: 'remote-shell', sshAllowanceMs: 0 });
      expect(floor.notes.map((n) => n.code)).toContain('remote-shell-clock');
      // Its idle instances left running in the guest and read from the guest's /proc (no SFTP there: head/ls over exec).
      expect(c.environment.remote).toMatchObject({ procVia: 'exec' });
      expect(floor.footprint?.memory.processPssBytes, JSON.stringify(floor.notes)).toBeGreaterThan(0);
      console.log(`QEMU guest floor (remote clock, ${floor.clock!.shell}, overhead ${floor.clock!.overheadMs!.toFixed(2)} ms): median ${floor.startup!.ready.median.toFixed(2)} ms`);
    } finally {
      process.env.HOME = savedHome;
    }
  });

  it('reboot-to-SSH: the boot id changes and the time runs to the first exec on the new boot', async () => {
    const boots = (serial.match(/ISOLAB-MARK init/g) ?? []).length;
    const [run] = await service.benchHost({ target: 'qemu-guest', reboot: true, iterations: 1 });
    expect(run.status, run.error).toBe('complete');
    const reboot = (run.environment.remote as { reboot: { rebootToSshMs: number; bootIdBefore: string; bootIdAfter: string; forced?: boolean } }).reboot;
    expect(reboot.bootIdAfter).not.toBe(reboot.bootIdBefore);
    expect(reboot.rebootToSshMs).toBeGreaterThan(0);
    // The guest really booted again: its init ran once more.
    expect((serial.match(/ISOLAB-MARK init/g) ?? []).length).toBe(boots + 1);
    expect(events.some((e) => e.type === 'host-progress' && e.step === 'reboot')).toBe(true);
    console.log(`QEMU guest reboot-to-SSH: ${reboot.rebootToSshMs.toFixed(0)} ms${reboot.forced ? ' (its /init ignores a graceful reboot: forced with reboot -f)' : ''}`);
  });
});
