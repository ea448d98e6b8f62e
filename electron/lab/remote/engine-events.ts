import type Docker from 'dockerode';
import { LABEL_MANAGED, LABEL_OWNER_PID } from '../labels';
import type { EngineEvent } from './engine-phases';

/** The container events whose engine instants time a start (see engine-phases.ts). */
const ACTIONS = ['create', 'start', 'die', 'destroy'];
/** Containers whose events are kept until waited for: footprint and density instances are never waited for. */
const KEEP = 512;

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string };
}

/**
 * The remote engine's own account of this isolab's containers: one `GET /events` stream, filtered to containers
 * this process labelled, kept open for the comparison. Each event carries `timeNano` from the engine's clock, so
 * a start's phases can be timed there (engine-phases.ts) instead of through SSH round trips. Events are
 * asynchronous: `wait` gives what arrived within its bound, and the caller falls back to its own clock for a
 * sample that lacks one.
 */
export class EngineEventLog {
  private readonly byId = new Map<string, EngineEvent[]>();
  private readonly wakers = new Set<() => void>();
  private ended?: Error;
  private pending = '';

  private constructor(
    private readonly stream: NodeJS.ReadableStream & { destroy?(): void },
    private readonly release: () => void,
  ) {
    stream.on('data', (chunk: Buffer | string) => this.feed(chunk.toString()));
    const end = (err?: Error) => {
      this.ended ??= err ?? new Error('the engine closed its event stream');
      this.wake();
    };
    stream.on('error', end);
    stream.on('end', () => end());
    stream.on('close', () => end());
  }

  /**
   * Subscribes before the first container is made: the engine sends only what happens from then on. `release`
   * frees what carries the stream (its SSH channel) on close.
   */
  static async open(docker: Docker, release: () => void = () => {}): Promise<EngineEventLog> {
    const stream = await docker.getEvents({
      filters: { type: ['container'], event: ACTIONS, label: [`${LABEL_MANAGED}=true`, `${LABEL_OWNER_PID}=${process.pid}`] },
    });
    return new EngineEventLog(stream, release);
  }

  /** Why the stream ended, if it did (a sample then keeps its local marks). */
  get error(): Error | undefined {
    return this.ended;
  }

  /** The container's events once all `actions` arrived, or what arrived by `boundMs`; forgets them after. */
  async wait(id: string, actions: readonly string[], boundMs: number): Promise<EngineEvent[]> {
    const has = () => actions.every((a) => this.byId.get(id)?.some((e) => e.action === a));
    if (!has() && !this.ended) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakers.delete(check);
          resolve();
        };
        const check = () => (has() || this.ended) && done();
        const timer = setTimeout(done, boundMs);
        this.wakers.add(check);
      });
    }
    const got = this.byId.get(id) ?? [];
    this.byId.delete(id);
    return got;
  }

  close(): void {
    this.ended ??= new Error('closed');
    this.stream.destroy?.();
    this.release();
    this.wake();
  }

  private feed(text: string): void {
    // One JSON object per line (the engine flushes each event).
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let e: RawEvent;
      try {
        e = JSON.parse(line) as RawEvent;
      } catch {
        continue;
      }
      const id = e.Actor?.ID ?? e.id;
      const action = e.Action ?? e.status;
      // timeNano read from the text: JSON.parse would round it (2^53 ns is 104 days).
      const nano = /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
      if (!id || !action || !nano) continue;
      const list = this.byId.get(id) ?? [];
      list.push({ action, timeNano: BigInt(nano) });
      this.byId.set(id, list);
      if (this.byId.size > KEEP) this.byId.delete(this.byId.keys().next().value!);
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }
}
