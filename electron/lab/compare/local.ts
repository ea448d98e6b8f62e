import type { EngineConnection } from '../docker/engine';
import { EngineEventLog } from '../remote/engine-events';

/**
 * A comparison on this machine, shaped as `RemotePlace` is for a remote host: its engine's event stream, opened on
 * first use (the first container model's prepare, before its first container) and closed with `close` when the
 * comparison ends, whether it completed, failed or was cancelled.
 */
export class LocalPlace {
  private events?: Promise<EngineEventLog>;
  private closed = false;

  constructor(private readonly docker: () => Promise<EngineConnection>) {}

  /** The engine's event stream, opened once (a machine without an engine fails with the engine's error). */
  engineEvents = (): Promise<EngineEventLog> => {
    // Once closed none is opened again: a stream left open would keep the process alive.
    if (this.closed) return Promise.reject(new Error('the comparison is over'));
    this.events ??= this.docker().then((c) => EngineEventLog.open(c.docker));
    return this.events;
  };

  async close(): Promise<void> {
    this.closed = true;
    (await this.events?.catch(() => undefined))?.close();
  }
}
