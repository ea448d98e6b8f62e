import type { Environment, Footprint } from '../../../shared/run';
import type { Note } from '../../../shared/notes';

/** Marks of one iteration: ms since the zero point at which each phase ended, in phase order. */
export type Marks = Record<string, number>;

export interface IterationContext {
  iteration: number;
  warmup: boolean;
  signal: AbortSignal;
  /** Called as each phase ends, so progress can name the phase under way. */
  onPhase(phase: string): void;
}

/**
 * One isolation model the runner can time. A target owns everything it creates: `prepare` gets it ready
 * (image built, engine reachable), `iterate` runs one cold start from request to cleanup, and `dispose`
 * removes whatever is left, also after a cancel or a failure.
 */
export interface Target {
  /** "process", "container:runc", "vm:qemu-tcg" ... */
  readonly model: string;
  /** Phase names in the order they end. */
  readonly phases: readonly string[];
  prepare(signal: AbortSignal): Promise<void>;
  /** What this target adds to the run's environment (engine facts, accelerator). */
  environment(): Promise<Partial<Environment>>;
  /**
   * The environment recorded before `prepare` succeeds (kept when it fails): this machine's facts when left
   * out. A remote target knows nothing of its host until it has connected, and says so here.
   */
  initialEnvironment?(): Promise<Partial<Environment>>;
  iterate(ctx: IterationContext): Promise<Marks>;
  footprint?(signal: AbortSignal): Promise<Footprint | undefined>;
  /** Caveats a reader needs next to the numbers. */
  notes?(): Note[];
  dispose(): Promise<void>;
}

/** Thrown when a run is cancelled; the runner turns it into status "cancelled". */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CancelledError();
}

/** A monotonic clock in ms with sub-ms resolution. */
export const now = (): number => performance.now();
