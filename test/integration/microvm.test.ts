import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../shared/run';
import { VM_PHASES } from '../../electron/lab/vm';
import { liveDir } from '../../electron/lab/vm/sweep';
import { tempDataDir } from '../helpers/datadir';

// The kernel comes from the test setup (test/fixtures/vm-kernel.sh) in the data directory CI uses; the runs
// go to a throwaway data directory.
const setupEnv = { ...process.env };
const data = tempDataDir('isolab-microvm-');
let kernel: string;

beforeAll(() => {
  kernel = process.env.ISOLAB_VM_KERNEL ?? execFileSync('bash', [path.resolve('test/fixtures/vm-kernel.sh')], { env: setupEnv, encoding: 'utf8' }).trim();
});
afterAll(() => data.cleanup());

/** Command lines of the QEMUs that boot from this test's data directory (their initramfs is in it). */
function qemusOfThisTest(): string[] {
  const out: string[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const args = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (args[0]?.includes('qemu-system') && args.some((a) => a.startsWith(data.dir))) out.push(args.join(' '));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function cli(args: string[], onTick?: () => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  expect(existsSync('dist/cli.mjs'), 'run `npm run build` before the integration tests').toBe(true);
  const child = spawn(process.execPath, [path.resolve('bin/isolab.mjs'), ...args], { env: { ...process.env, ISOLAB_DATA_DIR: data.dir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const tick = onTick && setInterval(onTick, 50);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearInterval(tick);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('isolab bench vm --machine microvm', () => {
  it('boots a real microvm to SSH on virtio-mmio: its own model, the same phases as the q35 VM, nothing left behind', async () => {
    const seen = new Set<string>();
    // --accel auto: the accelerator is detected as for the q35 VM, with a test boot of the microvm itself.
    const r = await cli(['bench', 'vm', '--machine', 'microvm', '--accel', 'auto', '--kernel', kernel, '--iterations', '1', '--warmup', '0', '--no-baseline', '--json'], () => {
      for (const c of qemusOfThisTest()) seen.add(c);
    });
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as Run;
    expect(run.status).toBe('complete');
    const accel = run.environment.accelerator;
    expect(run.model).toBe(`vm:microvm-${accel}`);
    expect(run.phaseOrder).toEqual([...VM_PHASES]);

    // Every phase ended, in order, on the serial marks the q35 VM is timed on.
    const marks = run.samples[0].marks as Record<string, number>;
    let prev = 0;
    for (const p of VM_PHASES) {
      expect(marks[p], p).toBeGreaterThanOrEqual(prev);
      prev = marks[p];
    }
    expect(marks.kernel).toBeGreaterThan(marks.firmware);
    expect(marks.ssh).toBeGreaterThan(marks.ready);

    // QEMU really ran the microvm machine with its network device on virtio-mmio (SSH worked through it).
    const booted = [...seen].filter((c) => c.includes('isolab.mode=run'));
    expect(booted.length, [...seen].join('\n')).toBeGreaterThan(0);
    for (const c of booted) {
      expect(c).toContain(`-machine microvm,accel=${accel},x-option-roms=off`);
      expect(c).toContain('virtio-net-device,netdev=n0');
      expect(c).not.toContain('virtio-net-pci');
      expect(c).toContain('isolab.virtio=mmio');
    }

    const vm = run.environment.vm as Record<string, unknown>;
    expect(vm).toMatchObject({ machine: 'microvm', machineType: 'microvm', virtio: 'mmio', firmware: expect.stringMatching(/qboot/) });
    expect(vm.modules).toEqual(expect.arrayContaining(['virtio_mmio.ko', 'virtio_net.ko']));
    expect(vm.modules).not.toContain('virtio_pci.ko');
    if (accel === 'tcg') {
      // No timer to calibrate against: the guest was given the host's TSC rate, and the run says so.
      expect((vm.guestTsc as { khz: number }).khz).toBeGreaterThan(100_000);
      expect(booted[0]).toContain(`tsc_early_khz=${(vm.guestTsc as { khz: number }).khz} tsc=reliable`);
      expect(run.notes.map((n) => n.text).join(' ')).toMatch(/tsc_early_khz/);
      // A /dev/kvm that is here was tried first, with a microvm test boot, and its verdict recorded.
      if (existsSync('/dev/kvm')) {
        expect((vm.accelTrials as { accel: string }[])[0].accel).toBe('kvm');
        expect([...seen].filter((c) => c.includes('isolab.mode=probe')).join('\n')).toContain('-machine microvm,accel=kvm');
      }
    }
    expect(run.footprint?.memory?.qemuPssBytes).toBeGreaterThan(0);
    expect((run.footprint?.guestBoot as Record<string, number>).uptimeAtInitMs).toBeGreaterThan(0);

    // The terminal report names the machine.
    const shown = await cli(['runs', 'show', run.id]);
    expect(shown.stdout).toMatch(/vm: microvm, qboot/);

    expect(qemusOfThisTest()).toEqual([]);
    expect(existsSync(liveDir(data.dir)) ? readdirSync(liveDir(data.dir)) : []).toEqual([]);
  });
});
