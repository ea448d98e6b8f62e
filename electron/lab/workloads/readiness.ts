import { connect } from 'node:net';
import { CancelledError } from '../targets/target';

export { freePort } from '../net';

/** Resolves once 127.0.0.1:port accepts a connection; polls every few ms until the deadline. */
export async function waitForTcp(port: number, deadline: number, signal: AbortSignal, alive: () => boolean = () => true): Promise<void> {
  for (;;) {
    if (signal.aborted) throw new CancelledError();
    if (await tryConnect(port)) return;
    if (!alive()) throw new Error(`the workload exited before it listened on 127.0.0.1:${port}`);
    if (performance.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} in time; check the command listens on {port} and the network is "host"`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Watches an output stream for a line matching the pattern. `feed` takes raw chunks (Docker's multiplexed
 * frames are matched on their text; the 8-byte headers never match a sane pattern's line start after we split).
 */
export function lineMatcher(pattern: string): { feed(chunk: Buffer | string): boolean } {
  const re = new RegExp(pattern);
  let pending = '';
  return {
    feed(chunk) {
      pending += typeof chunk === 'string' ? chunk : stripDockerFrames(chunk);
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.some((l) => re.test(l.replace(/\r$/, '')))) return true;
      return re.test(pending);
    },
  };
}

/** A container's logs as text: the engine answers them framed (no TTY), as a Buffer or, from some clients, a string. */
export function logText(logs: unknown): string {
  return stripDockerFrames(Buffer.isBuffer(logs) ? logs : Buffer.from(String(logs)));
}

/** Docker's attach stream (no TTY) is framed: [stream, 0, 0, 0, size(4)] then payload. Plain text passes through. */
export function stripDockerFrames(buf: Buffer): string {
  if (buf.length < 8 || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0 || buf[0] > 2) return buf.toString('utf8');
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}

/** A promise that rejects with CancelledError when the signal fires; `off` removes its listener (no leak per start). */
export function onAbort(signal: AbortSignal): { promise: Promise<never>; off(): void } {
  let off = () => {};
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const fire = () => reject(new CancelledError());
    signal.addEventListener('abort', fire, { once: true });
    off = () => signal.removeEventListener('abort', fire);
  });
  promise.catch(() => {});
  return { promise, off: () => off() };
}
