/** isolab's monotonic clock: ms since `t0` (performance.now()). */
export const elapsed = (t0: number): number => performance.now() - t0;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The HTTP status the engine answered with, when the error is one. */
export function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number } | undefined)?.statusCode;
}

/** Thrown when the user cancels a swarm run; the run is then `cancelled` and everything it created is removed. */
export class SwarmCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'SwarmCancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SwarmCancelledError();
}

/** Sleeps, waking early (and throwing) when the signal fires. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SwarmCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
