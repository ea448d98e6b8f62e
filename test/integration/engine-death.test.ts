import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureProbeImage, PROBE_IMAGE } from '../../electron/lab/images/probe';
import { LABEL_OWNER_PID } from '../../electron/lab/labels';
import { Run } from '../../shared/run';
import { startPrivateDockerd, type PrivateDockerd } from '../fixtures/private-dockerd';
import { tempDataDir } from '../helpers/datadir';

/**
 * The engine dying mid-run (`kill -9` of dockerd). It is a private dockerd started for this file, never the shared
 * one. The program prints, then sleeps a second, so the kill lands while isolab waits for the container's exit:
 * the engine has sent the headers of `wait` and dies before its body, the case that used to leave a promise
 * pending forever (the CLI then exited 0, silent, the run `partial`).
 */
const SLOW_IMAGE = 'isolab-test/prints-then-sleeps:1';
const data = tempDataDir();
let engine: PrivateDockerd;

beforeAll(async () => {
  expect(existsSync('dist/cli.mjs'), 'run `npm run build` before the integration tests').toBe(true);
  engine = await startPrivateDockerd();
  await ensureProbeImage(engine.docker);
  const tar = pack();
  tar.entry({ name: 'Dockerfile' }, `FROM ${PROBE_IMAGE}\nCMD ["/bin/sh", "-c", "echo isolab; sleep 1"]\n`);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const c of tar) chunks.push(c as Buffer);
  const stream = await engine.docker.buildImage(Buffer.concat(chunks) as unknown as NodeJS.ReadableStream, { t: SLOW_IMAGE, rm: true });
  await new Promise((resolve, reject) => engine.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve(undefined))));
}, 300_000);

afterAll(async () => {
  await engine?.destroy();
  data.cleanup();
}, 120_000);

function cli(args: string[]) {
  const child = spawn(process.execPath, [path.resolve('bin/isolab.mjs'), ...args], {
    env: { ...process.env, ISOLAB_DATA_DIR: data.dir, DOCKER_HOST: engine.host },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, done, out: () => stdout, err: () => stderr };
}

function savedRuns(): Run[] {
  const dir = path.join(data.dir, 'runs');
  const out: Run[] = [];
  for (const f of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : []) {
    try {
      out.push(Run.parse(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
    } catch {
      // the store's atomic write leaves a temp file beside it: skip half-written ones
    }
  }
  return out;
}

describe('the engine killed in the middle of a run', () => {
  it('fails the run with the engine error, exits non-zero, keeps the samples; the next start sweeps the leftovers', async () => {
    const bench = cli(['bench', 'containers', '--image', SLOW_IMAGE, '--iterations', '30', '--warmup', '0', '--no-baseline']);
    const pid = bench.child.pid!;
    // Two saved samples, then a container of the run alive: the kill lands while its exit is awaited.
    const deadline = Date.now() + 120_000;
    for (;;) {
      expect(Date.now() < deadline, `the run never got going: ${bench.err()}`).toBe(true);
      expect(bench.child.exitCode, `the CLI ended before the kill: ${bench.err()}`).toBeNull();
      const saved = savedRuns().find((r) => r.samples.length >= 2);
      const running = saved ? await engine.docker.listContainers({ filters: { label: [`${LABEL_OWNER_PID}=${pid}`], status: ['running'] } }) : [];
      if (running.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300)); // inside the program's one-second sleep
    await engine.kill();

    const code = await Promise.race([bench.done, new Promise<string>((r) => setTimeout(() => r('still running 60 s after the kill'), 60_000))]);
    expect(code, `stderr: ${bench.err()}`).toBe(1);
    expect(bench.err()).toMatch(/the run failed: the Docker engine \(DOCKER_HOST=unix:\/\/.*\) went away during the run/);
    expect(bench.err()).toMatch(/Start Docker \(Linux: `sudo systemctl start docker`, or `dockerd` as root/);
    const failed = savedRuns();
    expect(failed).toHaveLength(1);
    expect(failed[0].status).toBe('failed');
    expect(failed[0].error).toMatch(/went away during the run/);
    expect(failed[0].samples.length).toBeGreaterThanOrEqual(2);
    expect(failed[0].summary.total.n).toBe(failed[0].samples.length);

    // The engine back: what the crash left is still there until isolab starts again, which sweeps it.
    await engine.start();
    const leftBehind = await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER_PID}=${pid}`] } });
    expect(leftBehind.length).toBeGreaterThan(0);
    const again = cli(['bench', 'containers', '--iterations', '1', '--warmup', '0', '--no-baseline', '--json']);
    expect(await again.done, again.err()).toBe(0);
    expect(again.err()).toMatch(new RegExp(`removed ${leftBehind.length} container\\(s\\) left by an earlier run`));
    expect(await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_OWNER_PID}=${pid}`] } })).toEqual([]);
    expect(Run.parse(JSON.parse(again.out())).status).toBe('complete');
  }, 400_000);
});
