import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comparison } from '../../shared/compare';
import { Plan } from '../../shared/plan';
import { connectDocker } from '../../electron/lab/docker/engine';
import { Lab } from '../../electron/lab/lab';
import { LABEL_OWNER_PID } from '../../electron/lab/labels';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
let docker: Docker;
const ours = async () => docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER_PID}=${process.pid}`] } });

beforeAll(async () => {
  docker = (await connectDocker()).docker;
});
afterAll(() => data.cleanup());

describe('compare: every model on this host with one plan', () => {
  it('measures the floor, each engine runtime and the raw OCI runtimes, saying plainly which cannot run here', async () => {
    const lab = new Lab('cli', data.dir);
    const lines: string[] = [];
    const c = await lab.compare({ plan: Plan.parse({ startup: { iterations: 5, warmup: 1 }, footprint: { instances: 3, settleMs: 200 } }) }, undefined, (l) => lines.push(l));

    expect(Comparison.safeParse(c).success).toBe(true);
    expect(c.status).toBe('complete');
    const byModel = new Map(c.models.map((m) => [m.model, m]));
    const engineRuntimes = Object.keys((await docker.info()).Runtimes ?? {});
    // Every runtime the engine lists is a model, or an alias of the model that ran the same program.
    const named = new Set(c.models.flatMap((m) => [m.model, ...(m.aliases ?? []).map((a) => `container:${a}`)]));
    for (const rt of engineRuntimes) expect(named.has(`container:${rt}`), rt).toBe(true);
    if (engineRuntimes.includes('io.containerd.runc.v2')) expect(byModel.get('container:runc')!.aliases).toContain('io.containerd.runc.v2');
    // The plan fixed its counts: kept, and recorded as such.
    expect(byModel.get('process')!.adaptive!.figures.find((f) => f.figure === 'startup')!.stopReason).toBe('fixed-count');
    expect(c.adaptive!.budget).toBeUndefined();

    const floor = byModel.get('process')!;
    expect(floor.status).toBe('ok');
    expect(floor.startup!.readyMs).toHaveLength(5);
    const runc = byModel.get('container:runc')!;
    expect(runc.status).toBe('ok');
    // A container is slower than a bare process: the ratio is above 1 and its interval holds the point estimate.
    expect(runc.ratios!.ready!.ratio).toBeGreaterThan(1);
    expect(runc.ratios!.ready!.ci95[0]).toBeLessThanOrEqual(runc.ratios!.ready!.ratio);
    expect(runc.ratios!.ready!.ci95[1]).toBeGreaterThanOrEqual(runc.ratios!.ready!.ratio);
    expect(runc.footprint!.memory.cgroupBytes).toBeGreaterThan(0);
    expect(runc.footprint!.memory.helperPssBytes).toBeGreaterThan(1024 * 1024);

    // Every model that did not run says why in one line; none of them stopped the comparison.
    for (const m of c.models) {
      if (m.status !== 'ok') expect(m.error, m.model).toMatch(/\S/);
      else expect(m.startup!.readyMs.length, m.model).toBe(5);
    }
    if (process.getuid?.() === 0 && existsSync('/usr/sbin/runc')) {
      const raw = byModel.get('oci:runc')!;
      expect(raw.status).toBe('ok');
      // Without dockerd, containerd and the shim, the raw runtime starts faster than through the engine.
      expect(raw.startup!.ready.median).toBeLessThan(runc.startup!.ready.median);
    }
    // Every row that cannot run carries its reason as a code (the registry's), beside the English line.
    for (const m of c.models.filter((x) => x.status === 'unavailable')) expect(m.reason?.code, m.model).toMatch(/^[a-z-]+$/);
    // The microVM sits beside the full VM: where one boots here, so does the other (the same kit and accelerator).
    const vm = c.models.find((m) => m.model.startsWith('vm:qemu'));
    const microvm = c.models.find((m) => m.model.startsWith('vm:microvm'));
    expect(microvm, 'vm:microvm is listed').toBeDefined();
    if (vm?.status === 'ok') expect(microvm!.status, microvm!.error).toBe('ok');
    // Swarm is listed, never run without consent: this engine is in no swarm, and the comparison left it so.
    const swarmBefore = (await docker.info()).Swarm?.LocalNodeState;
    if (swarmBefore === 'inactive') {
      expect(byModel.get('swarm')).toMatchObject({ status: 'unavailable', reason: { code: 'swarm-needs-consent', params: { command: 'isolab bench swarm --create-swarm' } } });
    }
    // What is not installed here is a row with a code and how to add it, never a number.
    for (const [model, tool] of [['vm:firecracker', 'firecracker'], ['vm:cloud-hypervisor', 'cloud-hypervisor'], ['podman', 'podman'], ['lxc', 'lxc-start']]) {
      const onPath = (process.env.PATH ?? '').split(':').some((d) => existsSync(path.join(d, tool)));
      if (!onPath) expect(byModel.get(model), model).toMatchObject({ status: 'unavailable', reason: { code: 'not-installed' } });
      expect(byModel.get(model)?.startup, model).toBeUndefined();
    }

    // The Run of each model's startup is saved and linked.
    for (const m of c.models.filter((x) => x.runId && x.status === 'ok')) expect((await lab.getRun(m.runId!)).kind).toBe('compare:startup');
    expect((await lab.listComparisons())[0].id).toBe(c.id);

    // Nothing is left: no containers, no raw runtime containers, no bundles.
    expect(await ours()).toHaveLength(0);
    const rawLeft = execFileSync('runc', ['list', '-q']).toString().split('\n').filter((id) => id.startsWith(`isolab-${process.pid}-`));
    expect(rawLeft).toEqual([]);
    const bundles = path.join(data.dir, 'bundles');
    expect(existsSync(bundles) ? readdirSync(bundles) : []).toEqual([]);
    console.log(JSON.stringify(c.models.map((m) => ({ model: m.model, status: m.status, error: m.error, ready: m.startup?.ready.median, ratio: m.ratios?.ready, mem: m.footprint?.memory })), null, 1));
  }, 600_000); // every model of this host, the microVM beside the q35 VM where a kernel is at hand: minutes on a loaded machine

  it('gives a per-model error for a model the host does not have, and still runs the rest', async () => {
    const lab = new Lab('cli', data.dir);
    const c = await lab.compare({ plan: Plan.parse({ models: ['process', 'container:nosuchruntime'], startup: { iterations: 3, warmup: 0 }, footprint: false }) });
    expect(c.models.find((m) => m.model === 'process')!.status).toBe('ok');
    const missing = c.models.find((m) => m.model === 'container:nosuchruntime')!;
    expect(missing.status).toBe('unavailable');
    expect(missing.error).toMatch(/not a model of this host/);
    expect(missing.reason).toEqual({ code: 'not-on-host', params: { model: 'container:nosuchruntime' } });
  });
});
