import { randomBytes } from 'node:crypto';
import type { IsolationFacts } from '../../../shared/learn/facts';
import { RaceRequest, type DensityDemo, type Kernels, type RaceState, type WorkshopDemo, type WorkshopView } from '../../../shared/learn/race';
import type { LabEvent } from '../../../shared/api';
import type { Run } from '../../../shared/run';
import type { EngineConnection } from '../docker/engine';
import type { JobManager } from '../jobs/manager';
import type { RunStore } from '../store';
import { CancelledError } from '../targets/target';
import { densityDemo, vmMemoryFromRuns } from './density';
import { runRace } from './race';

export interface WorkshopDeps {
  root: string;
  store: RunStore;
  /** The race and the density demo are jobs: listed by info(), cancelled by id, stopped at shutdown. */
  jobs: JobManager;
  docker(): Promise<EngineConnection>;
  emit(e: LabEvent): void;
}

/**
 * Workshop mode's engine side: one race at a time, its state kept so an audience that joins late (or reloads)
 * draws the same timeline, and the density demo. Every face receives the race events.
 */
export class Workshop {
  private race?: { state: RaceState; done: Promise<void> };
  private demos = 0;
  private lastVm?: { bytes: number; source: string; raceId?: string };
  private current: WorkshopView = { demo: 'race' };
  private readonly closing = new AbortController();
  /** Aborts when the Lab shuts down: one-off probes (the live facts, their VM boot) stop and clean up. */
  readonly signal: AbortSignal = this.closing.signal;

  constructor(private readonly deps: WorkshopDeps) {}

  startRace(request: RaceRequest): { raceId: string } {
    if (this.race?.state.status === 'running') throw new Error(`race ${this.race.state.raceId} is still under way; cancel it first`);
    const req = RaceRequest.parse(request);
    const raceId = `race-${new Date().toISOString().replace(/[:.]/g, '').replace(/-/g, '')}-${randomBytes(2).toString('hex')}`;
    const state: RaceState = { raceId, status: 'running', startedAt: new Date().toISOString(), containers: req.containers, marks: [] };
    const { done } = this.deps.jobs.start({ id: raceId, kind: 'race' }, async ({ signal }) => {
      try {
        const summary = await runRace({
          raceId,
          containers: req.containers,
          memoryMiB: req.memoryMiB,
          runtime: req.runtime,
          machine: req.machine,
          root: this.deps.root,
          conn: await this.deps.docker(),
          signal,
          onStart: () => {
            state.startedAt = new Date().toISOString();
            this.deps.emit({ type: 'race-started', raceId, containers: req.containers, startedAt: state.startedAt });
          },
          onMark: (m) => {
            state.marks.push(m);
            this.deps.emit({ type: 'race-mark', raceId, ...m });
          },
        });
        state.status = 'complete';
        state.summary = summary;
        if (summary.vmPssBytes) this.lastVm = { bytes: summary.vmPssBytes, source: `QEMU PSS at SSH ready in race ${raceId}`, raceId };
      } catch (err) {
        state.status = err instanceof CancelledError || signal.aborted ? 'cancelled' : 'failed';
        if (state.status === 'failed') state.error = (err as Error).message;
      }
      this.deps.emit({ type: 'race-finished', raceId, status: state.status as 'complete' | 'cancelled' | 'failed', summary: state.summary, error: state.error });
    });
    this.race = { state, done };
    return { raceId };
  }

  async cancelRace(raceId: string): Promise<boolean> {
    const r = this.race;
    if (!r || r.state.raceId !== raceId || r.state.status !== 'running') return false;
    return this.deps.jobs.cancel(raceId, 'race');
  }

  /** The current or last race (a copy), for a face that joins late. */
  raceState(): RaceState | null {
    return this.race ? structuredClone(this.race.state) : null;
  }

  /** Waits for the race under way (tests, shutdown). */
  async settled(): Promise<void> {
    await this.race?.done;
  }

  async densityDemo(): Promise<DensityDemo> {
    const conn = await this.deps.docker().catch(() => undefined);
    let vm: { bytes: number; source: string; runId?: string; raceId?: string } | undefined = this.lastVm;
    if (!vm) {
      const items = (await this.deps.store.list()).filter((r) => r.model.startsWith('vm:') && (r.status === 'complete' || r.status === 'partial' || r.status === 'interrupted'));
      items.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const runs = await Promise.all(items.slice(0, 10).map((i) => this.deps.store.get(i.id).catch(() => undefined)));
      vm = vmMemoryFromRuns(runs.filter((r): r is Run => r !== undefined));
    }
    const id = `density-demo-${process.pid}-${++this.demos}`;
    const { done } = this.deps.jobs.start({ id, kind: 'density-demo' }, ({ signal }) =>
      densityDemo({ runId: `density-demo-${process.pid}`, conn, signal: AbortSignal.any([signal, this.signal]), vm }),
    );
    const result = await done;
    this.show({ ...this.current, density: result });
    return result;
  }

  /** The kernels for "what is shared": host and container from facts read now, the VM's from the last race's guest if one answered. */
  kernels(facts: IsolationFacts): Kernels {
    const guest = this.race?.state.summary?.vmKernel;
    const k: Kernels = {
      host: facts.host.kernel?.release,
      container: facts.container.kernel?.release,
      vm: guest ?? facts.vm.kernel?.release,
      vmBooted: !!guest || !!facts.vm.kernel?.version,
    };
    this.show({ ...this.current, kernels: k });
    return k;
  }

  setDemo(demo: WorkshopDemo): WorkshopView {
    this.show({ ...this.current, demo });
    return this.view();
  }

  view(): WorkshopView {
    return structuredClone(this.current);
  }

  private show(v: WorkshopView): void {
    this.current = v;
    this.deps.emit({ type: 'workshop-view', view: this.view() });
  }

  async shutdown(): Promise<void> {
    this.closing.abort();
    if (this.race?.state.status === 'running') await this.cancelRace(this.race.state.raceId);
  }
}
