import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comparison } from '../../shared/compare';
import type { CompareRequest } from '../../shared/api';
import { agreeAfterAllowance, okModel, ownedTmpDirs } from '../helpers/remote-agreement';
import { Lab } from '../../electron/lab/lab';
import { tempDataDir } from '../helpers/datadir';
import { loopbackHostForFile } from '../fixtures/sshd';

// vm:qemu on a remote host: the loopback sshd (this machine, with QEMU, logged in as root) gets this machine's VM kit
// uploaded and each boot timed by one bash exec on its clock. Its boot median must agree with a local vm:qemu's,
// with no SSH allowance (the clock is the remote host's), and no QEMU nor kit dir of it may be left on the host.
const setupEnv = { ...process.env };
const data = tempDataDir('isolab-cmphost-vm-');
const planted: string[] = [];
loopbackHostForFile('lab-qemu');
beforeAll(() => {
  // The guest kernel of the test setup (test/fixtures/vm-kernel.sh), for the local run and the kit uploaded.
  process.env.ISOLAB_VM_KERNEL ??= execFileSync('bash', [path.resolve('test/fixtures/vm-kernel.sh')], { env: setupEnv, encoding: 'utf8' }).trim();
});
afterAll(() => {
  for (const d of planted) rmSync(d, { recursive: true, force: true });
  data.cleanup();
});

/** Fixed counts, few boots (one takes 2-5 s under TCG): 6 is the fewest whose order statistics give a 95% interval. */
const request = (host?: string): CompareRequest => ({ plan: { models: ['vm:qemu'], footprint: false, startup: { iterations: 6, warmup: 0 } }, host });

/** QEMU processes carrying the marker of a remote boot of this test process (`-name isolab-HOST-PID-bN`). */
function ourQemus(): number[] {
  const needle = `-name isolab-${os.hostname().replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 32)}-${process.pid}-b`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function plant(name: string, owner: Record<string, unknown>): string {
  const dir = path.join('/tmp', `isolab-vm-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'isolab-owner.json'), JSON.stringify(owner) + '\n');
  planted.push(dir);
  return dir;
}

describe('vm:qemu on a remote host (loopback sshd)', () => {
  it('boots there on the remote clock, agrees with the local vm:qemu, and sweeps only what an ended isolab left', async () => {
    const tag = Math.random().toString(36).slice(2, 10).replace(/[^a-z0-9]/g, 'x');
    const owner = (pid: number) => ({ 'isolab.managed': 'true', 'isolab.owner-pid': pid, 'isolab.owner-host': os.hostname() });
    const orphan = plant(`orph${tag}`, owner(spawnSync('true').pid!));
    const alive = plant(`live${tag}`, owner(1));

    const lab = new Lab('cli', data.dir);
    const t0 = Date.now();
    const say = (l: string) => process.env.ISOLAB_TEST_TRACE && console.error(`${((Date.now() - t0) / 1000).toFixed(1)}s ${l}`);
    const local = await lab.compare(request(), undefined, say);
    const lines: string[] = [];
    const remote = await lab.compare(request('lab-qemu'), undefined, (l) => (lines.push(l), say(l)));
    expect(Comparison.safeParse(remote).error?.issues ?? []).toEqual([]);
    expect(remote.status, JSON.stringify(remote.models)).toBe('complete');

    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(alive)).toBe(true);
    expect(lines.join('\n')).toMatch(/removed 1 VM kit dir/);

    // The accelerator is in the name as locally (no /dev/kvm, or one that hangs, here: TCG); the same phases, each on
    // the remote shell's clock, `ssh` and `shutdown` saying what they measure there.
    const l = okModel(local, 'vm:qemu');
    const r = okModel(remote, 'vm:qemu');
    expect(r.model).toBe(l.model);
    expect(r.startup!.phaseOrder).toEqual(l.startup!.phaseOrder);
    expect(r.clock).toMatchObject({ clock: 'remote-shell', sshAllowanceMs: 0, phases: { kernel: { clock: 'remote-shell' }, ready: { clock: 'remote-shell' }, ssh: { measures: 'ssh-banner' }, shutdown: { measures: 'qemu-terminated' } } });
    expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['remote-shell-clock', ...(r.model.endsWith('-tcg') ? ['vm-tcg'] : [])]));
    for (const p of l.startup!.phaseOrder) expect(r.startup!.summary[p]?.median, p).toBeGreaterThanOrEqual(0);
    // QEMU's PSS at ready, read from the remote /proc inside each boot's exec, as the local run reads it.
    expect(r.footprint?.memory.helperPssBytes, JSON.stringify(r.notes)).toBeGreaterThan(16 * 2 ** 20);
    expect(ownedTmpDirs('isolab-vm-')).toEqual([]);
    expect(ourQemus()).toEqual([]);

    // Agreement of the boot to ready (the guest's marker), as compare-host.test.ts judges it; when they differ, a
    // local run after the remote one says whether the machine's load moved meanwhile.
    const v = agreeAfterAllowance(l.startup!.readyMs, r.startup!.readyMs, r.clock!.sshAllowanceMs);
    console.log(JSON.stringify({ vm: v, local: l.startup!.ready.median, remote: r.startup!.ready.median, clock: r.clock, uptime: os.loadavg() }));
    if (v.verdict === 'differ') {
      const after = okModel(await lab.compare(request(), undefined, say), 'vm:qemu').startup!.readyMs;
      const drift = agreeAfterAllowance(l.startup!.readyMs, after, 0);
      const again = agreeAfterAllowance([...l.startup!.readyMs, ...after], r.startup!.readyMs, 0);
      console.log(JSON.stringify({ drift: drift.verdict, again }));
      if (drift.verdict === 'agree') expect(again.verdict, JSON.stringify(again)).not.toBe('differ');
    }
  }, 240_000);

  it('a comparison cancelled mid-boot leaves no QEMU and no kit dir on the host', async () => {
    const lab = new Lab('cli', data.dir);
    const ac = new AbortController();
    let seen = false;
    // Cancelled as soon as a boot's QEMU runs there.
    const watch = setInterval(() => {
      if (!seen && ourQemus().length) {
        seen = true;
        ac.abort();
      }
    }, 50);
    const req = request('lab-qemu');
    const t0 = Date.now();
    const say = (l: string) => process.env.ISOLAB_TEST_TRACE && console.error(`${((Date.now() - t0) / 1000).toFixed(1)}s ${l}`);
    const c = await lab.compare({ ...req, plan: { ...req.plan, startup: { iterations: 50, warmup: 0 } } }, ac.signal, say).finally(() => clearInterval(watch));
    expect(seen, 'a QEMU ran before the cancel').toBe(true);
    expect(c.status).toBe('cancelled');
    expect(ourQemus()).toEqual([]);
    expect(ownedTmpDirs('isolab-vm-')).toEqual([]);
  }, 120_000);
});
