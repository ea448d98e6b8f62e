import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerReadyMs, startCallLag } from '../../shared/readiness';
import { Run } from '../../shared/run';
import { connectDocker } from '../../electron/lab/docker/engine';
import { sweepContainers } from '../../electron/lab/docker/sweep';
import { Lab } from '../../electron/lab/lab';
import os from 'node:os';
import { LABEL_IMAGE, LABEL_MANAGED, LABEL_OWNER_HOST, LABEL_OWNER_PID, LABEL_RUN } from '../../electron/lab/labels';
import { PROBE_IMAGE } from '../../electron/lab/images/probe';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
let docker: Docker;

const labelled = async (label: string) =>
  docker.listContainers({ all: true, filters: { label: [label] } });

beforeAll(async () => {
  docker = (await connectDocker()).docker;
});
afterAll(() => data.cleanup());

describe('container startup benchmark against the real engine', () => {
  it('runs 5 iterations whose phases are all present, in order, and add up', async () => {
    const lab = new Lab('cli', data.dir);
    const events: string[] = [];
    lab.onEvent((e) => events.push(e.type));
    const run = await lab.bench({ target: 'containers', iterations: 5, warmup: 1 });

    expect(run.status).toBe('complete');
    expect(run.model).toMatch(/^container:/);
    expect(run.environment.engine?.version).toBeTruthy();
    expect(run.environment.engine?.storageDriver).toBeTruthy();
    expect(run.phaseOrder).toEqual(['create', 'firstOutput', 'started', 'exit', 'remove']);
    expect(run.samples).toHaveLength(6);
    expect(run.samples.filter((s) => s.warmup)).toHaveLength(1);
    for (const s of run.samples) {
      // Marks in the order they happened (the first output and the start call's answer may swap), each phase
      // running from the mark before it.
      const inTime = Object.keys(s.marks);
      expect([...inTime].sort((a, b) => s.marks[a] - s.marks[b]), `iteration ${s.iteration}`).toEqual(inTime);
      expect([...inTime].sort()).toEqual([...run.phaseOrder].sort());
      let prev = 0;
      for (const p of inTime) {
        expect(s.phases[p]).toBeCloseTo(s.marks[p] - prev, 9);
        prev = s.marks[p];
      }
      const sum = run.phaseOrder.reduce((acc, p) => acc + s.phases[p], 0);
      expect(s.totalMs).toBeCloseTo(sum, 9);
      expect(s.totalMs).toBeCloseTo(s.marks.remove, 9);
      expect(s.totalMs).toBeGreaterThan(0);
      // Both moments are kept as they happened: the program's output is never pinned to the engine's answer.
      expect(s.marks.firstOutput).not.toBe(s.marks.started);
      expect(s.marks.firstOutput).toBeGreaterThan(s.marks.create);
    }
    for (const p of [...run.phaseOrder, 'total']) expect(run.summary[p].n).toBe(5);
    const lag = startCallLag(run)!;
    expect(lag.n).toBe(5);
    console.log(
      `ready (first output) median ${containerReadyMs(run)!.values.sort((a, b) => a - b)[2].toFixed(1)} ms; the engine answered the start call ${lag.medianMs.toFixed(2)} ms after it (median, 95% CI ${lag.ci95.map((v) => v.toFixed(2)).join('–')}), output first in ${lag.readyFirst} of ${lag.n}`,
    );
    // The floor was measured in the same run, and a container costs more than a bare process.
    expect(run.baseline?.samples).toHaveLength(6);
    expect(run.summary.total.median).toBeGreaterThan(run.baseline!.summary.total.median);
    expect(events).toContain('progress');
    expect(events.at(-1)).toBe('run-finished');

    // Saved, valid, and nothing of it is left on the engine.
    expect(Run.parse(JSON.parse(readFileSync(path.join(data.dir, 'runs', `${run.id}.json`), 'utf8'))).status).toBe('complete');
    expect(await labelled(`${LABEL_RUN}=${run.id}`)).toHaveLength(0);
    const image = await docker.getImage(PROBE_IMAGE).inspect();
    expect(image.Config.Labels?.[LABEL_IMAGE]).toBe('true');
    // Containers inherit image labels: the image must not make strangers' containers look managed.
    expect(image.Config.Labels?.[LABEL_MANAGED]).toBeUndefined();
  });

  it('times a workload ready by its log line from the line itself, and the start call apart from it', async () => {
    const lab = new Lab('cli', data.dir);
    const run = await lab.bench({ target: 'containers', iterations: 5, warmup: 1, baseline: false, workload: { kind: 'ready-line' } });
    expect(run.status, run.error).toBe('complete');
    expect(run.phaseOrder).toEqual(['create', 'started', 'ready', 'remove']);
    for (const s of run.samples) {
      const inTime = Object.keys(s.marks);
      expect([...inTime].sort((a, b) => s.marks[a] - s.marks[b])).toEqual(inTime);
      // Stamped when the line arrived, not pinned to the engine's answer.
      expect(s.marks.ready).not.toBe(s.marks.started);
    }
    const lag = startCallLag(run)!;
    expect(lag.n).toBe(5);
    console.log(`ready-line workload: the engine answered the start call ${lag.medianMs.toFixed(2)} ms after the ready line (median), line first in ${lag.readyFirst} of ${lag.n}`);
    expect(await labelled(`${LABEL_RUN}=${run.id}`)).toHaveLength(0);
  });

  it('cancels mid-run, keeps what was measured and removes its containers', async () => {
    const lab = new Lab('cli', data.dir);
    const { runId } = await lab.startBench({ target: 'containers', iterations: 200, warmup: 0, baseline: false });
    await new Promise<void>((resolve) => {
      const off = lab.onEvent((e) => {
        if (e.type === 'progress' && e.runId === runId && e.iteration >= 3 && e.phase === 'started') {
          off();
          resolve();
        }
      });
    });
    expect(await lab.cancelRun(runId)).toBe(true);
    const run = await lab.getRun(runId);
    expect(run.status).toBe('cancelled');
    expect(run.samples.length).toBeGreaterThanOrEqual(2);
    expect(run.samples.length).toBeLessThan(200);
    expect(await labelled(`${LABEL_RUN}=${runId}`)).toHaveLength(0);
  });

  it('fails with a clear error for an image the engine does not have', async () => {
    const lab = new Lab('cli', data.dir);
    const run = await lab.bench({ target: 'containers', image: 'isolab/no-such-image:0', iterations: 1, warmup: 0 });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/not on this engine.*docker pull/);
    // A run with no timed sample still reads back (no NaN statistics written as null).
    expect((await lab.getRun(run.id)).status).toBe('failed');
    expect((await lab.listRuns()).find((r) => r.id === run.id)?.status).toBe('failed');
  });
});

describe('a run killed with SIGKILL', () => {
  it('is kept (interrupted once its owner is gone), and the next start sweeps its containers but nothing else', async () => {
    const cli = path.resolve('bin/isolab.mjs');
    expect(existsSync('dist/cli.mjs'), 'run `npm run build` before the integration tests').toBe(true);
    const child = spawn(process.execPath, [cli, 'bench', 'containers', '--iterations', '500', '--warmup', '0', '--json'], {
      env: { ...process.env, ISOLAB_DATA_DIR: data.dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const pid = child.pid!;
    const runsDir = path.join(data.dir, 'runs');
    const runOf = () => {
      // Only finished files: the store's atomic writes leave temp files beside them that vanish or are half written.
      for (const f of existsSync(runsDir) ? readdirSync(runsDir).filter((n) => n.endsWith('.json')) : []) {
        let doc: Run;
        try {
          doc = JSON.parse(readFileSync(path.join(runsDir, f), 'utf8'));
        } catch {
          continue;
        }
        if (doc.samples.length >= 2 && doc.status === 'partial' && doc.startedAt > startedAt) return doc as Run;
      }
      return undefined;
    };
    const startedAt = new Date().toISOString();
    // Wait for saved samples, then kill while one of its containers exists. The CLI is frozen (SIGSTOP) before
    // looking, and the engine given a moment to finish any request already sent, so what is listed is exactly
    // what the crash leaves behind; when nothing is left at that instant, it runs on and we try again.
    const deadline = Date.now() + 60_000;
    let killed = false;
    while (Date.now() < deadline && !killed) {
      if (runOf()) {
        child.kill('SIGSTOP');
        await new Promise((r) => setTimeout(r, 300));
        if ((await labelled(`${LABEL_OWNER_PID}=${pid}`)).length > 0) {
          child.kill('SIGKILL');
          killed = true;
        } else child.kill('SIGCONT');
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(killed, `the CLI never got going: ${stderr}`).toBe(true);
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    expect(child.signalCode, `the CLI ended on its own before the kill: ${stderr}`).toBe('SIGKILL');

    const partial = runOf();
    expect(partial?.status).toBe('partial');
    const left = await labelled(`${LABEL_OWNER_PID}=${pid}`);
    expect(left.length).toBeGreaterThan(0);

    // Bystanders: a container without the label, and a labelled one whose owner (this test) is alive.
    const stranger = await docker.createContainer({ Image: PROBE_IMAGE, HostConfig: { NetworkMode: 'none' } });
    const alive = await docker.createContainer({
      Image: PROBE_IMAGE,
      Labels: { [LABEL_MANAGED]: 'true', [LABEL_OWNER_PID]: String(process.pid), [LABEL_OWNER_HOST]: os.hostname() },
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      const { sweptContainers } = await new Lab('cli', data.dir).init();
      expect(sweptContainers.sort()).toEqual(left.map((c) => c.Id).sort());
      expect(await labelled(`${LABEL_OWNER_PID}=${pid}`)).toHaveLength(0);
      expect((await stranger.inspect()).Id).toBe(stranger.id);
      expect((await alive.inspect()).Id).toBe(alive.id);
      expect(await sweepContainers(docker)).toEqual([]);
    } finally {
      await stranger.remove({ force: true });
      await alive.remove({ force: true });
    }
    // The run is still listed and readable, as interrupted: its owner ended without finishing it.
    const listed = await new Lab('cli', data.dir).listRuns();
    expect(listed.find((r) => r.id === partial!.id)?.status).toBe('interrupted');
  });
});
