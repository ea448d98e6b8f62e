import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { RandomSource } from '../../shared/random';

/**
 * Inputs and raw clients for the browser-mode fuzz suite (test/integration/serve-fuzz.test.ts): request lines,
 * headers and WebSocket frames as bytes on a socket, since a well-behaved client library refuses to send most
 * of them. Every generator is driven by a seeded source, so a failure repeats with the same seed.
 */

export const pick = <T>(rand: RandomSource, items: readonly T[]): T => items[Math.floor(rand() * items.length)];

/** Request targets: bad and overlong escapes, traversal, NUL, raw high bytes, non-paths, very long ones. */
function target(rand: RandomSource, token: string): string {
  const parts = ['%zz', '%', '%2', '%E0%A4%A', '%c0%af', '%ff', '%00', '..', '%2e%2e', '%2f', '\\', '[', ']', '@', ':', ';', 'index.html', 'assets', 'api', 'a.js', '\xff\xfe', 'é', '~', '%u0041', '%25', '+', ' '];
  const kind = rand();
  if (kind < 0.05) return pick(rand, ['*', '//[', '//', 'http://evil.example/', 'http://[/', '', '?', '#']);
  if (kind < 0.08) return '/' + 'a'.repeat(1 + Math.floor(rand() * 12_000));
  let t = '/';
  const n = Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) t += pick(rand, parts) + (rand() < 0.3 ? '/' : '');
  if (rand() < 0.3) t += `?token=${pick(rand, [token, '', '%zz', token + 'x', 'a'.repeat(300)])}${rand() < 0.3 ? '&audience=1' : ''}`;
  return t;
}

/** Host header values: this server, other names, what `new URL` cannot parse, ports out of range, long ones. */
function host(rand: RandomSource, port: number): string | undefined {
  return pick(rand, [
    `127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, undefined, '', '[', ']', 'x:99999999', `127.0.0.1:${port}@evil.example`,
    'evil.example', '127.0.0.1', `127.0.0.1:${port + 1}`, '[::1]:' + port, 'a'.repeat(5000), '\xff', `127.0.0.1:${port}\t`, '%zz', 'http://[',
  ]);
}

function origin(rand: RandomSource, port: number): string | undefined {
  return pick(rand, [
    undefined, `http://127.0.0.1:${port}`, `http://localhost:${port}`, 'null', 'http://evil.example', `https://127.0.0.1:${port}`,
    `http://127.0.0.1:${port}.evil.example`, '[', '', `http://127.0.0.1:${port}, http://evil.example`, '\xff\xfe', 'file://',
  ]);
}

/** One HTTP request as bytes: odd methods, targets, Host values, broken bodies and header lines. */
export function httpRequest(rand: RandomSource, port: number, token: string): string {
  const method = pick(rand, ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'BREW', 'G\x00T', 'get']);
  const h = host(rand, port);
  const lines = [`${method} ${target(rand, token)} HTTP/${pick(rand, ['1.1', '1.1', '1.0', '2.0', '9'])}`];
  if (h !== undefined) lines.push(`Host: ${h}`);
  if (rand() < 0.1) lines.push(`Host: ${host(rand, port) ?? 'second'}`);
  const extra = rand();
  if (extra < 0.1) lines.push('Content-Length: 10', '', 'short');
  else if (extra < 0.2) lines.push('Transfer-Encoding: chunked', '', 'zz\r\nnot a chunk');
  else if (extra < 0.25) lines.push('a header line without a colon');
  else if (extra < 0.3) lines.push(`X-Big: ${'b'.repeat(20_000)}`);
  else if (extra < 0.35) lines.push('X-Nul: a\x00b');
  lines.push('Connection: close', '', '');
  return lines.join('\r\n');
}

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** A WebSocket upgrade; `valid` asks for one that should be accepted (this host, no Origin, a real token). */
export function upgradeRequest(opts: { target: string; host?: string; origin?: string; key?: string | null; version?: string | null }): string {
  const lines = [`GET ${opts.target} HTTP/1.1`];
  if (opts.host !== undefined) lines.push(`Host: ${opts.host}`);
  lines.push('Connection: Upgrade', 'Upgrade: websocket');
  if (opts.version !== null) lines.push(`Sec-WebSocket-Version: ${opts.version ?? '13'}`);
  if (opts.key !== null) lines.push(`Sec-WebSocket-Key: ${opts.key ?? KEY}`);
  if (opts.origin !== undefined) lines.push(`Origin: ${opts.origin}`);
  lines.push('', '');
  return lines.join('\r\n');
}

export function randomUpgrade(rand: RandomSource, port: number, tokens: string[]): { request: string; mayOpen: boolean } {
  const h = host(rand, port);
  const o = origin(rand, port);
  const token = pick(rand, [...tokens, '', 'nope', '%zz', tokens[0] + 'x']);
  const path = pick(rand, ['/api', '/api', '/api/', '/API', '/%zz', '//[', '/api%00', '*']);
  const key = pick(rand, [undefined, undefined, null, '', 'short', '!!!!']);
  const version = pick(rand, [undefined, undefined, null, '8', 'abc']);
  const request = upgradeRequest({ target: `${path}?token=${token}`, host: h, origin: o, key, version });
  const hostOk = h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `LOCALHOST:${port}`;
  const originOk = o === undefined || o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
  return { request, mayOpen: hostOk && originOk && path === '/api' && tokens.includes(token) };
}

/**
 * A page's first read over GET (`/api/run/<id>`, `/api/comparison/<id>`, `/api/tradeoffs`) with any path, Host, Origin,
 * Sec-Fetch-Site and Authorization; `mayRead`: what alone may be answered 200 (this Host, a same-origin or no Origin,
 * a same-origin or user-typed fetch, a real token in a Bearer header, the table or an existing document).
 */
export function randomRead(rand: RandomSource, port: number, tokens: string[], ids: { run: string; comparison: string }): { request: string; mayRead: boolean } {
  // Each part is a good one four times in five, so reads that must be answered come up as well as refusals.
  const mostly = <T>(good: T, bad: readonly T[]): T => (rand() < 0.8 ? good : pick(rand, bad));
  const h = mostly<string | undefined>(`127.0.0.1:${port}`, [host(rand, port)]);
  const o = mostly<string | undefined>(undefined, [origin(rand, port)]);
  const site = mostly<string | undefined>('same-origin', [undefined, 'none', 'cross-site', 'same-site', '']);
  const token = mostly(pick(rand, tokens), ['', 'nope', tokens[0] + 'x', 'a'.repeat(300)]);
  const auth = mostly<string | undefined>(`Bearer ${token}`, [`bearer ${token}`, token, `Basic ${token}`, undefined, `Bearer ${token} x`]);
  const id = mostly(pick(rand, [ids.run, ids.comparison]), ['', '%zz', '..%2F..%2Fetc%2Fpasswd', '20260101T000000000Z-process-zzzz', 'a'.repeat(3000), '%00', 'x/y']);
  const path = pick(rand, [`/api/run/${id}`, `/api/comparison/${id}`, '/api/tradeoffs', '/api/tradeoffs/', `/api/run/${id}?token=${token}`, '/api/run', '/API/tradeoffs']);
  const method = mostly('GET', ['HEAD', 'POST', 'OPTIONS', 'get']);
  const lines = [`${method} ${path} HTTP/1.1`];
  if (h !== undefined) lines.push(`Host: ${h}`);
  if (o !== undefined) lines.push(`Origin: ${o}`);
  if (site !== undefined) lines.push(`Sec-Fetch-Site: ${site}`);
  if (auth !== undefined) lines.push(`Authorization: ${auth}`);
  lines.push('Connection: close', '', '');
  // The HTTP parser drops whitespace around a header's value (RFC 9110's OWS): "127.0.0.1:port\t" is this Host.
  const hostOk = [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`].includes(h?.trim() ?? '');
  const originOk = o === undefined || o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
  const siteOk = site === undefined || site === 'same-origin' || site === 'none';
  const authOk = auth === `Bearer ${token}` && tokens.includes(token);
  // A token in the query is ignored (the header decides), not refused.
  const bare = path.split('?')[0];
  const known = bare === '/api/tradeoffs' || bare === `/api/run/${ids.run}` || bare === `/api/comparison/${ids.comparison}`;
  return { request: lines.join('\r\n'), mayRead: method === 'GET' && hostOk && originOk && siteOk && authOk && known };
}

/** A client frame as bytes: any opcode and RSV bits, masked or not, with a declared length that may lie. */
function frame(o: { opcode: number; payload: Buffer; fin?: boolean; rsv?: number; mask?: boolean; declaredLength?: number | bigint }): Buffer {
  const fin = o.fin ?? true;
  const mask = o.mask ?? true;
  const len = o.declaredLength ?? o.payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (o.opcode & 0x0f)];
  let ext = Buffer.alloc(0);
  if (typeof len === 'bigint' || len > 0xffff) {
    head.push((mask ? 0x80 : 0) | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  } else if (len > 125) {
    head.push((mask ? 0x80 : 0) | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(len);
  } else head.push((mask ? 0x80 : 0) | len);
  if (!mask) return Buffer.concat([Buffer.from(head), ext, o.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(o.payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

/** Frames a well-behaved client never sends: invalid UTF-8, reserved opcodes, lying lengths, bad closes. */
export function hostileFrames(rand: RandomSource): Buffer[] {
  const text = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s) : s);
  const invalidUtf8 = [Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('{"id":1,"method":"info","args":[]}\xff', 'latin1')];
  const k = Math.floor(rand() * 14);
  switch (k) {
    case 0: return [frame({ opcode: 1, payload: pick(rand, invalidUtf8) })];
    case 1: return [frame({ opcode: 1, payload: Buffer.alloc(0), declaredLength: (1 << 20) + 1 + Math.floor(rand() * 1000) })];
    case 2: return [frame({ opcode: 1, payload: Buffer.alloc(0), declaredLength: 2n ** 63n + 5n })];
    case 3: return [frame({ opcode: 2, payload: randomBytes(1 + Math.floor(rand() * 200)) })];
    case 4: return [frame({ opcode: pick(rand, [3, 4, 5, 6, 7, 11, 12, 13, 14, 15]), payload: randomBytes(4) })];
    case 5: return [frame({ opcode: 1, rsv: 1 + Math.floor(rand() * 7), payload: text('{}') })];
    case 6: return [frame({ opcode: 1, mask: false, payload: text('{"id":1,"method":"info","args":[]}') })];
    case 7: return [frame({ opcode: 0, payload: text('continuation without a start') })];
    case 8: return [frame({ opcode: 9, payload: randomBytes(126) })]; // control frame over 125 bytes
    case 9: return [frame({ opcode: 9, fin: false, payload: text('fragmented ping') })];
    case 10: return [frame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) })]; // close code 999
    case 11: return [frame({ opcode: 8, payload: Buffer.from([0x03, 0xe8, 0xff, 0xfe]) })]; // close reason not UTF-8
    case 12: return [frame({ opcode: 1, fin: false, payload: text('{"id":') }), frame({ opcode: 1, payload: text('1}') })]; // new message inside one
    default: return [frame({ opcode: 1, fin: false, payload: text('x'.repeat(600_000)) }), frame({ opcode: 0, payload: text('y'.repeat(600_000)) })]; // fragments over the limit
  }
}

/** Message texts a client can send in valid frames: bad JSON, wrong shapes, unknown methods, bad arguments. */
export function message(rand: RandomSource, readMethods: readonly string[], id: number): { text: string; closes: boolean } {
  const k = rand();
  if (k < 0.12) return { text: pick(rand, ['{', 'null', '[]', '"x"', '1e999', '{"id":1}', '{"id":"1","method":"info","args":[]}', '{"id":1.5,"method":"info","args":[]}', '{"id":1,"method":"info","args":{}}', '\u0000', '']), closes: true };
  if (k < 0.16) return { text: '['.repeat(100_000) + ']'.repeat(100_000), closes: true };
  if (k < 0.5) {
    const method = pick(rand, ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'rmrf', 'onEvent', 'emit', 'shutdown', 'docker', 'bench', 'store', 'INFO', ' info', 'info\u0000', 'x'.repeat(10_000)]);
    return { text: JSON.stringify({ id, method, args: [] }), closes: false };
  }
  const args = pick(rand, [[], [null], ['../../etc/passwd'], [{}], [1, 2, 3], ['x'.repeat(300_000)], [{ __proto__: { polluted: true } }], JSON.parse('[{"__proto__":{"polluted":true}}]'), [[[[[[[[[[]]]]]]]]]], ['a', 'csv', 'extra']]);
  return { text: JSON.stringify({ id, method: pick(rand, readMethods), args }), closes: false };
}

/** The server's answer head has arrived: the status is all a check needs. */
export const headDone = (reply: Buffer) => reply.includes('\r\n\r\n');

/** After a 101, the server sent a close frame (it waits for the client's before it ends the connection). */
export const closeFrameSent = (reply: Buffer) => {
  const at = reply.indexOf('\r\n\r\n');
  return at >= 0 && reply.subarray(at + 4).includes(0x88);
};

/** Writes bytes and collects what comes back until `done` says so, the server closes, or `timeoutMs` passes. */
export function exchange(port: number, bytes: string | Buffer | Buffer[], opts: { done?: (reply: Buffer) => boolean; timeoutMs?: number } = {}): Promise<{ reply: string; ended: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = true;
    const s = net.connect(port, '127.0.0.1', () => {
      for (const b of Array.isArray(bytes) ? bytes : [bytes]) s.write(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
    });
    s.on('data', (d) => {
      chunks.push(d);
      if (opts.done?.(Buffer.concat(chunks))) s.destroy();
    });
    s.on('error', () => undefined);
    s.on('close', () => resolve({ reply: Buffer.concat(chunks).toString('latin1'), ended }));
    s.setTimeout(opts.timeoutMs ?? 5000, () => {
      ended = false;
      s.destroy();
    });
  });
}

/** The status code of a raw reply, or undefined when the server sent nothing. */
export const statusOf = (reply: string): number | undefined => {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(reply);
  return m ? Number(m[1]) : undefined;
};

/** Runs `jobs` with at most `limit` at a time. */
export async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}
