import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsRequest, type LabEvent, type WsResponse } from '../shared/api';
import { dispatch } from './bridge';
import type { Lab } from './lab/lab';

export interface ServeOptions {
  lab: Lab;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  port?: number;
  /** Also create a read-only token for an audience (workshop mode). */
  audience?: boolean;
}

export interface Served {
  url: string;
  audienceUrl?: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Browser mode: the built renderer and the Lab API over a WebSocket, bound to 127.0.0.1 only. Every WebSocket
 * must present the random token from the URL; the Host and Origin headers must name this server (against DNS
 * rebinding and cross-site sockets).
 */
export async function serve(opts: ServeOptions): Promise<Served> {
  const token = randomBytes(24).toString('base64url');
  const audienceToken = opts.audience ? randomBytes(24).toString('base64url') : undefined;
  const root = path.resolve(opts.rendererDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = http.createServer(async (req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || !path.extname(rel)) rel = '/index.html';
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy': csp(port),
      });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(
        rel === '/index.html' ? `The renderer is not built (${root} is missing). Run \`npm run build\`.\n` : 'not found\n',
      );
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const clients = new Map<WebSocket, { readOnly: boolean }>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const origin = req.headers.origin;
    const given = url.searchParams.get('token') ?? '';
    const role = same(given, token) ? 'full' : audienceToken && same(given, audienceToken) ? 'audience' : undefined;
    const hostOk = allowedHosts().has(req.headers.host ?? '');
    const originOk = !origin || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (url.pathname !== '/api' || !role || !hostOk || !originOk) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.set(ws, { readOnly: role === 'audience' });
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data) => void onMessage(ws, data.toString(), role === 'audience'));
    });
  });

  async function onMessage(ws: WebSocket, text: string, readOnly: boolean) {
    let req: WsRequest;
    try {
      req = WsRequest.parse(JSON.parse(text));
    } catch {
      return ws.close(1003, 'malformed request');
    }
    let reply: WsResponse;
    try {
      reply = { id: req.id, ok: true, result: await dispatch(opts.lab, req.method, req.args, { readOnly }) };
    } catch (err) {
      reply = { id: req.id, ok: false, error: (err as Error).message ?? String(err) };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  }

  const unsubscribe = opts.lab.onEvent((event: LabEvent) => {
    const msg = JSON.stringify({ event } satisfies WsResponse);
    for (const ws of clients.keys()) if (ws.readyState === ws.OPEN) ws.send(msg);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is in use on 127.0.0.1; choose another with --port`) : err),
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/`;
  return {
    url: `${base}?token=${token}`,
    audienceUrl: audienceToken ? `${base}?token=${audienceToken}&audience=1` : undefined,
    port,
    close: async () => {
      unsubscribe();
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The same policy as the Electron window, plus the WebSocket back to this server. */
export function csp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
