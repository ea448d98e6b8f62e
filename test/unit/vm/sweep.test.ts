import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimVm, isOurQemu, liveDir, sweepVms } from '../../../electron/lab/vm/sweep';

const root = mkdtempSync(path.join(os.tmpdir(), 'isolab-vmsweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const p = spawn('true');
  await new Promise((r) => p.once('exit', r));
  return p.pid!;
}

describe('sweepVms', () => {
  it('leaves the folders of a live owner and removes those of a dead one, without killing a process that is not its QEMU', async () => {
    const live = await claimVm(root, 'run-live', 'run-live-1');
    const dead = await claimVm(root, 'run-dead', 'run-dead-1');
    const owner = JSON.parse(readFileSync(path.join(dead.dir, 'owner.json'), 'utf8'));
    writeFileSync(path.join(dead.dir, 'owner.json'), JSON.stringify({ ...owner, 'isolab.owner-pid': String(await deadPid()) }));
    // The pid file names a process that is not a QEMU (a reused pid, say): it must survive the sweep.
    const bystander = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((r) => bystander.once('spawn', r));
    writeFileSync(path.join(dead.dir, 'qemu.pid'), String(bystander.pid));
    try {
      expect(await isOurQemu(bystander.pid!, 'run-dead-1')).toBe(false);
      expect(await sweepVms(root)).toEqual(['run-dead-1']);
      expect(existsSync(dead.dir)).toBe(false);
      expect(existsSync(live.dir)).toBe(true);
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
    } finally {
      bystander.kill('SIGKILL');
    }
  });

  it('leaves a folder of another host alone', async () => {
    const other = await claimVm(root, 'run-other', 'run-other-1');
    const owner = JSON.parse(readFileSync(path.join(other.dir, 'owner.json'), 'utf8'));
    writeFileSync(path.join(other.dir, 'owner.json'), JSON.stringify({ ...owner, 'isolab.owner-host': 'not-this-host', 'isolab.owner-pid': String(await deadPid()) }));
    expect(await sweepVms(root)).not.toContain('run-other-1');
    expect(existsSync(other.dir)).toBe(true);
  });

  it('removes a folder that never got an owner only once it is stale', async () => {
    const dir = path.join(liveDir(root), 'half-claimed');
    mkdirSync(dir, { recursive: true });
    expect(await sweepVms(root)).not.toContain('half-claimed');
    const old = new Date(Date.now() - 120_000);
    utimesSync(dir, old, old);
    expect(await sweepVms(root)).toContain('half-claimed');
  });
});
