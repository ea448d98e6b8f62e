import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AUDIENCE_METHODS } from '../../shared/api-channels';
import { labMethods, type LabMethodName } from '../../shared/api';
import { seededRandom } from '../../shared/random';
import { closeFrameSent, exchange, headDone, hostileFrames, httpRequest, message, pick, pool, randomRead, randomUpgrade, statusOf, upgradeRequest } from '../helpers/serve-fuzz';

/**
 * Fuzzing a real `isolab serve --audience` (the built CLI, in its own process group, on 127.0.0.1 with a temp
 * data dir and no Docker engine): malformed request lines and encodings, bad Host and Origin values, hostile
 * WebSocket frames, bad messages, and every method that acts sent with the audience token. After each batch the
 * process must still be running and answering; at the end the data dir and the engine's state are as before.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEED = 20261126;
const CONCURRENCY = 24;

let child: ChildProcess;
let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
let stderr = '';
let port = 0;
let full = '';
let audience = '';
let dataDir = '';
let home = '';
/** The seed run's and comparison's ids: documents a read over GET may find. */
const ids = { run: '', comparison: '' };
let before: { files: string; state: string };
const tried: Record<string, number> = {};
const t0 = performance.now();

const count = (kind: string, n = 1) => (tried[kind] = (tried[kind] ?? 0) + n);

/** One call over a fresh socket; the reply, or the close code if the server closed it first. */
function call(token: string, method: string, args: unknown[] = []): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`);
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method, args })));
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m));
      if (msg.id !== 1) return;
      ws.close();
      resolve(msg);
    });
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed with ${code} before a reply to ${method}`)));
  });
}

/** Every file under the data dir with its content hash: what a refused call must not have touched. */
function filesOf(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else lines.push(`${path.relative(dir, p)} ${e.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : e.isSymbolicLink() ? 'link' : 'other'}`);
    }
  };
  walk(dir);
  return lines.join('\n');
}

async function engineState(): Promise<string> {
  const read = ['listRuns', 'listHosts', 'listComparisons', 'workshopView', 'raceState'] as const;
  const results = await Promise.all(read.map((m) => call(full, m)));
  return JSON.stringify(results);
}

/** The process has not exited, serves the page and answers the API. */
async function expectAlive(): Promise<void> {
  expect(exited, `isolab serve exited (${JSON.stringify(exited)}):\n${stderr}`).toBeUndefined();
  const page = await exchange(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, { done: headDone });
  expect(statusOf(page.reply)).toBe(200);
  expect((await call(full, 'info')).ok).toBe(true);
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist/cli.mjs')) || !existsSync(path.join(ROOT, 'dist/renderer/index.html'))) {
    throw new Error('dist/ is missing: run `npm run build` before the integration tests');
  }
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'isolab-fuzz-data-'));
  home = mkdtempSync(path.join(os.tmpdir(), 'isolab-fuzz-home-'));
  child = spawn(process.execPath, [path.join(ROOT, 'bin/isolab.mjs'), 'serve', '--port', '0', '--audience'], {
    // Its own process group, ended as a group; no engine, so the suite does not depend on (or touch) dockerd.
    detached: true,
    env: { ...process.env, ISOLAB_DATA_DIR: dataDir, HOME: home, DOCKER_HOST: 'unix:///nonexistent/isolab-fuzz/docker.sock' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.stderr!.on('data', (d) => (stderr += d));
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const urls = await waitFor('the addresses isolab serve prints', async () => {
    if (exited) throw new Error(`isolab serve exited before listening:\n${stderr}`);
    const found = stdout.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/g);
    return found && found.length >= 2 ? found : undefined;
  });
  port = Number(new URL(urls[0]).port);
  full = new URL(urls[0]).searchParams.get('token')!;
  audience = new URL(urls[1]).searchParams.get('token')!;

  // Something to lose: a saved host, a finished run, a comparison, the presenter's demo.
  expect((await call(full, 'saveHost', [{ name: 'fuzz-box', target: 'fuzz@127.0.0.1', port: 1 }])).ok).toBe(true);
  const { runId } = (await call(full, 'startBench', [{ target: 'process', iterations: 2, warmup: 0, baseline: false }])).result as { runId: string };
  await waitFor('the seed run', async () => {
    const runs = (await call(full, 'listRuns')).result as { id: string; status: string }[];
    return runs.find((r) => r.id === runId && r.status !== 'running');
  });
  const plan = { models: ['process'], startup: { iterations: 2, warmup: 0 }, footprint: false, density: false };
  const started = await call(full, 'startCompare', [{ plan }]);
  expect(started.ok, started.error).toBe(true);
  const { comparisonId } = started.result as { comparisonId: string };
  Object.assign(ids, { run: runId, comparison: comparisonId });
  await waitFor('the seed comparison', async () => {
    const c = (await call(full, 'getComparison', [comparisonId])).result as { status?: string } | undefined;
    // Saved as 'partial' while it runs; complete, failed or cancelled once done.
    return c && c.status !== 'partial' ? c : undefined;
  });
  expect((await call(full, 'setWorkshopDemo', ['shared'])).ok).toBe(true);
  before = { files: filesOf(dataDir), state: await engineState() };
}, 180_000);

afterAll(async () => {
  if (child?.pid && !exited) {
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('isolab serve under fuzz', () => {
  it('answers malformed paths, encodings, Host values and methods without a 5xx', async () => {
    const rand = seededRandom(SEED);
    const replies = await pool(Array.from({ length: 1200 }, () => httpRequest(rand, port, full)).map((req) => async () => ({ req, ...(await exchange(port, req, { done: headDone })) })), CONCURRENCY);
    count('http', replies.length);
    for (const r of replies) {
      const status = statusOf(r.reply);
      expect(status === undefined || status < 500, `${status} for ${JSON.stringify(r.req.slice(0, 200))}`).toBe(true);
      // A request that does not name this server gets nothing from it.
      if (!/\r\nHost: (127\.0\.0\.1|localhost|LOCALHOST):\d+\s*\r\n/.test(r.req)) expect(status, JSON.stringify(r.req.slice(0, 300))).not.toBe(200);
    }
    await expectAlive();
  });

  it('opens a socket only for this Host, a same-origin page and a real token', async () => {
    const rand = seededRandom(SEED + 1);
    const inputs = Array.from({ length: 500 }, () => randomUpgrade(rand, port, [full, audience]));
    const replies = await pool(inputs.map((u) => async () => ({ ...u, ...(await exchange(port, u.request, { done: headDone })) })), CONCURRENCY);
    count('upgrade', replies.length);
    for (const r of replies) {
      if (statusOf(r.reply) === 101) expect(r.mayOpen, r.request).toBe(true);
    }
    await expectAlive();
  });

  it("reads a page's first document over GET only for this Host, a same-site page and a real token in a Bearer header", async () => {
    const rand = seededRandom(SEED + 4);
    const inputs = Array.from({ length: 600 }, () => randomRead(rand, port, [full, audience], ids));
    const replies = await pool(inputs.map((r) => async () => ({ ...r, ...(await exchange(port, r.request, { done: headDone })) })), CONCURRENCY);
    count('read', replies.length);
    let read = 0;
    for (const r of replies) {
      const status = statusOf(r.reply);
      expect(status === undefined || status < 500, `${status} for ${JSON.stringify(r.request)}`).toBe(true);
      // An API answer (JSON) only where everything holds; another path may still be the renderer's page.
      const json = /\r\ncontent-type: application\/json/i.test(r.reply);
      if (status === 200 && json) {
        expect(r.mayRead, JSON.stringify(r.request)).toBe(true);
        read++;
      }
      if (r.mayRead) expect(status, JSON.stringify(r.request)).toBe(200);
    }
    // The generator reached both sides: reads answered, and far more refused.
    expect(read).toBeGreaterThan(0);
    await expectAlive();
  });

  it('closes only the socket that sends a hostile frame (invalid UTF-8, oversized, binary, reserved opcodes ...)', async () => {
    const rand = seededRandom(SEED + 2);
    const jobs = Array.from({ length: 400 }, () => {
      const frames = hostileFrames(rand);
      const handshake = upgradeRequest({ target: `/api?token=${pick(rand, [full, audience, audience])}`, host: `127.0.0.1:${port}` });
      return async () => ({ frames: frames.length, ...(await exchange(port, [Buffer.from(handshake), ...frames], { done: closeFrameSent })) });
    });
    const replies = await pool(jobs, CONCURRENCY);
    count('frames', replies.reduce((n, r) => n + r.frames, 0));
    for (const r of replies) {
      expect(statusOf(r.reply)).toBe(101);
      // The server ended the connection or started the closing handshake: it did not hang on the frame.
      expect(r.ended).toBe(true);
    }
    await expectAlive();
  });

  it('answers bad messages with an error, or closes that one socket', async () => {
    const rand = seededRandom(SEED + 3);
    const methods = [...AUDIENCE_METHODS, 'listHosts'];
    const messages = Array.from({ length: 800 }, (_, id) => ({ token: pick(rand, [full, audience]), ...message(rand, methods, id) }));
    // Messages that close their socket go one to a socket; the others share sockets, 20 at a time.
    const closing = messages.filter((m) => m.closes).map((m) => [m]);
    const answered = messages.filter((m) => !m.closes);
    const groups = [...closing];
    for (const token of [full, audience]) {
      const mine = answered.filter((m) => m.token === token);
      for (let i = 0; i < mine.length; i += 20) groups.push(mine.slice(i, i + 20));
    }
    const outcomes = await pool(
      groups.map((group) => () =>
        new Promise<{ closes: boolean; sent: number; replies: number; code?: number }>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${group[0].token}`);
          let replies = 0;
          const done = (code?: number) => resolve({ closes: group[0].closes, sent: group.length, replies, code });
          ws.on('open', () => group.forEach((m) => ws.send(m.text)));
          ws.on('message', (d) => {
            if (!('id' in JSON.parse(String(d)))) return;
            if (++replies === group.length) {
              ws.close();
              done();
            }
          });
          ws.on('error', () => undefined);
          ws.on('close', (code) => done(code));
        }),
      ),
      CONCURRENCY,
    );
    count('messages', outcomes.reduce((n, o) => n + o.sent, 0));
    for (const o of outcomes) {
      if (o.closes) expect(o.code).toBe(1003);
      else expect(o.replies, `closed with ${o.code}`).toBe(o.sent);
    }
    await expectAlive();
  });

  it('refuses every method that acts, or reads hosts, to the audience token', async () => {
    const runId = ((await call(full, 'listRuns')).result as { id: string }[])[0].id;
    // Arguments the contract accepts, so that only the role refuses them; a new method must be added here.
    const denied: Record<Exclude<LabMethodName, (typeof AUDIENCE_METHODS)[number]>, unknown[]> = {
      startBench: [{ target: 'process', iterations: 1, warmup: 0 }],
      cancelJob: [runId],
      cancelRun: [runId],
      deleteRun: [runId],
      cancelCompare: [runId],
      deleteComparison: [runId],
      listHosts: [],
      saveHost: [{ name: 'fuzz-added', target: 'x@127.0.0.1', port: 1 }],
      removeHost: ['fuzz-box'],
      testHost: [{ target: '127.0.0.1', port: 1 }],
      acceptHostKey: [{ target: '127.0.0.1', port: 1, fingerprint: `SHA256:${'A'.repeat(43)}` }],
      startHostBench: [{ target: '127.0.0.1', port: 1 }],
      startFleet: [{ targets: ['127.0.0.1'] }],
      listHostRuns: [],
      forgetPassphrase: ['fuzz-box'],
      listFleets: [],
      saveFleet: [{ name: 'fuzz-fleet', hosts: ['fuzz-box'] }],
      removeFleet: ['fuzz-fleet'],
      startCompare: [{ plan: { models: ['process'] } }],
      isolationFacts: [{ bootVm: false }],
      startRace: [{ containers: 1 }],
      cancelRace: ['race-fuzz'],
      densityDemo: [],
      workshopKernels: [],
      setWorkshopDemo: ['density'],
      importRuns: [[{ name: 'fuzz.json', base64: 'e30=' }]],
      report: [[runId], 'en'],
      // No consent: were the gate ever open, the engine would still refuse to create a swarm.
      startSwarm: [{ replicas: 1, rounds: 1, createSwarm: false }],
    };
    const calls = Object.entries(denied).flatMap(([m, args]) => Array.from({ length: 5 }, () => [m, args] as const));
    for (const [m, args] of calls) expect(labMethods[m as LabMethodName].args.safeParse(args).success, m).toBe(true);
    const replies = await pool(calls.map(([m, args]) => async () => ({ m, ...(await call(audience, m, args)) })), CONCURRENCY);
    count('audience calls', replies.length);
    for (const r of replies) {
      expect(r.ok, r.m).toBe(false);
      expect(r.error).toMatch(/not allowed for a read-only viewer/);
    }
    await expectAlive();
  });

  it('is still running, and nothing in the data dir or the engine changed', async () => {
    await expectAlive();
    expect(filesOf(dataDir)).toBe(before.files);
    expect(await engineState()).toBe(before.state);
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    const crashes = exited ? 1 : 0;
    const detail = Object.entries(tried).map(([k, n]) => `${n} ${k}`).join(', ');
    console.log(`fuzz: ${total} inputs tried (${detail}), ${crashes} crashes, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(total).toBeGreaterThan(3000);
    expect(crashes).toBe(0);
    // No handler threw: the server reports anything it had to catch on stderr.
    expect(stderr).not.toMatch(/isolab serve:/);
  });
});
