import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { abortable } from '../targets/container';
import { CancelledError } from '../targets/target';

/**
 * One comparison at a time on a host: two would measure each other. The key names the machine (its hashed
 * machine id once connected, else host:port), so two names of one machine share it. Held in this process (a
 * promise chain) and across isolab processes (a proper-lockfile folder under the data dir, taken over when its
 * holder died); a second comparison waits for the first instead of failing.
 */
export class HostLocks {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  /** Waits until no other comparison holds `key`, then holds it until the returned release is called. */
  async acquire(key: string, o: { signal: AbortSignal; onWait?: () => void; pollMs?: number }): Promise<() => Promise<void>> {
    // In this process: queue behind whoever holds it.
    const before = this.tails.get(key);
    let releaseLocal!: () => void;
    const mine = new Promise<void>((r) => (releaseLocal = r));
    const tail = (before ?? Promise.resolve()).then(() => mine);
    this.tails.set(key, tail);
    const done = () => {
      releaseLocal();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    try {
      if (before) {
        o.onWait?.();
        await abortable(before, o.signal);
      }
      const releaseFile = await this.fileLock(key, o, !before);
      return async () => {
        await releaseFile().catch(() => undefined);
        done();
      };
    } catch (err) {
      done();
      throw err;
    }
  }

  /** Across processes: retried until free or cancelled; a holder that died leaves a stale folder, taken over. */
  private async fileLock(key: string, o: { signal: AbortSignal; onWait?: () => void; pollMs?: number }, sayWait: boolean): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `compare-host-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
    for (let said = !sayWait; ; ) {
      if (o.signal.aborted) throw new CancelledError();
      try {
        return await lockfile.lock(file, { realpath: false, stale: 15_000, update: 5_000, onCompromised: () => undefined });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
        if (!said) {
          o.onWait?.();
          said = true;
        }
        await sleep(o.pollMs ?? 500, o.signal);
      }
    }
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
