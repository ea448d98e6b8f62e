import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsRequest, type LabEvent, type WsResponse } from '../shared/api';
import { audienceEvent, dispatchForAudience } from './audience';
import { dispatch, errorText } from './bridge';
import { bearer, fetchSiteAllowed, hostAllowed, originAllowed, requestTarget } from './serve-guard';
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
 * What a page may read over GET, each the method a socket's call would use: a document (`/api/run/<id>`,
 * `/api/comparison/<id>`) and the Learn page's table (`/api/tradeoffs`).
 */
const READS = { run: 'getRun', comparison: 'getComparison', tradeoffs: 'tradeoffs' } as const;
type ReadMethod = (typeof READS)[keyof typeof READS];
const READ = /^\/api\/(?:(run|comparison)\/(.*)|(tradeoffs))$/s;
/** Whose answer is a stored document, sent as the text kept with it. */
const DOC_METHODS = new Set<string>([READS.run, READS.comparison]);

/** A client that reads nothing while the race streams gets dropped rather than buffering without end. */
const MAX_BUFFERED = 8 << 20;

type Role = 'full' | 'audience';

/**
 * Browser mode: the built renderer and the Lab API over a WebSocket, bound to 127.0.0.1 only. Every WebSocket
 * must present the random token from the URL; the Host and Origin headers must name this server (against DNS
 * rebinding and cross-site sockets). Any page the presenter opens can reach 127.0.0.1, so no request, header or
 * frame may end the process: checks never throw (serve-guard.ts), every socket has an error listener, and a bad
 * frame closes that one socket.
 */
export async function serve(opts: ServeOptions): Promise<Served> {
  const token = randomBytes(24).toString('base64url');
  const audienceToken = opts.audience ? randomBytes(24).toString('base64url') : undefined;
  const root = path.resolve(opts.rendererDir);
  let port = 0;

  const server = http.createServer((req, res) => {
    req.on('error', () => undefined);
    void serveFile(req, res).catch((err) => {
      process.stderr.write(`isolab serve: ${errorText(err)}\n`);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  });
  // Accept failures (too many open files) arrive here; the server keeps listening.
  server.on('error', (err) => process.stderr.write(`isolab serve: ${errorText(err)}\n`));

  async function serveFile(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!hostAllowed(req.headers.host, port)) return void res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    const target = requestTarget(req.url);
    if (!target.ok) return void res.writeHead(400, { 'content-type': 'text/plain' }).end(`bad request: ${target.reason}\n`);
    const read = READ.exec(target.path);
    if (read) return serveRead(req, res, READS[(read[1] ?? read[3]) as keyof typeof READS], read[1] ? [read[2]] : []);
    let rel = target.path;
    if (rel === '/' || !path.extname(rel)) rel = '/index.html';
    const file = path.join(root, rel);
    if (!file.startsWith(root + path.sep)) return void res.writeHead(403).end();
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(
        rel === '/index.html' ? `The renderer is not built (${root} is missing). Run \`npm run build\`.\n` : 'not found\n',
      );
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': cacheControl(rel),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': csp(port),
    });
    // pipeline, not pipe: a file that vanishes after stat, or a client that leaves, is an error handled here.
    pipeline(createReadStream(file), res, () => undefined);
  }

  /** Which role a token gives (timing-safe), or none. */
  const roleOf = (given: string): Role | undefined => (same(given, token) ? 'full' : audienceToken && same(given, audienceToken) ? 'audience' : undefined);

  /**
   * A page's first read over GET (a run's or a comparison's document, the Learn page's table), beside the WebSocket:
   * the page asks for it at boot, before its code (and the socket) are up, and the browser's network side takes in
   * megabytes without the page's thread (a WebSocket message is taken in and decoded on it). The same gate as a socket's call: Host (checked above), Origin, the token (a header, so it
   * is in no URL, log or history, and a cross-site page cannot send it without a preflight this server refuses), the
   * role, and the method's argument schema.
   */
  async function serveRead(req: http.IncomingMessage, res: http.ServerResponse, method: ReadMethod, args: string[]): Promise<void> {
    const json = (status: number, body: string): void =>
      void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }).end(body);
    const refuse = (status: number, error: string): void => json(status, JSON.stringify({ id: 0, ok: false, error } satisfies WsResponse));
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('method not allowed\n');
    if (!originAllowed(req.headers.origin, port) || !fetchSiteAllowed(req.headers['sec-fetch-site'])) return refuse(403, 'forbidden');
    const role = roleOf(bearer(req.headers.authorization));
    if (!role) return refuse(401, 'unauthorized');
    const { ok, reply } = await answer(role, 0, method, args);
    json(ok ? 200 : 400, reply);
  }

  /** A call through the role's gate, as the socket's envelope (a stored document as the text kept with it). */
  async function answer(role: Role, id: number, method: unknown, args: unknown): Promise<{ ok: boolean; reply: string }> {
    try {
      const result = role === 'audience' ? await dispatchForAudience(opts.lab, method, args) : await dispatch(opts.lab, method, args);
      return { ok: true, reply: typeof method === 'string' && DOC_METHODS.has(method) ? docReply(id, result) : JSON.stringify({ id, ok: true, result } satisfies WsResponse) };
    } catch (err) {
      return { ok: false, reply: JSON.stringify({ id, ok: false, error: errorText(err) } satisfies WsResponse) };
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const clients = new Map<WebSocket, Role>();

  server.on('upgrade', (req, socket, head) => {
    // Node removes its own error listener before 'upgrade': without this one, a reset socket ends the process.
    socket.on('error', () => socket.destroy());
    const refuse = (status: string) => {
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // Host first: nothing is parsed for a request that does not name this server.
    if (!hostAllowed(req.headers.host, port)) return refuse('421 Misdirected Request');
    if (!originAllowed(req.headers.origin, port)) return refuse('403 Forbidden');
    const target = requestTarget(req.url);
    if (!target.ok) return refuse('400 Bad Request');
    if (target.path !== '/api') return refuse('404 Not Found');
    const role = roleOf(target.query.get('token') ?? '');
    if (!role) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.set(ws, role);
      // Invalid UTF-8, a frame over maxPayload, a protocol error: ws closes this socket (1007, 1009, 1002) and
      // reports it here. Only that socket ends.
      ws.on('error', () => undefined);
      ws.on('close', () => clients.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return ws.close(1003, 'text frames only');
        onMessage(ws, String(data), role).catch((err) => process.stderr.write(`isolab serve: ${errorText(err)}\n`));
      });
    });
  });

  async function onMessage(ws: WebSocket, text: string, role: Role) {
    const parsed = parseRequest(text);
    if (!parsed) return ws.close(1003, 'malformed request');
    const { reply } = await answer(role, parsed.id, parsed.method, parsed.args);
    if (ws.readyState === ws.OPEN) ws.send(reply);
  }

  const unsubscribe = opts.lab.onEvent((event: LabEvent) => {
    const msg = JSON.stringify({ event } satisfies WsResponse);
    const forAudience = audienceEvent(event);
    const audienceMsg = forAudience && (forAudience === event ? msg : JSON.stringify({ event: forAudience } satisfies WsResponse));
    for (const [ws, role] of clients) {
      const out = role === 'audience' ? audienceMsg : msg;
      if (ws.readyState !== ws.OPEN || !out) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) ws.terminate();
      else ws.send(out);
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onListenError = (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is in use on 127.0.0.1; choose another with --port`) : err);
    server.once('error', onListenError);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', onListenError);
      resolve();
    });
  });
  port = (server.address() as { port: number }).port;
  // The Learn table's first read computes each saved run's startup interval (~200 ms per 10,000-start run; then
  // kept per document): done now, in the background, so the page need not wait for it. A failure is the page's read
  // to report, when it asks.
  const warm = setTimeout(() => {
    Promise.resolve()
      .then(() => opts.lab.tradeoffs())
      .catch(() => undefined);
  }, 0);
  const base = `http://127.0.0.1:${port}/`;
  return {
    url: `${base}?token=${token}`,
    audienceUrl: audienceToken ? `${base}?token=${audienceToken}&audience=1` : undefined,
    port,
    close: async () => {
      clearTimeout(warm);
      unsubscribe();
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * The stores hand out one frozen document per file while the file is unchanged (electron/lab/validated-cache.ts, which
 * freezes it whole), so a document's JSON (4.5 MiB, tens of ms to write, for a 10,000-sample run) is made once and kept
 * with it: opening it again sends the same text. An edited file is a new document, and new text.
 */
const docText = new WeakMap<object, string>();

function docReply(id: number, doc: unknown): string {
  let body = typeof doc === 'object' && doc !== null ? docText.get(doc) : undefined;
  if (body === undefined) {
    body = JSON.stringify(doc) ?? 'null';
    if (typeof doc === 'object' && doc !== null && Object.isFrozen(doc)) docText.set(doc, body);
  }
  return `{"id":${JSON.stringify(id)},"ok":true,"result":${body}}`;
}

/**
 * Vite names each file under assets/ by a hash of its content, so a name always means the same bytes: the browser
 * keeps them (and, from the second load on, V8's compiled code for them) instead of fetching and compiling the
 * renderer again on every page load. index.html, which names them, is asked for again each time.
 */
function cacheControl(rel: string): string {
  return rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** A request frame, or undefined for anything that is not one (bad JSON, wrong shape). */
function parseRequest(text: string): WsRequest | undefined {
  try {
    const parsed = WsRequest.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The same policy as the Electron window, plus the WebSocket back to this server. */
function csp(port: number): string {
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
