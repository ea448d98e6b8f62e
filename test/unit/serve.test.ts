import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabEvent } from '../../shared/api';
import { RUN_SCHEMA, type Run } from '../../shared/run';
import { dispatch } from '../../electron/bridge';
import { Lab } from '../../electron/lab/lab';
import { serve, type Served } from '../../electron/serve';
import { tempDataDir } from '../helpers/datadir';
import { largeComparison } from '../e2e/largeRun';

const data = tempDataDir();
const rendererDir = path.join(data.dir, 'renderer');
mkdirSync(rendererDir);
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>isolab</title>');
mkdirSync(path.join(rendererDir, 'assets'));
writeFileSync(path.join(rendererDir, 'assets', 'index-C-KZOsH8.js'), 'export {};');
writeFileSync(path.join(data.dir, 'secret.txt'), 'not for the browser');

let served: Served;
const lab = new Lab('browser', data.dir);

beforeAll(async () => {
  served = await serve({ lab, rendererDir, port: 0, audience: true });
});
afterAll(async () => {
  await served.close();
  data.cleanup();
});

function get(p: string, host = `127.0.0.1:${served.port}`, headers: http.OutgoingHttpHeaders = {}, method = 'GET'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: '127.0.0.1', port: served.port, path: p, method, headers: { host, ...headers } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      })
      .on('error', reject)
      .end();
  });
}

function call(url: string, method: string, args: unknown[] = [], origin?: string): Promise<{ ok: boolean; result?: unknown; error?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method, args })));
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m));
      if (msg.id === 1) {
        ws.close();
        resolve(msg);
      }
    });
    ws.on('error', reject);
  });
}

const wsUrl = (token: string) => `ws://127.0.0.1:${served.port}/api?token=${token}`;
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('browser mode server', () => {
  it('listens on 127.0.0.1 only and serves the renderer with a strict CSP', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>isolab</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
  });

  it("lets the browser keep the renderer's hashed files, and asks for index.html each time", async () => {
    // Vite names what is under assets/ by its content's hash: the browser keeps it and V8 its compiled code.
    const chunk = await get('/assets/index-C-KZOsH8.js');
    expect(chunk.status).toBe(200);
    expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // index.html names the current hashes: never kept without asking.
    expect((await get('/')).headers['cache-control']).toBe('no-cache');
    expect((await get('/index.html')).headers['cache-control']).toBe('no-cache');
  });

  it('refuses a foreign Host header (DNS rebinding) and paths outside the renderer', async () => {
    expect((await get('/', 'evil.example:80')).status).toBe(421);
    const escaped = await get('/..%2fsecret.txt');
    expect(escaped.body).not.toContain('not for the browser');
  });

  it('answers API calls with the right token, validating arguments', async () => {
    const token = tokenOf(served.url);
    const runs = await call(wsUrl(token), 'listRuns');
    expect(runs).toMatchObject({ ok: true, result: [] });
    const bad = await call(wsUrl(token), 'startBench', [{ target: 'containers', iterations: -1 }]);
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/iterations/);
    const unknown = await call(wsUrl(token), 'rmrf', []);
    expect(unknown.error).toMatch(/unknown method/);
  });

  it('refuses a socket without the token, with a wrong one, or from another origin', async () => {
    await expect(call(wsUrl('nope'), 'listRuns')).rejects.toThrow(/401/);
    await expect(call(`ws://127.0.0.1:${served.port}/api`, 'listRuns')).rejects.toThrow(/401/);
    await expect(call(wsUrl(tokenOf(served.url)), 'listRuns', [], 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('gives the audience token read-only access', async () => {
    const audience = tokenOf(served.audienceUrl!);
    expect((await call(wsUrl(audience), 'listRuns')).ok).toBe(true);
    const denied = await call(wsUrl(audience), 'startBench', [{ target: 'process', iterations: 1 }]);
    expect(denied.ok).toBe(false);
    expect(denied.error).toMatch(/read-only/);
  });
});

/** Writes raw bytes and resolves with the answer's head (status line and headers), or what came before a close. */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(served.port, '127.0.0.1', () => s.write(bytes));
    let got = '';
    const done = () => resolve(got);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) s.destroy();
    });
    s.on('close', done);
    s.on('error', done);
    s.setTimeout(3000, () => s.destroy());
  });
}

const upgrade = (target: string, host: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;

/** Opens a socket and resolves with the close code once the server closes it. */
function closeCode(token: string, send: (ws: WebSocket) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(token));
    ws.on('open', () => send(ws));
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => undefined);
    setTimeout(() => reject(new Error('the server did not close the socket')), 5000);
  });
}

const stillAnswers = async () => expect((await call(wsUrl(tokenOf(served.url)), 'listRuns')).ok).toBe(true);

describe('browser mode survives hostile requests (each one ended the process before)', () => {
  it('answers 400 to bad percent-encoding, a NUL byte or a target that is not a path, with no token needed', async () => {
    expect((await get('/%zz')).status).toBe(400);
    expect((await get('/assets/%E0%A4%A')).status).toBe(400);
    expect((await get('/a%00b.js')).status).toBe(400);
    expect(await raw(`GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect((await get('/')).status).toBe(200);
  });

  it('checks the Host of an upgrade before parsing anything, and refuses what it cannot parse', async () => {
    const token = tokenOf(served.url);
    for (const host of ['[', 'x:99999999', '', 'evil.example', `127.0.0.1:${served.port}@evil`]) {
      expect(await raw(upgrade(`/api?token=${token}`, host))).toMatch(/^HTTP\/1\.1 421/);
    }
    expect(await raw(upgrade('/%zz', `127.0.0.1:${served.port}`))).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(upgrade(`/api?token=${token}`, `127.0.0.1:${served.port}`, 'Origin: null\r\n'))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(upgrade(`/api?token=${token}`, `127.0.0.1:${served.port}`))).toMatch(/^HTTP\/1\.1 101/);
    await stillAnswers();
  });

  it('closes only the socket that sends invalid UTF-8, an oversized message or a binary frame', async () => {
    const audience = tokenOf(served.audienceUrl!);
    expect(await closeCode(audience, (ws) => ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0xff]), { binary: false }))).toBe(1007);
    expect(await closeCode(audience, (ws) => ws.send('x'.repeat((1 << 20) + 1)))).toBe(1009);
    expect(await closeCode(audience, (ws) => ws.send(Buffer.from('{"id":1}'), { binary: true }))).toBe(1003);
    expect(await closeCode(audience, (ws) => ws.send('{not json'))).toBe(1003);
    await stillAnswers();
  });

  it('refuses other methods than GET and HEAD', async () => {
    expect(await raw(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${served.port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 405/);
  });
});

/** Collects the events a token receives while `during` runs. */
async function eventsSeen(token: string, during: () => Promise<void>): Promise<LabEvent[]> {
  const ws = new WebSocket(wsUrl(token));
  const seen: LabEvent[] = [];
  ws.on('message', (m) => {
    const msg = JSON.parse(String(m));
    if (msg.event) seen.push(msg.event);
  });
  await new Promise((resolve) => ws.on('open', resolve));
  await during();
  ws.close();
  return seen;
}

describe('the audience role', () => {
  it('sees neither the SSH inventory nor the data directory', async () => {
    const full = tokenOf(served.url);
    const audience = tokenOf(served.audienceUrl!);
    expect((await call(wsUrl(full), 'saveHost', [{ name: 'lab-box', target: 'alice@127.0.0.1', port: 1 }])).ok).toBe(true);
    for (const method of ['listHosts', 'listHostRuns']) {
      const denied = await call(wsUrl(audience), method);
      expect(denied).toMatchObject({ ok: false });
      expect(denied.error).toMatch(/read-only/);
    }
    const info = (await call(wsUrl(audience), 'info')).result as Record<string, unknown>;
    expect(info).not.toHaveProperty('dataDir');
    expect(info.host).not.toHaveProperty('hostname');
    expect(JSON.stringify(info)).not.toContain(data.dir);
    expect(((await call(wsUrl(full), 'info')).result as { dataDir: string }).dataDir).toBe(data.dir);
    // An unknown id: the store names its folder to the presenter, never to the audience.
    const missing = '20260101T000000000Z-process-zzzz';
    expect((await call(wsUrl(full), 'getRun', [missing])).error).toContain(data.dir);
    for (const method of ['getRun', 'getComparison', 'getSwarm']) {
      const refused = await call(wsUrl(audience), method, [missing]);
      expect(refused.ok).toBe(false);
      expect(refused.error).not.toContain(data.dir);
      expect(refused.error).toMatch(/^no [\w ]+ with id .* in <data directory>/);
    }
  });

  it("sends a run's document as the engine read it, and a changed file's new one", async () => {
    const token = tokenOf(served.url);
    const sample = (i: number, ms: number) => ({ iteration: i, warmup: false, phases: { spawn: ms }, marks: { spawn: ms }, totalMs: ms });
    const run: Run = {
      schema: RUN_SCHEMA, id: '20260302T090000000Z-process-wire', kind: 'bench:process', model: 'process', status: 'complete', startedAt: '2026-03-02T09:00:00Z',
      environment: { host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0.1.0' },
      plan: {}, phaseOrder: ['spawn'], samples: [sample(1, 1.25), sample(2, 0.1 + 0.2)], summary: {}, notes: [],
    };
    await lab.store.save(run);
    const first = await call(wsUrl(token), 'getRun', [run.id]);
    expect(first.result).toEqual(await lab.getRun(run.id));
    // Opened again while the file is unchanged: the same text (kept with the validated document).
    expect(await call(wsUrl(token), 'getRun', [run.id])).toEqual(first);
    // The file changed: its new document, not the text kept for the old one.
    await lab.store.save({ ...run, samples: [sample(1, 2.5)] });
    expect(((await call(wsUrl(token), 'getRun', [run.id])).result as Run).samples).toEqual([sample(1, 2.5)]);
  });

  it("sends a run's or a comparison's document over GET behind the same gate as a socket's call", async () => {
    const full = tokenOf(served.url);
    const audience = tokenOf(served.audienceUrl!);
    const run: Run = {
      schema: RUN_SCHEMA, id: '20260302T090000000Z-process-get', kind: 'bench:process', model: 'process', status: 'complete', startedAt: '2026-03-02T09:00:00Z',
      environment: { host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0.1.0' },
      plan: {}, phaseOrder: ['spawn'], samples: [{ iteration: 1, warmup: false, phases: { spawn: 1.5 }, marks: { spawn: 1.5 }, totalMs: 1.5 }], summary: {}, notes: [],
    };
    await lab.store.save(run);
    const read = (id: string, headers: http.OutgoingHttpHeaders, method?: string) => get(`/api/run/${encodeURIComponent(id)}`, undefined, headers, method);
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    // The socket's envelope, the document as a socket's getRun gives it, and never kept by the browser.
    const ok = await read(run.id, as(full));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(ok.body)).toEqual({ id: 0, ok: true, result: (await call(wsUrl(full), 'getRun', [run.id])).result });
    expect((await read(run.id, as(audience))).status).toBe(200);
    // The token in a header only: none, a wrong one, or one in the query (as a socket takes it) is refused.
    for (const headers of [{}, as('nope'), { authorization: full }]) expect((await read(run.id, headers)).status).toBe(401);
    expect((await get(`/api/run/${run.id}?token=${full}`)).status).toBe(401);
    // Another site's page: by Origin or by the browser's Sec-Fetch-Site, token or not.
    expect((await read(run.id, { ...as(full), origin: 'http://evil.example' })).status).toBe(403);
    expect((await read(run.id, { ...as(full), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(`/api/run/${run.id}`, 'evil.example:80', as(full))).status).toBe(421);
    expect((await read(run.id, as(full), 'HEAD')).status).toBe(405);
    // The method's argument schema and the store's own refusals, as over the socket.
    const bad = await read('../secret.txt', as(full));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: expect.stringMatching(/invalid arguments for getRun/) });
    const missing = '20260101T000000000Z-process-zzzz';
    expect(JSON.parse((await read(missing, as(full))).body).error).toContain(data.dir);
    // The audience never sees the data directory, as over the socket.
    const refused = JSON.parse((await read(missing, as(audience))).body);
    expect(refused.ok).toBe(false);
    expect(refused.error).not.toContain(data.dir);
    // A comparison's document likewise, as a socket's getComparison gives it.
    const comparison = largeComparison('20260302T110000000Z-compare-get', 5);
    await lab.comparisons.save(comparison);
    const cmp = await get(`/api/comparison/${comparison.id}`, undefined, as(full));
    expect(cmp.status).toBe(200);
    expect(JSON.parse(cmp.body)).toEqual({ id: 0, ok: true, result: (await call(wsUrl(full), 'getComparison', [comparison.id])).result });
    expect((await get(`/api/comparison/${comparison.id}`)).status).toBe(401);
    // The Learn page's table, for the presenter and the audience alike.
    const table = (await call(wsUrl(full), 'tradeoffs')).result;
    for (const token of [full, audience]) expect(JSON.parse((await get('/api/tradeoffs', undefined, as(token))).body)).toEqual({ id: 0, ok: true, result: table });
    expect((await get('/api/tradeoffs')).status).toBe(401);
    // Nothing else of the API is read over GET: another path is the renderer's (a name without an extension is its page).
    expect((await get('/api/listHosts', undefined, as(full))).headers['content-type']).toMatch(/^text\/html/);
  });

  it("receives the workshop's events but no host's progress or runs", async () => {
    const full = tokenOf(served.url);
    const audience = tokenOf(served.audienceUrl!);
    let hostRunId = '';
    let presenter: LabEvent[] = [];
    const seen = await eventsSeen(audience, async () => {
      presenter = await eventsSeen(full, async () => {
        // A host on a closed loopback port: the benchmark fails at once, with host progress and a failed run.
        hostRunId = ((await call(wsUrl(full), 'startHostBench', [{ target: '127.0.0.1', port: 1, acceptNew: true }])).result as { runId: string }).runId;
        await expect.poll(async () => ((await call(wsUrl(full), 'listRuns')).result as { id: string }[]).some((r) => r.id === hostRunId), { timeout: 20_000 }).toBe(true);
        await call(wsUrl(full), 'setWorkshopDemo', ['density']);
        await new Promise((r) => setTimeout(r, 200));
      });
    });
    expect(presenter.some((e) => e.type === 'host-progress')).toBe(true);
    expect(presenter.some((e) => 'runId' in e && e.runId === hostRunId)).toBe(true);
    expect(seen.map((e) => e.type)).toEqual(['workshop-view']);
    // Nor the host's run among the results, nor by its id.
    expect(((await call(wsUrl(audience), 'listRuns')).result as { id: string }[]).map((r) => r.id)).not.toContain(hostRunId);
    expect((await call(wsUrl(audience), 'getRun', [hostRunId])).ok).toBe(false);
    expect((await call(wsUrl(audience), 'exportRun', [hostRunId, 'json'])).ok).toBe(false);
  });
});

describe('dispatch', () => {
  it('rejects non-array arguments and ids that are not run ids', async () => {
    await expect(dispatch(lab, 'listRuns', 'x')).rejects.toThrow(/array/);
    await expect(dispatch(lab, 'getRun', ['../../etc/passwd'])).rejects.toThrow(/not a run id/);
    await expect(dispatch(lab, 'constructor', [])).rejects.toThrow(/unknown method/);
  });
});
