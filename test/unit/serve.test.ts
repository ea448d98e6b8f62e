import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dispatch } from '../../electron/bridge';
import { Lab } from '../../electron/lab/lab';
import { serve, type Served } from '../../electron/serve';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
const rendererDir = path.join(data.dir, 'renderer');
mkdirSync(rendererDir);
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>isolab</title>');
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

function get(p: string, host = `127.0.0.1:${served.port}`): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: served.port, path: p, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      })
      .on('error', reject);
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
    await expect(call(wsUrl(tokenOf(served.url)), 'listRuns', [], 'http://evil.example')).rejects.toThrow(/401/);
  });

  it('gives the audience token read-only access', async () => {
    const audience = tokenOf(served.audienceUrl!);
    expect((await call(wsUrl(audience), 'listRuns')).ok).toBe(true);
    const denied = await call(wsUrl(audience), 'startBench', [{ target: 'process', iterations: 1 }]);
    expect(denied.ok).toBe(false);
    expect(denied.error).toMatch(/read-only/);
  });
});

describe('dispatch', () => {
  it('rejects non-array arguments and ids that are not run ids', async () => {
    await expect(dispatch(lab, 'listRuns', 'x')).rejects.toThrow(/array/);
    await expect(dispatch(lab, 'getRun', ['../../etc/passwd'])).rejects.toThrow(/not a run id/);
    await expect(dispatch(lab, 'constructor', [])).rejects.toThrow(/unknown method/);
  });
});
