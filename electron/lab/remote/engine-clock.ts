import type { StartupClock } from '../../../shared/compare';
import { note, type Note } from '../../../shared/notes';
import { medianOf } from '../../../shared/stats';
import type { Marks } from '../targets/target';
import type { EngineEventLog } from './engine-events';
import { engineMarks, phaseClocks, READY_LINE, streamEvents, type EngineWhere, type ReadinessKind } from './engine-phases';

/** How long a sample waits for its engine events once its container is gone (they usually came long before). */
const EVENT_WAIT_MS = 1500;

/** The engine's event stream, or how to open it (on first use: a comparison's, shared by its container models). */
export type EventSource = EngineEventLog | (() => Promise<EngineEventLog>);

/**
 * One model's starts timed on an engine's clock (a remote host's, or this machine's): each timed sample's marks are
 * put on the engine's events (engine-phases.ts) after its container is removed, so waiting for them is outside every
 * interval. A sample whose events did not come in time keeps this machine's marks, and is counted; when the stream
 * could not be opened at all every sample keeps them, and the clock and notes say why.
 */
export class EngineClock {
  private samples = 0;
  private fellBack = 0;
  private readonly missing: Record<string, number> = {};
  private readonly throughSsh: number[] = [];
  private events?: EngineEventLog;
  private opening?: Promise<void>;
  private openError?: string;

  constructor(
    private readonly source: EventSource,
    private readonly boundMs = EVENT_WAIT_MS,
    private readonly where: EngineWhere = 'remote',
    private readonly log?: (line: string) => void,
  ) {}

  /**
   * Opens the stream (once; the driver's prepare calls it, so it is subscribed before the model's first container).
   * A failure is kept, not thrown: the starts then keep this machine's clock.
   */
  open(): Promise<void> {
    this.opening ??= (typeof this.source === 'function' ? this.source() : Promise.resolve(this.source)).then(
      (e) => {
        this.events = e;
      },
      (err: Error) => {
        this.openError = err.message;
        this.log?.(`the engine's event stream could not be opened (${err.message}): containers are timed on this machine's clock`);
      },
    );
    return this.opening;
  }

  /** The sample's marks on the engine's clock where its events allow, else its local ones (counted unless warmup). */
  async settle(containerId: string, local: Marks, readiness: ReadinessKind, warmup: boolean, readyLine?: bigint): Promise<Marks> {
    await this.open();
    if (!this.events) return { ...local };
    const events = await this.events.wait(containerId, streamEvents(readiness), this.boundMs);
    if (readyLine !== undefined) events.push({ action: READY_LINE, timeNano: readyLine });
    const r = engineMarks(local, events, readiness);
    if (!warmup) {
      this.samples++;
      if (local.ready !== undefined) this.throughSsh.push(local.ready);
      if (r.missing.length) this.fellBack++;
      for (const a of r.missing) this.missing[a] = (this.missing[a] ?? 0) + 1;
    }
    return r.marks;
  }

  private eventCounts(): NonNullable<StartupClock['engineEvents']> {
    const median = medianOf(this.throughSsh);
    return {
      samples: this.samples,
      localFallback: this.fellBack,
      waitBoundMs: this.boundMs,
      ...(Object.keys(this.missing).length ? { missing: { ...this.missing } } : {}),
      ...(median !== undefined ? { throughSshReadyMedianMs: median } : {}),
    };
  }

  /** Whether any timed sample is on the engine's clock (else every one kept this machine's). */
  private timedByEngine(): boolean {
    return this.events !== undefined && this.samples > this.fellBack;
  }

  /**
   * What the document says of a remote model's clock. `roundTripMs` is the engine ping's round trip over the channel;
   * what SSH still adds to ready is the round trips left in it (the create call's) times that. When the stream could
   * not be opened, or every sample fell back (the event stream was lost), the figures are this machine's, through
   * SSH, as before.
   */
  startupClock(readiness: ReadinessKind, roundTripMs: number, throughSshTrips: number): StartupClock {
    const throughSsh = { clock: 'local-through-ssh' as const, roundTripMs, roundTripsToReady: throughSshTrips, sshAllowanceMs: roundTripMs * throughSshTrips };
    if (!this.events) return throughSsh;
    const events = this.eventCounts();
    if (!this.timedByEngine() && this.samples > 0) return { ...throughSsh, engineEvents: events };
    const phases = phaseClocks(readiness);
    const trips = phases.ready.clock === 'remote-engine' ? phases.ready.sshRoundTrips! : throughSshTrips;
    if (phases.ready.clock === 'local-through-ssh') phases.ready.sshRoundTrips = throughSshTrips;
    return { clock: 'remote-engine', roundTripMs, roundTripsToReady: trips, sshAllowanceMs: roundTripMs * trips, phases, engineEvents: events };
  }

  /**
   * What the document says of a local model's clock: `local-engine` (no SSH, nothing to allow for) once a sample is on
   * the engine's clock; undefined, this machine's clock at the engine's answers as before, when none is (the notes
   * say why).
   */
  localClock(readiness: ReadinessKind): StartupClock | undefined {
    if (!this.timedByEngine()) return undefined;
    return { clock: 'local-engine', sshAllowanceMs: 0, phases: phaseClocks(readiness, 'local'), engineEvents: this.eventCounts() };
  }

  notes(): Note[] {
    if (this.where === 'local' && this.openError !== undefined) return [note('local-engine-no-events', { error: this.openError })];
    if (this.samples === 0) return [];
    const counts = { samples: this.samples, localFallback: this.fellBack };
    return [this.where === 'local' ? note('local-engine-clock', counts) : note('remote-engine-clock', counts)];
  }
}
