import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Comparison, type ModelResult } from '../../shared/compare';
import type { CompareRequest } from '../../shared/api';
import type { PlanInput } from '../../shared/plan';
import { agreeAfterAllowance } from '../helpers/remote-agreement';
import { Lab } from '../../electron/lab/lab';
import { tempDataDir } from '../helpers/datadir';
import { loopbackHostForFile } from '../fixtures/sshd';

// oci:runc on a remote host: the loopback sshd (this machine, logged in as root) gets a bundle made there over SSH
// and each start timed by a shell on its clock. Its medians must agree with the local oci:runc's, with no SSH
// allowance (the clock is the remote host's), and nothing of it may be left on the host.
const data = tempDataDir('isolab-cmphost-oci-');
const planted: string[] = [];
loopbackHostForFile('lab-oci');
afterAll(() => {
  for (const d of planted) rmSync(d, { recursive: true, force: true });
  data.cleanup();
});

const request = (host?: string, workload?: PlanInput['workload']): CompareRequest => ({
  plan: { models: ['oci:runc'], footprint: false, startup: { iterations: 10, warmup: 1 }, ...(workload ? { workload } : {}) },
  host,
});

function ready(c: Comparison, model: string): ModelResult {
  const m = c.models.find((x) => x.model === model);
  expect(m?.status, `${model}: ${m?.error}`).toBe('ok');
  return m!;
}

/** isolab's bundle dirs in /tmp made by this test process (its pid in the owner file). */
function ourBundleDirs(): string[] {
  return readdirSync('/tmp')
    .filter((n) => n.startsWith('isolab-oci-'))
    .map((n) => path.join('/tmp', n))
    .filter((d) => spawnSync('grep', ['-qs', `"isolab.owner-pid":${process.pid}`, path.join(d, 'isolab-owner.json')]).status === 0);
}

/** runc containers whose id carries this process's pid (the local and the remote oci model's prefix). */
function ourContainers(): string[] {
  return execFileSync('runc', ['list', '-q'], { encoding: 'utf8' }).split('\n').filter((id) => id.startsWith(`isolab-${process.pid}-`));
}

/** A bundle dir as an aborted isolab would leave it (owner gone), and two isolab must not touch. */
function plant(name: string, owner?: Record<string, unknown>): string {
  const dir = path.join('/tmp', `isolab-oci-${name}`);
  mkdirSync(path.join(dir, 'isolab-1-1-ab'), { recursive: true });
  if (owner) writeFileSync(path.join(dir, 'isolab-owner.json'), JSON.stringify(owner) + '\n');
  planted.push(dir);
  return dir;
}

describe('oci:runc on a remote host (loopback sshd)', () => {
  it('is measured there on the remote clock, agrees with the local oci:runc, and sweeps only what an aborted isolab left', async () => {
    const tag = Math.random().toString(36).slice(2, 10).replace(/[^a-z0-9]/g, 'x');
    const dead = spawnSync('true').pid!; // a pid that has ended
    const owner = (pid: number) => ({ 'isolab.managed': 'true', 'isolab.owner-pid': pid, 'isolab.owner-host': os.hostname(), runtime: '/usr/sbin/runc' });
    const orphan = plant(`orph${tag}`, owner(dead));
    const alive = plant(`live${tag}`, owner(1));
    const foreign = plant(`frgn${tag}`);

    const lab = new Lab('cli', data.dir);
    const t0 = Date.now();
    const say = (l: string) => process.env.ISOLAB_TEST_TRACE && console.error(`${((Date.now() - t0) / 1000).toFixed(1)}s ${l}`);
    const local = await lab.compare(request(), undefined, say);
    const lines: string[] = [];
    const remote = await lab.compare(request('lab-oci'), undefined, (l) => (lines.push(l), say(l)));
    expect(Comparison.safeParse(remote).error?.issues ?? []).toEqual([]);
    expect(remote.status, JSON.stringify(remote.models)).toBe('complete');

    // The sweep: the orphan went, a live owner's and a dir without isolab's owner file stayed.
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(alive)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
    expect(lines.join('\n')).toMatch(/removed 1 OCI bundle dir/);

    // Timed on the remote clock with the local driver's phases; where the bundle was, and nothing left of it.
    const r = ready(remote, 'oci:runc');
    expect(r.clock).toMatchObject({ clock: 'remote-shell', sshAllowanceMs: 0 });
    expect(r.startup!.phaseOrder).toEqual(ready(local, 'oci:runc').startup!.phaseOrder);
    expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['remote-shell-clock', 'remote-oci-bundle']));
    expect(ourBundleDirs()).toEqual([]);
    expect(ourContainers()).toEqual([]);

    // Agreement, as compare-host.test.ts judges it: a local run after the remote one says whether the load drifted.
    const after = await lab.compare(request(), undefined, say);
    const before = ready(local, 'oci:runc').startup!.readyMs;
    const later = ready(after, 'oci:runc').startup!.readyMs;
    const drift = agreeAfterAllowance(before, later, 0);
    const v = agreeAfterAllowance([...before, ...later], r.startup!.readyMs, r.clock!.sshAllowanceMs);
    console.log(JSON.stringify({ oci: v, drift: drift.verdict, clock: r.clock, uptime: os.loadavg() }));
    if (drift.verdict === 'agree') expect(v.verdict, JSON.stringify(v)).not.toBe('differ');
  }, 300_000);

  it('a comparison cancelled mid-start leaves no container and no bundle on the host', async () => {
    const lab = new Lab('cli', data.dir);
    const ac = new AbortController();
    let startsSeen = 0;
    // `sleep`: each start leaves a running container until its delete, the case an abort must not strand.
    const req = request('lab-oci', { kind: 'sleep', timeoutMs: 30_000 });
    const run = lab.compare({ ...req, plan: { ...req.plan, startup: { iterations: 200, warmup: 0 } } }, ac.signal, (l) => {
      // 300 ms into the next start (each is one exec that holds a running container until its delete).
      if (/oci:runc: startup: \d+ start/.test(l) && !startsSeen++) setTimeout(() => ac.abort(), 300);
    });
    const c = await run;
    expect(c.status).toBe('cancelled');
    expect(startsSeen, 'the abort came after a start').toBeGreaterThan(0);
    expect(c.models.find((m) => m.model === 'oci:runc')?.status).toBe('cancelled');
    expect(ourBundleDirs()).toEqual([]);
    expect(ourContainers()).toEqual([]);
  }, 120_000);
});
