import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootQemu } from '../../../electron/lab/vm/qemu';
import { CancelledError } from '../../../electron/lab/targets/target';

// A stand-in for QEMU that prints what a serial console shows: the parsing and the timing logic only
// (the integration tests boot the real thing).
const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-fakeqemu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fakeQemu(name: string, script: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

const kit = { vmlinuz: '/nonexistent', initramfs: '/nonexistent' };
const vm = () => ({ id: 'unit', dir: tmp });

describe('QemuProcess', () => {
  it('marks each phase as its line arrives, in order, and keeps the guest uptime', async () => {
    const qemu = fakeQemu(
      'boot',
      `sleep 0.05; printf 'Probing EDD... ok\\r\\n'; sleep 0.05
printf '[    0.000000] Linux version 6.1.0-56-cloud-amd64 (x)\\r\\n'; sleep 0.05
printf 'ISOLAB-MARK init 1.52\\r\\nISOLAB-MARK ready 1.90\\r\\n'; sleep 0.05`,
    );
    const phases: string[] = [];
    const q = bootQemu({ qemu, vm: vm(), kit, accel: 'tcg', memoryMiB: 64, mode: 'probe', signal: new AbortController().signal, onPhase: (p) => phases.push(p) });
    await q.waitFor('ready', 5000);
    await q.exited;
    expect(phases).toEqual(['spawn', 'firmware', 'kernel', 'init', 'ready']);
    expect(q.marks.firmware!).toBeGreaterThanOrEqual(q.marks.spawn!);
    expect(q.marks.kernel!).toBeGreaterThan(q.marks.firmware!);
    // Two markers in one read: the later one never ends before the earlier one.
    expect(q.marks.ready!).toBeGreaterThanOrEqual(q.marks.init!);
    expect(q.guestUptime).toEqual({ init: 1520, ready: 1900 });
  });

  it('fails fast on the guest\'s error marker, a kernel panic, or an early exit, naming what it saw', async () => {
    const signal = new AbortController().signal;
    const err = bootQemu({ qemu: fakeQemu('err', `printf 'ISOLAB-MARK init 1.0\\nISOLAB-ERROR no eth0: virtio_net did not come up\\n'; sleep 5`), vm: vm(), kit, accel: 'tcg', memoryMiB: 64, mode: 'run', signal });
    await expect(err.waitFor('ready', 4000)).rejects.toThrow(/the guest reported: no eth0/);
    await err.stop(50);
    const panic = bootQemu({ qemu: fakeQemu('panic', `printf 'Kernel panic - not syncing: VFS\\n'; sleep 5`), vm: vm(), kit, accel: 'tcg', memoryMiB: 64, mode: 'run', signal });
    await expect(panic.waitFor('init', 4000)).rejects.toThrow(/panicked: Kernel panic/);
    await panic.stop(50);
    const exit = bootQemu({ qemu: fakeQemu('exit', `echo 'qemu: could not load kernel' >&2; exit 1`), vm: vm(), kit, accel: 'tcg', memoryMiB: 64, mode: 'run', signal });
    await expect(exit.waitFor('init', 4000)).rejects.toThrow(/QEMU exited \(status 1\) before the init phase; QEMU said: qemu: could not load kernel/);
  });

  it('times out with the last console lines, and a cancel kills it at once', async () => {
    const hang = bootQemu({ qemu: fakeQemu('hang', `printf 'Probing EDD... ok\\n'; exec sleep 30`), vm: vm(), kit, accel: 'kvm', memoryMiB: 64, mode: 'probe', signal: new AbortController().signal });
    await expect(hang.waitFor('init', 300)).rejects.toThrow(/did not reach the init phase within 0 s; last console lines: Probing EDD/);
    await hang.stop(50);
    expect(hang.running).toBe(false);

    const abort = new AbortController();
    const q = bootQemu({ qemu: fakeQemu('hang2', 'exec sleep 30'), vm: vm(), kit, accel: 'tcg', memoryMiB: 64, mode: 'probe', signal: abort.signal });
    const waiting = q.waitFor('init', 10_000);
    const t = performance.now();
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    await q.exited;
    expect(performance.now() - t).toBeLessThan(2000);
    expect(q.running).toBe(false);
  });
});
