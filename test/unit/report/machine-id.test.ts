import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localMachineId, machineIdOf } from '../../../electron/lab/machine';
import { FACTS_COMMAND, probeAll } from '../../../electron/lab/remote/probes';
import type { ExecResult } from '../../../electron/lab/remote/connect';
import { Run } from '../../../shared/run';

const RAW = '0123456789abcdef0123456789abcdef';

describe('machine id: stable, derived, never the raw /etc/machine-id', () => {
  it('is the same for the same machine and differs between machines', () => {
    const a = machineIdOf(`${RAW}\n`);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(machineIdOf(RAW.toUpperCase())).toBe(a);
    expect(machineIdOf('1123456789abcdef0123456789abcdef')).not.toBe(a);
    expect(a).not.toBe(RAW);
    expect(a).not.toContain(RAW.slice(0, 8));
  });

  it('refuses what is not a machine id (empty, uninitialized, garbage)', () => {
    for (const raw of [undefined, '', 'uninitialized\n', '0'.repeat(32), 'zz3456789abcdef0123456789abcdef0', RAW + '00']) expect(machineIdOf(raw)).toBeUndefined();
  });

  const dir = mkdtemp(path.join(os.tmpdir(), 'isolab-machine-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('reads /etc/machine-id, else D-Bus\'s copy, else has none', async () => {
    const d = await dir;
    const dbus = path.join(d, 'dbus-machine-id');
    await writeFile(dbus, `${RAW}\n`);
    expect(await localMachineId([path.join(d, 'missing'), dbus])).toBe(machineIdOf(RAW));
    expect(await localMachineId([path.join(d, 'missing')])).toBeUndefined();
  });

  it('a remote host: read over SSH with the facts, hashed before it is kept', async () => {
    const facts = '@@os\nPRETTY_NAME="Debian"\n@@kernel\n6.1\n@@arch\nx86_64\n@@cpus\n2\n@@meminfo\nMemTotal: 1000 kB\n@@hostname\nh\n@@bootid\nb\n@@machineid\n' + RAW + '\n@@end\n';
    const exec = async (cmd: string): Promise<ExecResult> => ({ stdout: cmd === FACTS_COMMAND ? facts : '@@end\n', stderr: '', code: 0, ms: 1 });
    const probe = await probeAll(exec);
    expect(probe.facts.machineId).toBe(machineIdOf(RAW));
    expect(JSON.stringify(probe)).not.toContain(RAW);
  });

  it('documents made before the machine id still read', () => {
    const old = {
      schema: 'isolab.run/1', id: 'r1', kind: 'bench:process', model: 'process', status: 'complete', startedAt: '2026-01-01T00:00:00Z',
      environment: { host: { os: 'Debian', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0.1.0' },
      plan: {}, phaseOrder: [], samples: [], summary: {}, notes: [],
    };
    expect(Run.safeParse(old).success).toBe(true);
    expect(Run.safeParse({ ...old, environment: { ...old.environment, host: { ...old.environment.host, machineId: RAW.toUpperCase() } } }).success).toBe(false);
  });
});
