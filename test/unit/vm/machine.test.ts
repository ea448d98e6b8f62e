import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectAccelerator } from '../../../electron/lab/vm/accel';
import { GUEST_INIT, kernelCmdline } from '../../../electron/lab/vm/guest-init';
import type { VmKit } from '../../../electron/lab/vm/kit';
import { GUEST_MODULES } from '../../../electron/lab/vm/modules';
import { parseMachineHelp, qemuArgs, type Machine } from '../../../electron/lab/vm/qemu';
import { QemuTarget, vmModelName } from '../../../electron/lab/vm/target';
import { guestTsc, parseTscKhz } from '../../../electron/lab/vm/tsc';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-machine-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const base = { kit: { vmlinuz: '/k', initramfs: '/i' }, accel: 'tcg' as const, memoryMiB: 256, vmId: 'r1-abc', pidFile: '/p/qemu.pid', mode: 'run' as const, sshPort: 40022 };
const after = (a: string[], flag: string) => a.filter((_, i) => a[i - 1] === flag);

describe('the machine type', () => {
  it('is q35 with a PCI network device when left out', () => {
    const a = qemuArgs(base);
    expect(after(a, '-machine')).toEqual(['q35,accel=tcg']);
    expect(after(a, '-device')).toEqual(['virtio-net-pci,netdev=n0,romfile=']);
    expect(after(a, '-append')[0]).toContain('isolab.virtio=pci');
  });

  it('pc stays available, as before', () => {
    expect(after(qemuArgs({ ...base, machine: 'pc' }), '-machine')).toEqual(['pc,accel=tcg']);
  });

  it('microvm: virtio-mmio network device, no option ROM, no default devices, the mmio module list, and the same restricted network', () => {
    const a = qemuArgs({ ...base, machine: 'microvm', tscKhz: 2_096_020 });
    expect(after(a, '-machine')).toEqual(['microvm,accel=tcg,x-option-roms=off']);
    expect(after(a, '-device')).toEqual(['virtio-net-device,netdev=n0']);
    expect(a.join(' ')).not.toMatch(/-pci/);
    expect(a).toContain('-nodefaults');
    expect(after(a, '-netdev')).toEqual(['user,id=n0,restrict=on,ipv6=off,hostfwd=tcp:127.0.0.1:40022-:22']);
    const cmdline = after(a, '-append')[0];
    expect(cmdline).toContain('console=ttyS0');
    expect(cmdline).toContain('isolab.virtio=mmio');
    expect(cmdline).toContain('tsc_early_khz=2096020 tsc=reliable');
  });

  it('a test boot of microvm has no network device either', () => {
    const a = qemuArgs({ ...base, machine: 'microvm', mode: 'probe', sshPort: undefined, accel: 'kvm' });
    expect(a).not.toContain('-device');
    expect(after(a, '-machine')).toEqual(['microvm,accel=kvm,x-option-roms=off']);
    expect(after(a, '-append')[0]).not.toContain('tsc_early_khz');
  });

  it('names its model: the PC machines are the VM, microvm a model of its own', () => {
    expect(vmModelName('q35')).toBe('vm:qemu');
    expect(vmModelName('pc', 'tcg')).toBe('vm:qemu-tcg');
    expect(vmModelName('microvm')).toBe('vm:microvm');
    expect(vmModelName('microvm', 'kvm')).toBe('vm:microvm-kvm');
  });

  it('a machine isolab does not boot is refused before anything starts', () => {
    expect(() => new QemuTarget({ runId: 'x', root: tmp, machine: 'isapc' as Machine })).toThrow(/unknown machine type isapc: use one of q35, pc, microvm/);
    expect(new QemuTarget({ runId: 'x', root: tmp, machine: 'microvm' }).model).toBe('vm:microvm');
    expect(new QemuTarget({ runId: 'x', root: tmp }).machine).toBe('q35');
  });

  it("reads what QEMU's alias stands for from -machine help", () => {
    const help = `Supported machines are:
microvm              microvm (i386)
pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)
pc-i440fx-7.2        Standard PC (i440FX + PIIX, 1996) (default)
q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)
pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)
`;
    expect(parseMachineHelp(help, 'q35')).toBe('pc-q35-7.2');
    expect(parseMachineHelp(help, 'pc')).toBe('pc-i440fx-7.2');
    expect(parseMachineHelp(help, 'microvm')).toBe('microvm');
    expect(parseMachineHelp('pc   Standard PC (alias of pc-i440fx-2.0)\n', 'microvm')).toBeUndefined();
  });
});

describe('the guest init', () => {
  it('loads the module list of the transport its command line names, PCI by default', () => {
    expect(GUEST_INIT).toContain('virtio=pci');
    expect(GUEST_INIT).toContain('isolab.virtio=*) virtio=');
    expect(GUEST_INIT).toContain('done < "/etc/isolab/modules.$virtio"');
    expect(GUEST_MODULES.mmio).toContain('virtio_mmio');
    expect(GUEST_MODULES.pci).toContain('virtio_pci');
    expect(kernelCmdline('probe')).toContain('isolab.virtio=pci');
    expect(kernelCmdline('probe')).not.toContain('tsc');
  });
});

describe("the guest's TSC rate", () => {
  const cpuinfo = (bogomips: string, flags = 'fpu tsc msr constant_tsc nonstop_tsc') => `processor\t: 0\nflags\t\t: ${flags}\nbogomips\t: ${bogomips}\n\nprocessor\t: 1\nflags\t\t: ${flags}\nbogomips\t: ${bogomips}\n`;

  it('is half the host bogomips in MHz (the host kernel derives loops_per_jiffy from its TSC)', () => {
    expect(parseTscKhz(cpuinfo('4192.04'))).toBe(2_096_020);
  });

  it('is unknown without a constant TSC or a plausible bogomips', () => {
    expect(parseTscKhz(cpuinfo('4192.04', 'fpu tsc msr'))).toBeUndefined();
    expect(parseTscKhz(cpuinfo('12.5'))).toBeUndefined();
    expect(parseTscKhz('processor\t: 0\n')).toBeUndefined();
  });

  it('is given to microvm under TCG only', async () => {
    expect(await guestTsc('q35', 'tcg')).toBeUndefined();
    expect(await guestTsc('microvm', 'kvm')).toBeUndefined();
    const t = await guestTsc('microvm', 'tcg');
    // This test host is an x86-64 Linux with a constant TSC (the VM tests need one).
    if (t) expect(t.khz).toBeGreaterThan(100_000);
  });
});

describe('the accelerator verdict', () => {
  // A stand-in QEMU: reports a version, and as a test boot prints the guest's init marker.
  const qemu = path.join(tmp, 'qemu');
  writeFileSync(qemu, `#!/bin/sh\ncase "$1" in --version) echo 'QEMU emulator version 7.2.22'; exit 0;; esac\nprintf 'ISOLAB-MARK init 0.10\\n'; sleep 5\n`);
  chmodSync(qemu, 0o755);
  const kit = { hash: 'unit-kit', vmlinuz: '/k', initramfs: '/i' } as VmKit;

  it('is kept per machine: a microvm test boot does not drop the q35 verdict', async () => {
    const root = mkdtempSync(path.join(tmp, 'data-'));
    const q35 = await detectAccelerator({ root, kit, qemu, requested: 'kvm', machine: 'q35' });
    const micro = await detectAccelerator({ root, kit, qemu, requested: 'kvm', machine: 'microvm' });
    expect([q35.cached, micro.cached]).toEqual([false, false]);
    const again = await detectAccelerator({ root, kit, qemu, requested: 'kvm', machine: 'q35' });
    expect(again).toMatchObject({ accel: 'kvm', cached: true });
    const cache = JSON.parse(readFileSync(path.join(root, 'cache', 'vm', 'accel.json'), 'utf8'));
    expect(Object.keys(cache).map((k) => k.split(' ').at(-1)).sort()).toEqual(['microvm', 'q35']);
  });

  it('a damaged cache file is read as empty, not thrown', async () => {
    const root = mkdtempSync(path.join(tmp, 'data-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, 'cache', 'vm'), { recursive: true });
    writeFileSync(path.join(root, 'cache', 'vm', 'accel.json'), '{"truncated');
    expect(await detectAccelerator({ root, kit, qemu, requested: 'kvm', machine: 'microvm' })).toMatchObject({ accel: 'kvm', cached: false });
  });
});
