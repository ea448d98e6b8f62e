import path from 'node:path';

/** The renderer is served from this privileged scheme, so it has a real origin that IPC can check. */
export const APP_SCHEME = 'app';
const APP_HOST = 'isolab';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Only the app's own pages may call the Lab API or be navigated to. */
export function isTrustedUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Maps an app:// URL to a file under the renderer folder, refusing anything that escapes it. */
export function resolveAppFile(rendererDir: string, url: string): string | undefined {
  if (!isTrustedUrl(url)) return undefined;
  const rel = decodeURIComponent(new URL(url).pathname) || '/';
  const file = path.resolve(rendererDir, '.' + (rel === '/' ? '/index.html' : rel));
  const root = path.resolve(rendererDir);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** The window's policy: only the app's own code, no remote content at all. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
