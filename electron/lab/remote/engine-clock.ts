import type { StartupClock } from '../../../shared/compare';
import { note, type Note } from '../../../shared/notes';
import { medianOf } from '../../../shared/stats';
import type { Marks } from '../targets/target';
import type { EngineEventLog } from './engine-events';
import { engineMarks, phaseClocks, READY_LINE, streamEvents, type ReadinessKind } from './engine-phases';

/** How long a sample waits for its engine events once its container is gone (they usually came long before). */
const EVENT_WAIT_MS = 1500;

/**
 * One model's starts timed on a remote engine's clock: each timed sample's marks are put on the engine's events
 * (engine-phases.ts) after its container is removed, so waiting for them is outside every interval. A sample
 * whose events did not come in time keeps this machine's marks, and is counted.
 */
export class EngineClock {
  private samples = 0;
  private fellBack = 0;
  private readonly missing: Record<string, number> = {};
  private readonly throughSsh: number[] = [];

  constructor(
    private readonly log: EngineEventLog,
    private readonly boundMs = EVENT_WAIT_MS,
  ) {}

  /** The sample's marks on the engine's clock where its events allow, else its local ones (counted unless warmup). */
  async settle(containerId: string, local: Marks, readiness: ReadinessKind, warmup: boolean, readyLine?: bigint): Promise<Marks> {
    const events = await this.log.wait(containerId, streamEvents(readiness), this.boundMs);
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

  /**
   * What the document says of the model's clock. `roundTripMs` is the engine ping's round trip over the channel;
   * what SSH still adds to ready is the round trips left in it (the create call's) times that. When every sample
   * fell back (the event stream was lost) the figures are this machine's, through SSH, as before.
   */
  startupClock(readiness: ReadinessKind, roundTripMs: number, throughSshTrips: number): StartupClock {
    const median = medianOf(this.throughSsh);
    const events = {
      samples: this.samples,
      localFallback: this.fellBack,
      waitBoundMs: this.boundMs,
      ...(Object.keys(this.missing).length ? { missing: { ...this.missing } } : {}),
      ...(median !== undefined ? { throughSshReadyMedianMs: median } : {}),
    };
    if (this.samples > 0 && this.fellBack === this.samples) {
      return { clock: 'local-through-ssh', roundTripMs, roundTripsToReady: throughSshTrips, sshAllowanceMs: roundTripMs * throughSshTrips, engineEvents: events };
    }
    const phases = phaseClocks(readiness);
    const trips = phases.ready.clock === 'remote-engine' ? phases.ready.sshRoundTrips! : throughSshTrips;
    if (phases.ready.clock === 'local-through-ssh') phases.ready.sshRoundTrips = throughSshTrips;
    return { clock: 'remote-engine', roundTripMs, roundTripsToReady: trips, sshAllowanceMs: roundTripMs * trips, phases, engineEvents: events };
  }

  notes(): Note[] {
    if (this.samples === 0) return [];
    return [note('remote-engine-clock', { samples: this.samples, localFallback: this.fellBack })];
  }
}
