import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bootScript, killScript, makeVmDirScript, parseBoot, parseVmDir, parseVmLeftovers, parseVmProbe, VM_PROBE } from '../../../electron/lab/remote/vm-scripts';
import { remoteVmBlocker } from '../../../electron/lab/remote/vm-target';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-vm-unit'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROBE_OUT = [
  'isolab-qemu /usr/bin/qemu-system-x86_64',
  'isolab-machine q35 Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)',
  'isolab-machine microvm microvm (i386)',
  'isolab-version QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u7)',
  'isolab-arch x86_64',
  'isolab-bash /usr/bin/bash',
  'isolab-kvm rw',
  'isolab-space 812345',
  'isolab-cpu flags\t\t: fpu tsc constant_tsc',
  'isolab-cpu bogomips\t: 4190.15',
].join('\n');

/** A stand-in for QEMU: prints a console like the guest's and then idles until it is stopped (or fails as asked). */
function fakeQemu(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/bash\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const console_ = `printf 'S'; sleep 0.05; printf 'eaBIOS\\r\\n'; echo "Linux version 6.1.0 (debian)"; sleep 0.05; echo "ISOLAB-MARK init 0.50"; sleep 0.05; echo "ISOLAB-MARK ready 0.62"`;

async function boot(qemu: string, until: 'ready' | 'init', port?: number, timeoutS = 10) {
  const script = bootScript({ dir, id: 'b1', qemu, args: ['-name', 'isolab-x'], clock: 'epochrealtime', until, port, timeoutS });
  const r = await run('bash', ['-c', script]);
  return parseBoot(r.stdout, 'epochrealtime', 0);
}

describe('remote VM scripts', () => {
  it("reads the host's QEMU, machine types, bash, /dev/kvm, free space and TSC lines from the probe", () => {
    const p = parseVmProbe(PROBE_OUT);
    expect(p).toMatchObject({ qemu: '/usr/bin/qemu-system-x86_64', machines: { q35: 'pc-q35-7.2', microvm: 'microvm' }, version: '7.2.15', arch: 'x86_64', bash: '/usr/bin/bash', kvm: 'rw', freeKiB: 812345 });
    expect(p.cpuinfo).toMatch(/^flags.*\nbogomips/);
    expect(remoteVmBlocker(p, 'q35')).toBeUndefined();
    // Each reason a host cannot boot the kit, said in one line.
    expect(remoteVmBlocker(parseVmProbe('isolab-qemu \nisolab-arch x86_64'), 'q35')).toMatch(/qemu-system-x86_64 is not on the remote host/);
    expect(remoteVmBlocker(p, 'pc')).toMatch(/has no pc machine type/);
    expect(remoteVmBlocker({ ...p, bash: undefined }, 'q35')).toMatch(/no bash/);
    expect(remoteVmBlocker({ ...p, freeKiB: 1024 }, 'microvm')).toMatch(/1 MiB free; the VM kit needs 64 MiB/);
    // Another architecture can still boot the kit (QEMU emulates x86-64 there).
    expect(remoteVmBlocker({ ...p, arch: 'aarch64' }, 'q35')).toBeUndefined();
    // The probe is plain sh and always ends well.
    expect(VM_PROBE.trim().endsWith('true')).toBe(true);
  });

  it('times a boot in one bash: serial marks as they arrive, the SSH banner on 127.0.0.1, QEMU stopped and reaped', async () => {
    const server = net.createServer((s) => s.end('SSH-2.0-dropbear\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const b = await boot(fakeQemu('q-ok', `${console_}; exec sleep 30`), 'ready', port);
      expect(b.outcome).toBe('ready');
      expect(Object.keys(b.marks)).toEqual(['spawn', 'firmware', 'kernel', 'init', 'ready', 'ssh', 'shutdown']);
      const m = b.marks as Record<string, number>;
      expect(m.ready - m.firmware).toBeGreaterThanOrEqual(100); // two 50 ms sleeps between the first byte and ready
      // SIGTERM ended the idle "QEMU" at once: it is reaped then, not after the 2 s bound.
      expect(m.shutdown - m.ssh).toBeLessThan(1500);
      expect(b.guestUptime).toEqual({ init: 500, ready: 620 });
      // Its memory at ready, read from /proc inside the same exec.
      expect(b.qemu?.rssBytes).toBeGreaterThan(0);
      expect(b.qemu?.pssBytes).toBeGreaterThan(0);
    } finally {
      server.close();
    }
  });

  it('says how a boot failed: the guest reported an error, or QEMU exited (with its stderr)', async () => {
    const failed = await boot(fakeQemu('q-err', `${console_.split('; echo "ISOLAB-MARK init')[0]}; echo "ISOLAB-ERROR no eth0"; exec sleep 30`), 'ready', 1);
    expect(failed.outcome).toBe('guest-failed');
    expect(failed.detail).toMatch(/ISOLAB-ERROR no eth0/);
    const exited = await boot(fakeQemu('q-exit', 'echo "qemu-system-x86_64: -netdev user: Could not set up host forwarding rule" >&2; exit 1'), 'ready', 1);
    expect(exited.outcome).toBe('exited');
    expect(exited.detail).toMatch(/host forwarding rule/);
    // The accelerator's trial boot stops at init.
    expect((await boot(fakeQemu('q-init', `${console_}; exec sleep 30`), 'init')).outcome).toBe('init');
  });

  it('parses marks less the readings cost, in phase order, a missing one taking the next one time', () => {
    const out = ['isolab-vm-mark spawn 100.010000 ', 'isolab-vm-t0 100.000000', 'isolab-vm-mark firmware 100.500000 ', 'isolab-vm-mark init 102.000000 1.5', 'isolab-vm-mark ready 101.900000 1.6', 'isolab-vm-end init'].join('\n');
    const b = parseBoot(out, 'epochrealtime', 0.001);
    expect(b.marks.spawn).toBeCloseTo(9.999, 6);
    // No kernel banner seen: the kernel phase ends with init; ready never before init.
    expect(b.marks.kernel).toBeCloseTo(1999.999, 6);
    expect(b.marks.ready).toBe(b.marks.init);
    expect(b.marks.ssh).toBeUndefined();
    expect(() => parseBoot('bash: qemu: not found', 'epochrealtime', 0)).toThrow(/no timing lines/);
  });

  it("makes, recognises and removes only isolab's kit dirs, every path quoted", () => {
    expect(makeVmDirScript({ 'isolab.owner-host': "it's" })).toContain(`'{"isolab.owner-host":"it'\\''s"}'`);
    expect(parseVmDir('isolab-dir /tmp/isolab-vm-Ab12Cd34\n')).toBe('/tmp/isolab-vm-Ab12Cd34');
    expect(() => parseVmDir('isolab-dir /tmp/other\n')).toThrow(/no directory/);
    const left = parseVmLeftovers(['isolab-left /tmp/isolab-vm-Ab12Cd34 {"isolab.owner-pid":12}', 'isolab-left /home/x {"a":1}', 'isolab-left /tmp/isolab-vm-Zz99Zz99 not-json'].join('\n'));
    expect(left).toEqual([{ dir: '/tmp/isolab-vm-Ab12Cd34', owner: { 'isolab.owner-pid': '12' } }]);
    const k = killScript("/tmp/isolab-vm-a'b", true);
    expect(k).toContain(`'/tmp/isolab-vm-a'\\''b'/*.pid`);
    expect(k).toMatch(/qemu-system\.\* -name isolab-/);
    expect(k.trim().endsWith(`rm -rf '/tmp/isolab-vm-a'\\''b'`)).toBe(true);
  });
});
