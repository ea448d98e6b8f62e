import net from 'node:net';
import ssh2 from 'ssh2';
import { CancelledError } from '../targets/target';
import { blobOf } from './keys';

/**
 * Waits until something on 127.0.0.1:port speaks SSH. QEMU's user-network forwarder accepts a TCP connection
 * before the guest listens (and closes it when the guest refuses), so an accepted connection means nothing;
 * the server's banner ("SSH-2.0-...") does. Returns the socket, paused, with the banner pushed back, ready to
 * hand to the SSH client.
 */
export async function waitForBanner(port: number, deadline: number, signal: AbortSignal, retryMs = 20): Promise<net.Socket> {
  for (;;) {
    if (signal.aborted) throw new CancelledError();
    const sock = await new Promise<net.Socket | undefined>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      const done = (ok: boolean) => {
        s.removeAllListeners('data');
        s.removeAllListeners('close');
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (!ok) s.destroy();
        resolve(ok ? s : undefined);
      };
      const onAbort = () => done(false);
      signal.addEventListener('abort', onAbort, { once: true });
      // The forwarder holds an accepted connection open until the guest answers or refuses.
      const timer = setTimeout(() => done(false), Math.max(0, Math.min(2000, deadline - Date.now())));
      s.on('error', () => done(false));
      s.on('close', () => done(false));
      s.once('data', (chunk: Buffer) => {
        if (!chunk.toString('latin1').startsWith('SSH-')) return done(false);
        s.pause();
        s.unshift(chunk);
        done(true);
      });
    });
    if (sock) return sock;
    if (signal.aborted) throw new CancelledError();
    if (Date.now() > deadline) throw new Error(`no SSH banner on 127.0.0.1:${port} before the deadline: the guest's SSH server did not start`);
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

export interface GuestSession {
  client: ssh2.Client;
  exec(command: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): void;
}

/**
 * Logs in over the socket `waitForBanner` returned, accepting only the host key isolab generated for the
 * guest: any other key fails the handshake.
 */
export function openSession(sock: net.Socket, o: { hostKeyPublic: string; clientKey: string; signal: AbortSignal; timeoutMs: number }): Promise<GuestSession> {
  const expected = blobOf(o.hostKeyPublic);
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let mismatch: string | undefined;
    const onAbort = () => {
      client.end();
      sock.destroy();
      reject(new CancelledError());
    };
    if (o.signal.aborted) return onAbort();
    o.signal.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      o.signal.removeEventListener('abort', onAbort);
      resolve({ client, exec: (cmd) => exec(client, cmd), close: () => client.end() });
    });
    client.once('error', (err) => {
      o.signal.removeEventListener('abort', onAbort);
      sock.destroy();
      reject(mismatch ? new Error(mismatch) : new Error(`SSH to the guest failed: ${err.message}`));
    });
    client.connect({
      sock,
      username: 'root',
      privateKey: o.clientKey,
      readyTimeout: o.timeoutMs,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (key: Buffer) => {
        if (Buffer.isBuffer(key) && key.equals(expected)) return true;
        mismatch = "the guest's SSH host key is not the one isolab generated for it: refusing to log in";
        return false;
      },
    });
  });
}

function exec(client: ssh2.Client, command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(new Error(`ssh exec failed: ${err.message}`));
      let stdout = '';
      let stderr = '';
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.once('close', (code: number | null) => resolve({ code, stdout, stderr }));
    });
  });
}
