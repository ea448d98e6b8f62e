import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDocker } from '../../electron/lab/docker/engine';
import { EngineLostError } from '../../electron/lab/docker/lost';
import { toSample } from '../../electron/lab/runner';
import { ContainerTarget } from '../../electron/lab/targets/container';
import { ContainerDriver } from '../../electron/lab/workloads/container-driver';
import { resolveWorkload, Workload } from '../../shared/plan';

/**
 * A stand-in Docker engine on a unix socket, for the two timings the real engine cannot be made to show on
 * demand: the program's output arriving well before the answer to the start call, and the engine dying after it
 * sent the headers of `wait`. The real engine's paths are proven in test/integration/containers.test.ts.
 */
interface Fake {
  socket: string;
  close(): Promise<void>;
}

async function fakeEngine(o: { startAnswerDelayMs: number; wait: 'answer' | 'die' }): Promise<Fake> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-fake-engine-'));
  const socket = path.join(dir, 'docker.sock');
  let attach: http.ServerResponse | undefined;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const route = `${req.method} ${url.split('?')[0]}`;
    if (route === 'GET /_ping') return res.end('OK');
    if (route === 'POST /containers/create') {
      req.resume();
      res.writeHead(201, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ Id: 'c1', Warnings: [] }));
    }
    if (route === 'POST /containers/c1/attach') {
      res.writeHead(200, { 'content-type': 'application/vnd.docker.raw-stream' });
      res.flushHeaders();
      attach = res;
      return;
    }
    if (route === 'POST /containers/c1/start') {
      // The program runs and prints at once; the engine answers the start call later.
      const payload = Buffer.from('isolab-ready\n');
      const header = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
      header.writeUInt32BE(payload.length, 4);
      attach?.write(Buffer.concat([header, payload]));
      setTimeout(() => (res.writeHead(204), res.end()), o.startAnswerDelayMs);
      return;
    }
    if (route === 'POST /containers/c1/wait') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders(); // as dockerd does: headers at once, the body when the container exits
      if (o.wait === 'die') {
        setTimeout(() => {
          req.socket.destroy();
          attach?.socket?.destroy();
        }, 30);
        return;
      }
      setTimeout(() => {
        attach?.end();
        res.end(JSON.stringify({ StatusCode: 0 }));
      }, 10);
      return;
    }
    if (route === 'GET /containers/c1/json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: 'c1', State: { Running: true, Pid: 0 } }));
    if (route === 'DELETE /containers/c1') {
      attach?.end();
      return res.writeHead(204).end();
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `fake engine: no route ${route}` }));
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    socket,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function targetOn(f: Fake): Promise<ContainerTarget> {
  const conn = await connectDocker({ endpoints: [{ label: `unix://${f.socket}`, options: { socketPath: f.socket } }] });
  return new ContainerTarget({ conn, runId: 'fake-run' });
}

const ctx = (phases: string[] = []) => ({ iteration: 1, warmup: false, signal: new AbortController().signal, onPhase: (p: string) => phases.push(p) });

describe('a container start timed against an engine that answers the start call late', () => {
  it('keeps the first output and the start call as they happened, in time order', async () => {
    fake = await fakeEngine({ startAnswerDelayMs: 150, wait: 'answer' });
    const target = await targetOn(fake);
    const phases: string[] = [];
    const marks = await target.iterate(ctx(phases));
    // The output came about 150 ms before the answer: ready is the output, not the answer.
    expect(marks.started - marks.firstOutput).toBeGreaterThan(100);
    expect(phases).toEqual(['create', 'firstOutput', 'started', 'exit', 'remove']);
    const s = toSample(1, false, marks, target.phases);
    expect(Object.keys(s.marks)).toEqual(['create', 'firstOutput', 'started', 'exit', 'remove']);
    expect(s.phases.started).toBeCloseTo(marks.started - marks.firstOutput, 9);
    expect(s.phases.firstOutput).toBeCloseTo(marks.firstOutput - marks.create, 9);
    expect(target.notes()).toEqual([]);
  });

  it('orders a sample by its own marks when the answer comes first', () => {
    const s = toSample(3, false, { create: 10, started: 40, firstOutput: 55, exit: 70, remove: 80 }, ['create', 'firstOutput', 'started', 'exit', 'remove']);
    expect(Object.keys(s.marks)).toEqual(['create', 'started', 'firstOutput', 'exit', 'remove']);
    expect(s.phases).toEqual({ create: 10, started: 30, firstOutput: 15, exit: 15, remove: 10 });
    expect(s.totalMs).toBe(80);
  });
});

describe('a workload ready by its log line, against the same engine', () => {
  it('is ready when the line arrives, before the engine answers the start call', async () => {
    fake = await fakeEngine({ startAnswerDelayMs: 150, wait: 'answer' });
    const conn = await connectDocker({ endpoints: [{ label: `unix://${fake.socket}`, options: { socketPath: fake.socket } }] });
    const driver = new ContainerDriver({ conn, runId: 'fake-run', runtime: 'runc', workload: resolveWorkload(Workload.parse({ kind: 'ready-line' })) });
    const inst = await driver.start(new AbortController().signal);
    expect(inst.marks.started - inst.marks.ready).toBeGreaterThan(100);
    await driver.stop(inst);
    expect(driver.liveCount()).toBe(0);
  });
});

describe('an engine that dies in the middle of an answer', () => {
  it('fails the iteration with the engine error and how to restart it, instead of waiting forever', async () => {
    fake = await fakeEngine({ startAnswerDelayMs: 0, wait: 'die' });
    const target = await targetOn(fake);
    const err = await Promise.race([
      target.iterate(ctx()).then(() => 'finished', (e: unknown) => e),
      new Promise((r) => setTimeout(() => r('still waiting after 5 s'), 5000)),
    ]);
    expect(err).toBeInstanceOf(EngineLostError);
    expect((err as Error).message).toMatch(/went away during the run: the connection closed in the middle of its answer to POST \/containers\/c1\/wait/);
    expect((err as Error).message).toMatch(/systemctl start docker/);
    await target.dispose();
  });
});
