import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerFacts, hostProcessView, vmFacts } from '../../electron/lab/isolation';
import { PROBE_LIMITS } from '../../electron/lab/isolation/container';
import { connectDocker, type EngineConnection } from '../../electron/lab/docker/engine';
import { LABEL_RUN } from '../../electron/lab/labels';
import { Lab } from '../../electron/lab/lab';
import { compareFacts } from '../../shared/learn/facts';
import { tempDataDir } from '../helpers/datadir';

// The kernel from the test setup (test/fixtures/vm-kernel.sh, in the setup's data dir); the rest runs in a
// throwaway data directory.
const setupEnv = { ...process.env };
const data = tempDataDir('isolab-isolation-');
let conn: EngineConnection;
const never = new AbortController().signal;

beforeAll(async () => {
  process.env.ISOLAB_VM_KERNEL ??= execFileSync('bash', [path.resolve('test/fixtures/vm-kernel.sh')], { env: setupEnv, encoding: 'utf8' }).trim();
  conn = await connectDocker();
});
afterAll(() => data.cleanup());

async function labelled(runId: string) {
  return conn.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
}

describe('live isolation facts', () => {
  it('host: isolab\'s own namespaces, seccomp, capabilities and kernel', async () => {
    const h = await hostProcessView();
    expect(h.kernel?.release).toBe(os.release());
    expect(Object.keys(h.namespaces)).toEqual(expect.arrayContaining(['pid', 'mnt', 'net', 'uts', 'ipc']));
    expect(h.namespaces.pid).toMatch(/^pid:\[\d+\]$/);
    expect(h.capEff).toMatch(/^[0-9a-f]+$/);
  });

  it('container: the same kernel as the host, its own namespaces, seccomp filter, fewer capabilities, the limits isolab set; removed after', async () => {
    const h = await hostProcessView();
    const c = await containerFacts(conn, { runId: 'isotest-container', signal: never });
    expect(c.kernel?.release).toBe(h.kernel?.release);
    for (const ns of ['pid', 'mnt', 'net', 'uts', 'ipc']) expect(c.namespaces[ns], ns).not.toBe(h.namespaces[ns]);
    expect(c.seccomp).toBe(2);
    expect(c.capabilities!.length).toBeLessThan(h.capabilities!.length);
    expect(c.capabilities).not.toContain('CAP_SYS_ADMIN');
    expect(c.limits.memoryBytes).toBe(PROBE_LIMITS.memoryBytes);
    expect(c.limits.pids).toBe(PROBE_LIMITS.pids);
    expect(c.limits.cpus).toBeCloseTo(PROBE_LIMITS.cpus);
    const facts = compareFacts(h, c, { side: 'vm', source: 'x', namespaces: {}, limits: {} }, new Date().toISOString());
    expect(facts.containerSharesKernel).toBe(true);
    // The engine's own account agrees: this engine runs on this kernel, with runc, and the probe may not read the log.
    expect(c.engine).toMatchObject({ osType: 'linux', kernelVersion: h.kernel?.release, runtime: 'runc' });
    expect(c.dmesg).toBeUndefined();
    expect(facts.containerKernel).toMatchObject({ code: 'hostKernel', release: h.kernel?.release, runtime: 'runc' });
    expect(facts.sharedNamespaces).not.toContain('pid');
    expect(await labelled('isotest-container')).toEqual([]);
  });

  it('vm without a boot: the release in the kit\'s kernel image header', async () => {
    const v = await vmFacts({ root: data.dir, runId: 'isotest-vm', signal: never, boot: false });
    expect(v.error).toBeUndefined();
    expect(v.kernel?.release).toMatch(/^\d+\.\d+/);
  });

  it('vm booted: the guest answers with its own kernel and its own namespaces', async () => {
    const h = await hostProcessView();
    const v = await vmFacts({ root: data.dir, runId: 'isotest-vmboot', signal: never, boot: true });
    const kit = await vmFacts({ root: data.dir, runId: 'isotest-vm', signal: never, boot: false });
    expect(v.kernel?.release).toBe(kit.kernel?.release);
    // This machine's host runs another kernel than Debian's cloud kernel the guest boots.
    expect(v.kernel?.release).not.toBe(h.kernel?.release);
    expect(v.namespaces.pid).toMatch(/^pid:\[\d+\]$/);
    expect(v.seccomp).toBe(0);
  });
});

describe('the workshop race through the Lab', () => {
  it('starts N containers against one VM from one zero point, emits every mark, and leaves nothing behind', async () => {
    const lab = new Lab('cli', data.dir);
    const events: string[] = [];
    lab.onEvent((e) => events.push(e.type));
    const { raceId } = await lab.startRace({ containers: 3 });
    await lab.workshop.settled();
    const s = (await lab.raceState())!;
    expect(s.error).toBeUndefined();
    expect(s.status).toBe('complete');
    const sum = s.summary!;
    expect(sum.containerReadyMedianMs).toBeGreaterThan(0);
    expect(sum.vmSshMs).toBeGreaterThan(sum.containerReadyMedianMs!);
    expect(sum.containerKernel).toBe(os.release());
    expect(sum.vmKernel).toMatch(/^\d+\.\d+/);
    expect(sum.vmKernel).not.toBe(sum.containerKernel);
    for (const lane of ['c1', 'c2', 'c3']) {
      // Ready is the container's first output, the start call's answer `started`: marked as they happened.
      const marks = s.marks.filter((m) => m.lane === lane);
      expect(marks.map((m) => m.phase).sort()).toEqual(['create', 'exit', 'ready', 'remove', 'started']);
      expect(marks.map((m) => m.atMs)).toEqual(marks.map((m) => m.atMs).sort((a, b) => a - b));
    }
    expect(s.marks.filter((m) => m.lane === 'vm').map((m) => m.phase)).toEqual(['spawn', 'firmware', 'kernel', 'init', 'ready', 'ssh', 'shutdown']);
    expect(events[0]).toBe('race-started');
    expect(events.at(-1)).toBe('race-finished');
    expect(events.filter((e) => e === 'race-mark').length).toBe(s.marks.length);
    expect(await labelled(raceId)).toEqual([]);
    console.log(`race: ${JSON.stringify(sum)}`);
  });

  it('races gVisor containers against a microVM when asked, and says so in its summary', async () => {
    const runtimes = Object.keys((await conn.docker.info()).Runtimes ?? {});
    expect(runtimes, 'this test needs runsc registered in dockerd (bash .ci/run does it)').toContain('runsc');
    const lab = new Lab('cli', data.dir);
    const { raceId } = await lab.startRace({ containers: 2, runtime: 'runsc', machine: 'microvm' });
    await lab.workshop.settled();
    const s = (await lab.raceState())!;
    expect(s.error).toBeUndefined();
    expect(s.status).toBe('complete');
    const sum = s.summary!;
    expect(sum).toMatchObject({ containerRuntime: 'runsc', vmMachine: 'microvm' });
    // gVisor's Sentry answers uname with its own release, not the host's: the containers really ran under runsc.
    expect(sum.containerKernel).toMatch(/^\d+\.\d+/);
    expect(sum.containerKernel).not.toBe(os.release());
    // The microVM has no firmware phase worth the name but the same lanes; it reached SSH and powered off.
    expect(s.marks.filter((m) => m.lane === 'vm').map((m) => m.phase)).toEqual(expect.arrayContaining(['spawn', 'ssh', 'shutdown']));
    expect(await labelled(raceId)).toEqual([]);
    console.log(`race runsc vs microvm: ${JSON.stringify(sum)}`);
  });

  it('a cancelled race kills the VM and removes the containers', async () => {
    const lab = new Lab('cli', data.dir);
    const { raceId } = await lab.startRace({ containers: 2 });
    await new Promise<void>((resolve) => lab.onEvent((e) => e.type === 'race-mark' && e.lane === 'vm' && e.phase === 'kernel' && resolve()));
    expect(await lab.cancelRace(raceId)).toBe(true);
    expect((await lab.raceState())!.status).toBe('cancelled');
    expect(await labelled(raceId)).toEqual([]);
    const qemus = execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((l) => l.includes(`isolab-${raceId}`));
    expect(qemus).toEqual([]);
  });

  it('density and kernels: measured now, the VM from the last race, and broadcast for the audience', async () => {
    const lab = new Lab('cli', data.dir);
    const views: unknown[] = [];
    lab.onEvent((e) => e.type === 'workshop-view' && views.push(e.view));
    await lab.startRace({ containers: 1 });
    await lab.workshop.settled();
    const race = (await lab.raceState())!;
    expect(race.status).toBe('complete');
    const d = await lab.densityDemo();
    expect(d.container.error).toBeUndefined();
    expect(d.container.perInstanceBytes).toBeGreaterThan(100 * 1024);
    expect(d.vm).toMatchObject({ how: 'vmRace', ref: race.raceId, perInstanceBytes: race.summary!.vmPssBytes });
    expect(d.container.fits).toBeGreaterThan(d.vm.fits ?? 0);
    expect(await labelled(`density-demo-${process.pid}`)).toEqual([]);
    const k = await lab.workshopKernels();
    expect(k).toEqual({ host: os.release(), container: os.release(), vm: race.summary!.vmKernel, vmBooted: true });
    await lab.setWorkshopDemo('shared');
    expect(await lab.workshopView()).toMatchObject({ demo: 'shared', density: { budgetBytes: 1024 ** 3 }, kernels: k });
    expect(views).toHaveLength(3);
  });
});
