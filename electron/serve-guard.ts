/**
 * Browser mode's request checks, as pure functions that never throw: a request handler that throws takes the
 * whole server down, and any web page the presenter opens can send a request to 127.0.0.1. Each check takes the
 * raw header value (a string, an array or nothing) and answers yes or no.
 */

/** The Host header must name this server: against DNS rebinding, a foreign name never reaches the API. */
export function hostAllowed(host: unknown, port: number): boolean {
  if (typeof host !== 'string') return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/**
 * A browser always sends Origin on a WebSocket: it must be this server's page. No Origin means a program
 * (curl, the tests, a script), which cannot be driven by a web page and still needs the token.
 */
export function originAllowed(origin: unknown, port: number): boolean {
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

/**
 * A fetch's Sec-Fetch-Site, where the browser sends one: only the page's own requests (same-origin) or one the user
 * typed (none) may read through the API over GET; a request another site's page made is refused even with a token.
 */
export function fetchSiteAllowed(site: unknown): boolean {
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The token of an `Authorization: Bearer <token>` header, or '' (which no token equals). */
export function bearer(header: unknown): string {
  if (typeof header !== 'string') return '';
  const m = /^Bearer ([\w-]{1,200})$/.exec(header);
  return m ? m[1] : '';
}

export type RequestTarget =
  | { ok: true; /** The decoded path. */ path: string; query: URLSearchParams }
  | { ok: false; reason: 'not-a-path' | 'bad-encoding' | 'nul-byte' };

/** Longer request targets are refused outright; the renderer's longest is well under 200 characters. */
const MAX_TARGET_LENGTH = 4096;

/**
 * The request target as this server uses it: origin-form only (`/path?query`), the path percent-decoded.
 * Absolute-form (`http://x/`), `*` and `//host` are not paths of this server; bad percent-encoding (`/%zz`)
 * and NUL bytes are refused here, so nothing after this point can throw on them.
 */
export function requestTarget(raw: unknown): RequestTarget {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.length > MAX_TARGET_LENGTH) {
    return { ok: false, reason: 'not-a-path' };
  }
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, reason: 'bad-encoding' };
  }
  if (path.includes('\0')) return { ok: false, reason: 'nul-byte' };
  // URLSearchParams decodes leniently (a bad escape stays as typed) and never throws on a string.
  return { ok: true, path, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}
