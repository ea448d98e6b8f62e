import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelCmdline, GUEST_INIT } from '../../../electron/lab/vm/guest-init';
import { parseLdd } from '../../../electron/lab/vm/initramfs';
import { bzImageVersion, findKernel } from '../../../electron/lab/vm/kernel';
import { blobOf, fingerprintOf, generateClientKey } from '../../../electron/lab/vm/keys';
import { parseMeminfo } from '../../../electron/lab/vm/procfs';
import { qemuArgs } from '../../../electron/lab/vm/qemu';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-vmunit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qemuArgs', () => {
  const base = { kit: { vmlinuz: '/k', initramfs: '/i' }, accel: 'tcg' as const, memoryMiB: 256, vmId: 'r1-abc', pidFile: '/p/qemu.pid' };

  it('forwards SSH from 127.0.0.1 only, on restricted user networking, with no boot ROM', () => {
    const a = qemuArgs({ ...base, mode: 'run', sshPort: 40022 });
    const netdevs = a.filter((_, i) => a[i - 1] === '-netdev');
    expect(netdevs).toEqual(['user,id=n0,restrict=on,ipv6=off,hostfwd=tcp:127.0.0.1:40022-:22']);
    expect(a).toContain('virtio-net-pci,netdev=n0,romfile=');
    expect(a).toContain('-nodefaults');
    expect(a.join(' ')).not.toMatch(/-nic|tap|bridge|socket/);
  });

  it('marks the process with isolab\'s name and writes a pid file', () => {
    const a = qemuArgs({ ...base, mode: 'run', sshPort: 1 });
    expect(a.slice(a.indexOf('-name'), a.indexOf('-name') + 2)).toEqual(['-name', 'isolab-r1-abc']);
    expect(a.slice(a.indexOf('-pidfile'), a.indexOf('-pidfile') + 2)).toEqual(['-pidfile', '/p/qemu.pid']);
    expect(a.slice(a.indexOf('-m'), a.indexOf('-m') + 2)).toEqual(['-m', '256']);
  });

  it('has no network device at all for a test boot, and uses the host CPU under an accelerator', () => {
    const a = qemuArgs({ ...base, accel: 'kvm', mode: 'probe' });
    expect(a).not.toContain('-netdev');
    expect(a).not.toContain('-device');
    expect(a).toContain('q35,accel=kvm');
    expect(a.slice(a.indexOf('-cpu'), a.indexOf('-cpu') + 2)).toEqual(['-cpu', 'host']);
    expect(a[a.indexOf('-append') + 1]).toContain('isolab.mode=probe');
  });
});

describe('guest init', () => {
  it('prints its markers with the guest uptime and stays up as PID 1', () => {
    expect(GUEST_INIT.startsWith('#!/bin/sh\n')).toBe(true);
    expect(GUEST_INIT).toContain('echo "ISOLAB-MARK init $up"');
    expect(GUEST_INIT).toContain('echo "ISOLAB-MARK ready $up"');
    expect(GUEST_INIT).toMatch(/while :; do sleep 3600; done\n$/);
    expect(kernelCmdline('run')).toMatch(/console=ttyS0 earlyprintk=serial/);
  });
});

describe('parseLdd', () => {
  it('lists the loader and each resolved library', () => {
    const text = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n`;
    expect(parseLdd(text).map(([g]) => g)).toEqual(['/lib/x86_64-linux-gnu/libz.so.1', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });
  it('fails on a library the host lacks', () => {
    expect(() => parseLdd('\tlibgmp.so.10 => not found\n')).toThrow(/missing on the host/);
  });
});

describe('parseMeminfo', () => {
  it('reads MemTotal and MemAvailable in bytes', () => {
    expect(parseMeminfo('MemTotal:         222620 kB\nMemFree:          190000 kB\nMemAvailable:     192220 kB\n')).toEqual({ totalBytes: 222620 * 1024, availableBytes: 192220 * 1024 });
  });
});

describe('kernel', () => {
  it('reads the release from a bzImage setup header', async () => {
    const img = Buffer.alloc(0x1000);
    img.write('HdrS', 0x202, 'latin1');
    img.writeUInt16LE(0x600, 0x20e);
    img.write('6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) #1 SMP\0', 0x800, 'latin1');
    const file = path.join(tmp, 'vmlinuz-test');
    writeFileSync(file, img);
    expect(await bzImageVersion(file)).toBe('6.1.0-56-cloud-amd64');
    writeFileSync(path.join(tmp, 'not-a-kernel'), Buffer.alloc(0x400));
    expect(await bzImageVersion(path.join(tmp, 'not-a-kernel'))).toBeUndefined();
    const chosen = await findKernel({ root: tmp, kernel: file, env: {} });
    expect(chosen).toMatchObject({ vmlinuz: file, version: '6.1.0-56-cloud-amd64', source: 'user' });
  });

  it('says what to do when the chosen kernel is missing or not a kernel', async () => {
    await expect(findKernel({ root: tmp, kernel: path.join(tmp, 'nope'), env: {} })).rejects.toThrow(/cannot read the kernel .*--kernel/);
    await expect(findKernel({ root: tmp, kernel: path.join(tmp, 'not-a-kernel'), env: {} })).rejects.toThrow(/not a Linux kernel image/);
  });

  it('finds a kernel the test setup cached, before the host\'s', async () => {
    const root = mkdtempSync(path.join(tmp, 'root-'));
    const boot = path.join(root, 'cache/vm/kernels/linux-image-6.1.0-56-cloud-amd64_6.1.192-2_amd64/boot');
    execFileSync('mkdir', ['-p', boot]);
    writeFileSync(path.join(boot, 'vmlinuz-6.1.0-56-cloud-amd64'), readFileSync(path.join(tmp, 'vmlinuz-test')));
    expect(await findKernel({ root, env: {} })).toMatchObject({ source: 'cache', version: '6.1.0-56-cloud-amd64' });
  });
});

const hasSshKeygen = (() => {
  try {
    execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { status?: number }).status !== undefined; // it ran and printed its usage
  }
})();

describe('keys', () => {
  it('fingerprints a key as SHA256 of its blob', () => {
    const k = generateClientKey();
    expect(k.publicLine).toMatch(/^ssh-ed25519 /);
    expect(fingerprintOf(blobOf(k.publicLine))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('never hands out a key ssh2 cannot read back (ssh2 strips leading zero bytes of 1 key in 256)', () => {
    // 2000 keys: with the bug left in, the chance that none of them is short is (255/256)^2000, about 0.04%.
    for (let i = 0; i < 2000; i++) {
      const k = generateClientKey();
      expect(ssh2.utils.parseKey(k.privateKey)).not.toBeInstanceOf(Error);
      expect(blobOf(k.publicLine)).toHaveLength(51); // 4 + 11 ("ssh-ed25519") + 4 + 32
    }
  }, 60_000); // 2000 key pairs: about 1 s on a quiet machine, far more while the CI machine is busy

  it('computes the same fingerprint as ssh-keygen', () => {
    expect(hasSshKeygen, 'ssh-keygen is needed for this check: apt-get install openssh-client').toBe(true);
    const k = generateClientKey();
    const pub = path.join(tmp, 'k.pub');
    writeFileSync(pub, k.publicLine + ' test\n');
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprintOf(blobOf(k.publicLine))).toBe(expected);
  });
});
