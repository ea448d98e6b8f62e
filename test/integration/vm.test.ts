import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../../electron/lab/lab';
import { CancelledError } from '../../electron/lab/targets/target';
import { detectAccelerator, ensureVmKit, QemuTarget, sweepVms, vmDensity, VM_PHASES, type VmKit } from '../../electron/lab/vm';
import { startGuest } from '../../electron/lab/vm/guest';
import { generateClientKey } from '../../electron/lab/vm/keys';
import { bootQemu, findQemu } from '../../electron/lab/vm/qemu';
import { claimVm, liveDir } from '../../electron/lab/vm/sweep';
import { tempDataDir } from '../helpers/datadir';

// The kernel comes from the test setup (test/fixtures/vm-kernel.sh), in the data directory CI uses; the
// rest of this file works in a throwaway data directory.
const setupEnv = { ...process.env };
const data = tempDataDir('isolab-vm-');
let kernel: string;
let kit: VmKit;
let qemu: string;

/** Every process whose command line carries `needle` (QEMU's -name isolab-...). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').includes(needle)) pids.push(Number(p));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

const never = new AbortController().signal;

beforeAll(async () => {
  kernel = process.env.ISOLAB_VM_KERNEL ?? execFileSync('bash', [path.resolve('test/fixtures/vm-kernel.sh')], { env: setupEnv, encoding: 'utf8' }).trim();
  qemu = await findQemu();
  kit = await ensureVmKit({ root: data.dir, kernel });
});
afterAll(() => data.cleanup());

describe('the VM kit', () => {
  it('is built once and reused while its inputs stay the same', async () => {
    expect(kit.kernelVersion).toMatch(/^\d+\.\d+/);
    expect(statSync(kit.initramfs).size).toBe(kit.sizes.initramfsBytes);
    expect(kit.hostKeyFingerprint).toMatch(/^SHA256:/);
    // Debian's cloud kernel has virtio_net as a module: it and its dependencies load first, on either transport.
    for (const list of [kit.modules.pci, kit.modules.mmio]) {
      if (list.length) expect(list.indexOf('virtio.ko')).toBeLessThan(list.indexOf('virtio_net.ko'));
    }
    if (kit.modules.pci.length) expect(kit.modules.pci).toContain('virtio_pci.ko');
    if (kit.modules.mmio.length) expect(kit.modules.mmio).toContain('virtio_mmio.ko');
    const again = await ensureVmKit({ root: data.dir, kernel });
    expect(again.built).toBe(false);
    expect(again.hash).toBe(kit.hash);
    expect(again.hostKeyPublic).toBe(kit.hostKeyPublic);
  });

  it('is built again when its client key cannot be read (kits made before the ssh2 key fix)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'isolab-kit-'));
    try {
      const first = await ensureVmKit({ root, kernel });
      // A 31-byte ed25519 key as ssh2 1.17 makes one time in 256: ssh2 cannot parse it back.
      writeFileSync(path.join(first.dir, 'client_key'), SHORT_ED25519_KEY);
      const again = await ensureVmKit({ root, kernel });
      expect(again.built).toBe(true);
      expect(again.clientKey).not.toBe(SHORT_ED25519_KEY);
      expect(again.hostKeyPublic).not.toBe(first.hostKeyPublic);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

const SHORT_ED25519_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMgAAAAtz
c2gtZWQyNTUxOQAAAB/BT/sJLAxAQIuHtpDruuPWVu1eIaj5pGf1EYMcSrTwAAAA
iGvj2gFr49oBAAAAC3NzaC1lZDI1NTE5AAAAH8FP+wksDEBAi4e2kOu649ZW7V4h
qPmkZ/URgxxKtPAAAAA/e3N5AcOMBdGJMjndxWlLBryzTRhqFUCiEqaZdglI69bB
T/sJLAxAQIuHtpDruuPWVu1eIaj5pGf1EYMcSrTwAAAABmlzb2xhYgE=
-----END OPENSSH PRIVATE KEY-----
`;

describe('the accelerator', () => {
  it('is one that passed a test boot, and the verdict is cached', async () => {
    const first = await detectAccelerator({ root: data.dir, kit, qemu });
    expect(['kvm', 'hvf', 'whpx', 'tcg']).toContain(first.accel);
    if (first.accel === 'tcg' && existsSync('/dev/kvm')) {
      // This machine's /dev/kvm does not run a stock kernel: the failed trial is recorded with QEMU's reason.
      expect(first.trials[0]).toMatchObject({ accel: 'kvm', ok: false });
    }
    const second = await detectAccelerator({ root: data.dir, kit, qemu });
    expect(second.accel).toBe(first.accel);
    if (first.trials.some((t) => t.accel !== 'tcg')) expect(second.cached).toBe(true);
    expect(processesWith(`-name isolab-accel-`)).toEqual([]);
  });
});

describe('QemuTarget boots a real guest', () => {
  it('times every phase in order, reaches SSH with the generated host key, and measures the footprint', async () => {
    const t = new QemuTarget({ runId: 'vmtest-boot', root: data.dir, kernel, accel: 'tcg' });
    await t.prepare(never);
    expect(t.model).toBe('vm:qemu-tcg');
    const seen: string[] = [];
    try {
      for (let i = 1; i <= 2; i++) {
        const marks = await t.iterate({ iteration: i, warmup: false, signal: never, onPhase: (p) => seen.push(p) });
        let prev = 0;
        for (const p of VM_PHASES) {
          expect(marks[p], p).toBeGreaterThanOrEqual(prev);
          prev = marks[p];
        }
        // The kernel's banner comes after the first serial byte; SSH after the guest said it was ready.
        expect(marks.kernel).toBeGreaterThan(marks.firmware);
        expect(marks.ssh).toBeGreaterThan(marks.ready);
      }
      expect(seen.slice(0, VM_PHASES.length)).toEqual([...VM_PHASES]);
      const env = await t.environment();
      expect(env.accelerator).toBe('tcg');
      expect(t.notes().map((n) => n.text).join(' ')).toMatch(/TCG/);
      const fp = (await t.footprint(never))!;
      // QEMU holds at least the guest's RAM that the guest touched, and the guest's own view is below its size.
      expect(fp.memory!.qemuRssBytes).toBeGreaterThan(32 * 2 ** 20);
      expect(fp.memory!.guestMemUsedBytes).toBeGreaterThan(0);
      expect(fp.memory!.guestMemUsedBytes).toBeLessThan(fp.memory!.guestMemTotalBytes);
      expect(fp.memory!.guestMemTotalBytes).toBeLessThanOrEqual(256 * 2 ** 20);
      expect(fp.disk!.kernelBytes).toBe(statSync(kit.vmlinuz).size);
      expect(fp.cpu!.qemuStartupCpuMs).toBeGreaterThan(0);
      const guest = fp.guestBoot as Record<string, number>;
      expect(guest.uptimeAtInitMs).toBeGreaterThan(0);
      expect(guest.uptimeAtInitMs).toBeLessThan(guest.uptimeAtSshMs);
    } finally {
      await t.dispose();
    }
    expect(processesWith('-name isolab-vmtest-boot')).toEqual([]);
    expect(readdirSync(liveDir(data.dir)).filter((d) => d.startsWith('vmtest-boot'))).toEqual([]);
  });

  it('refuses a guest whose SSH host key is not the one isolab generated', async () => {
    const forged: VmKit = { ...kit, hostKeyPublic: generateClientKey().publicLine };
    await expect(startGuest({ root: data.dir, runId: 'vmtest-forged', qemu, kit: forged, accel: 'tcg', memoryMiB: 256, signal: never, timeoutMs: 120_000 })).rejects.toThrow(
      /host key is not the one isolab generated/,
    );
    expect(processesWith('-name isolab-vmtest-forged')).toEqual([]);
  });

  it('kills QEMU at once when the run is cancelled mid-boot, and leaves no folder', async () => {
    const t = new QemuTarget({ runId: 'vmtest-cancel', root: data.dir, kernel, accel: 'tcg' });
    await t.prepare(never);
    const abort = new AbortController();
    let cancelledAt = 0;
    const p = t.iterate({
      iteration: 1,
      warmup: false,
      signal: abort.signal,
      onPhase: (phase) => {
        if (phase === 'kernel') {
          expect(processesWith('-name isolab-vmtest-cancel')).toHaveLength(1);
          cancelledAt = performance.now();
          abort.abort();
        }
      },
    });
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await t.dispose();
    expect(performance.now() - cancelledAt).toBeLessThan(2000);
    expect(processesWith('-name isolab-vmtest-cancel')).toEqual([]);
    expect(readdirSync(liveDir(data.dir)).filter((d) => d.startsWith('vmtest-cancel'))).toEqual([]);
  });
});

describe('sweepVms after a crash', () => {
  it('kills the QEMU of a dead isolab and removes its folder, and never touches a QEMU isolab did not start', async () => {
    // A dead owner: a process that has exited.
    const dead = spawn('true');
    await new Promise((r) => dead.once('exit', r));
    const vm = await claimVm(data.dir, 'vmtest-orphan', 'vmtest-orphan-1');
    const orphan = bootQemu({ qemu, vm, kit, accel: 'tcg', memoryMiB: 128, mode: 'run', signal: never });
    await orphan.waitFor('firmware', 60_000);
    const owner = JSON.parse(readFileSync(path.join(vm.dir, 'owner.json'), 'utf8'));
    writeFileSync(path.join(vm.dir, 'owner.json'), JSON.stringify({ ...owner, 'isolab.owner-pid': String(dead.pid) }));

    // A QEMU that is not isolab's, listed in a folder of a dead owner with its pid: it must survive.
    const foreignDir = await claimVm(data.dir, 'vmtest-foreign', 'vmtest-foreign-1');
    const foreign = spawn(qemu, ['-name', 'someone-else', '-nodefaults', '-display', 'none', '-machine', 'none', '-S'], { stdio: 'ignore' });
    await new Promise((r) => foreign.once('spawn', r));
    writeFileSync(path.join(foreignDir.dir, 'qemu.pid'), String(foreign.pid));
    writeFileSync(path.join(foreignDir.dir, 'owner.json'), JSON.stringify({ ...owner, 'isolab.owner-pid': String(dead.pid) }));

    // A VM whose owner is alive (this process) stays.
    const mine = await claimVm(data.dir, 'vmtest-alive', 'vmtest-alive-1');
    try {
      await new Promise((r) => setTimeout(r, 200)); // QEMU has written its pid file
      const swept = await sweepVms(data.dir);
      expect(swept.sort()).toEqual(['vmtest-foreign-1', 'vmtest-orphan-1']);
      await orphan.exited;
      expect(orphan.exitSignal).toBe('SIGKILL');
      expect(existsSync(vm.dir)).toBe(false);
      expect(foreign.exitCode).toBeNull();
      expect(processesWith('-name someone-else')).toEqual([foreign.pid]);
      expect(existsSync(mine.dir)).toBe(true);
    } finally {
      foreign.kill('SIGKILL');
      orphan.kill(0);
    }
  });
});

describe('density', () => {
  it('keeps VMs running side by side and reports what each new one adds', async () => {
    const d = await vmDensity({ count: 2, root: data.dir, kit, qemu, accel: 'tcg', memoryMiB: 128, runId: 'vmtest-density' });
    expect(d.stoppedBecause).toBeUndefined();
    expect(d.steps.map((s) => s.vms)).toEqual([1, 2]);
    for (const s of d.steps) {
      expect(s.addedPssBytes).toBeGreaterThan(16 * 2 ** 20);
      expect(s.marks.ssh).toBeGreaterThan(s.marks.ready!);
      expect(s.marks.shutdown).toBeUndefined();
    }
    expect(d.steps[1].totalPssBytes).toBeGreaterThan(d.steps[0].totalPssBytes);
    expect(d.shutdownMs).toHaveLength(2);
    expect(processesWith('-name isolab-vmtest-density')).toEqual([]);
  });
});

describe('isolab bench vm through the Lab', () => {
  it('saves a complete run with the accelerator in its environment and the VM footprint', async () => {
    const lab = new Lab('cli', data.dir);
    const run = await lab.bench({ target: 'vm', iterations: 1, warmup: 0, kernel, accel: 'tcg', baseline: false });
    expect(run.status).toBe('complete');
    expect(run.model).toBe('vm:qemu-tcg');
    expect(run.environment.accelerator).toBe('tcg');
    expect(run.phaseOrder).toEqual([...VM_PHASES]);
    expect(run.summary.ssh.median).toBeGreaterThan(0);
    expect(run.footprint?.memory?.qemuPssBytes).toBeGreaterThan(0);
    expect(run.notes.map((n) => n.text).join(' ')).toMatch(/emulation/);
    expect((await lab.getRun(run.id)).status).toBe('complete');
  });

  it('cancelled mid-boot: the run says cancelled and no QEMU of it survives', async () => {
    const lab = new Lab('cli', data.dir);
    const abort = new AbortController();
    let runId = '';
    const off = lab.onEvent((e) => {
      if (e.type === 'run-started') runId = e.runId;
      if (e.type === 'progress' && e.phase === 'init') abort.abort();
    });
    const run = await lab.bench({ target: 'vm', iterations: 3, warmup: 0, kernel, accel: 'tcg', baseline: false }, abort.signal);
    off();
    expect(run.status).toBe('cancelled');
    expect(runId).toBe(run.id);
    expect(processesWith(`-name isolab-${run.id}`)).toEqual([]);
    expect(readdirSync(liveDir(data.dir)).filter((d) => d.startsWith(run.id))).toEqual([]);
  });
});
