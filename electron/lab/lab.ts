import { EventEmitter } from 'node:events';
import { BenchRequest, CompareRequest, type BenchPlan, type ReportLanguage, type CompareStarted, type ExportFormat, type LabEvent, type LabInfo, type RunStarted } from '../../shared/api';
import type { Comparison, ComparisonListItem } from '../../shared/compare';
import { exportDocument } from '../../shared/export';
import { assertPlanTrusted, benchHostCommands, compareHostCommands } from '../../shared/consent';
import { Plan } from '../../shared/plan';
import { benchEntry, discoverModels } from './models/registry';
import type { ModelContext } from './models/types';
import { compareSettings, groupContainerModels, lastComparison } from './compare/prepare';
import { runCompare } from './compare/run';
import { LocalPlace } from './compare/local';
import { cancelledWhileWaiting, RemotePlace, unreachedComparison } from './compare/remote';
import { HostOpenError, HostService, type Interaction } from './remote/service';
import { HostLocks } from './remote/host-lock';
import { CancelledError } from './targets/target';
import { JobManager, type JobContext } from './jobs/manager';
import { ComparisonStore } from './compare/store';
import { sweepBundles } from './targets/runc-bundle';
import { sweepProcesses } from './workloads/process-sweep';
import type { Run, RunListItem, RunScan } from '../../shared/run';
import { connectDocker, engineFacts, type EngineConnection } from './docker/engine';
import { sweepContainers } from './docker/sweep';
import { sweepSwarm } from './swarm/sweep';
import { startSwarmJob, SwarmStore } from './swarm';
import type { SwarmDoc, SwarmRequest } from '../../shared/swarm';
import type { SwarmStarted } from '../../shared/api-swarm';
import { NotSavedError } from './json-store';
import { sweepContainerLeftovers } from './docker/runsc-leftovers';
import { hostFacts, ISOLAB_VERSION } from './host';
import { dataDir } from './paths';
import { runBench } from './runner';
import { newRunId, RunStore } from './store';
import { sweepVms } from './vm';
import { IsolationRequest } from '../../shared/learn/facts';
import type { RaceRequest, WorkshopDemo } from '../../shared/learn/race';
import { isolationFacts } from './isolation';
import { tradeoffTable } from './isolation/tradeoffs';
import { Workshop } from './workshop';
import type { ImportFile } from '../../shared/import';
import { importFiles } from './import/import';
import { buildReport, loadReportDocs } from './report/build';
import type { AcceptHostKeyRequest, FleetRequest, HostBenchRequest, HostConnectRequest, SavedFleet, SavedHost } from '../../shared/api-hosts';

/**
 * The engine behind every face. The Electron main process, the CLI and browser mode each hold one Lab and
 * expose its methods; this class trusts its callers' types but re-validates plans, since a plan is user input.
 */
export class Lab {
  readonly events = new EventEmitter();
  readonly store: RunStore;
  readonly comparisons: ComparisonStore;
  /** Swarm bench documents (<data dir>/swarm). */
  readonly swarm: SwarmStore;
  /** Every job under way (electron/lab/jobs): listed by info(), cancelled by id, its documents kept from deletion. */
  readonly jobs = new JobManager();
  private conn?: EngineConnection;
  /** Remote hosts over SSH (electron/lab/remote); the host methods below delegate to it. */
  readonly hosts: HostService;
  /** One comparison at a time per remote machine, in this process and across isolab processes. */
  private readonly hostLocks: HostLocks;
  /** Workshop mode (electron/lab/workshop): the race and the density demo. */
  readonly workshop: Workshop;

  constructor(
    readonly face: 'electron' | 'browser' | 'cli',
    readonly root = dataDir(),
  ) {
    this.store = new RunStore(`${root}/runs`);
    this.hostLocks = new HostLocks(`${root}/locks`);
    this.hosts = new HostService({ store: this.store, root, jobs: this.jobs, emit: (e) => this.emit(e) });
    this.comparisons = new ComparisonStore(`${root}/comparisons`);
    this.swarm = new SwarmStore(root);
    this.workshop = new Workshop({ root, store: this.store, jobs: this.jobs, docker: () => this.docker(), emit: (e) => this.emit(e) });
    this.events.setMaxListeners(100);
  }

  /** Sweep what a crashed isolab left (containers of dead owners). A missing engine is not an error here. */
  async init(): Promise<{ sweptContainers: string[] }> {
    await this.recoverRuns();
    await sweepVms(this.root).catch(() => []);
    await sweepBundles(this.root).catch(() => []);
    await sweepProcesses().catch(() => []);
    let sweptContainers: string[] = [];
    try {
      const conn = await this.docker();
      await sweepSwarm(conn.docker).catch(() => undefined); // before the containers: a service would replace its tasks'
      sweptContainers = await sweepContainers(conn.docker);
    } catch {
      // no engine: nothing to remove there
    }
    // After the engine's sweep, whose removals end their shims: what a failed runsc start left running.
    await sweepContainerLeftovers().catch(() => []);
    return { sweptContainers };
  }

  /** The engine connection, made on first use and made again if the engine went away. */
  async docker(): Promise<EngineConnection> {
    if (this.conn) {
      try {
        await this.conn.docker.ping();
        return this.conn;
      } catch {
        this.conn = undefined;
      }
    }
    this.conn = await connectDocker();
    return this.conn;
  }

  onEvent(listener: (event: LabEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(event: LabEvent): void {
    this.events.emit('event', event);
  }

  async info(): Promise<LabInfo> {
    let docker: LabInfo['docker'];
    try {
      docker = { ok: true, engine: await engineFacts(await this.docker()) };
    } catch (err) {
      docker = { ok: false, error: (err as Error).message };
    }
    // activeRuns stays what it was (local benchmarks) for old readers; activeJobs lists every job.
    const activeJobs = this.jobs.list();
    return { version: ISOLAB_VERSION, dataDir: this.root, host: await hostFacts(), docker, activeRuns: activeJobs.filter((j) => j.kind === 'bench').map((j) => j.id), activeJobs, face: this.face };
  }

  /** Starts a benchmark in the background and returns its id at once; events report its progress. */
  async startBench(request: BenchRequest): Promise<RunStarted> {
    const { runId } = this.launch(BenchRequest.parse(request));
    return { runId };
  }

  /** Runs a benchmark to its end (the CLI's way). `signal` cancels it. */
  async bench(request: BenchRequest, signal?: AbortSignal): Promise<Run> {
    return this.launch(BenchRequest.parse(request), signal).done;
  }

  private launch(plan: BenchPlan, signal?: AbortSignal): { runId: string; done: Promise<Run> } {
    assertPlanTrusted(benchHostCommands(plan), plan.trustPlan);
    const entry = benchEntry(plan);
    const runId = newRunId(entry.runPrefix(plan));
    const { trustPlan: _consent, ...stored } = plan;
    const model = entry.model(plan);
    const { done } = this.jobs.start({ id: runId, kind: 'bench', model, signal }, (job) =>
      runBench({
        runId,
        kind: `bench:${plan.target}`,
        job: { id: job.id, kind: 'bench' },
        plan: stored,
        // Made once the run is on disk: connecting to the engine may fail or hang, and the record must exist.
        target: { model, make: () => entry.targets(plan, runId, this.modelContext()) },
        iterations: plan.iterations,
        warmup: plan.warmup,
        store: this.store,
        signal: job.signal,
        onEvent: (e) => this.emit(e),
      }),
    );
    return { runId, done };
  }

  /** What model discovery and factories may use: the data dir and the engine. */
  private modelContext(log?: (line: string) => void): ModelContext {
    return { root: this.root, docker: () => this.docker(), log };
  }

  /** Cancels any job by id (a run, a host's run, a comparison, a race, a fleet ...) and waits for its cleanup. */
  cancelJob(id: string): Promise<boolean> {
    return this.jobs.cancel(id);
  }

  /** The old name, for a run; it cancels any job, as cancelJob does. */
  cancelRun(runId: string): Promise<boolean> {
    return this.jobs.cancel(runId);
  }

  cancelCompare(comparisonId: string): Promise<boolean> {
    return this.jobs.cancel(comparisonId, 'compare');
  }

  /** Cancel everything under way and wait for its cleanup (on quit, SIGINT, SIGTERM). */
  async shutdown(): Promise<void> {
    await this.workshop.shutdown();
    await this.jobs.shutdown();
  }

  /**
   * Runs and comparisons a crashed isolab left `partial` become `interrupted` (what they measured is kept);
   * temp files of its writes are removed. Cheap: every face calls it when it starts.
   */
  async recoverRuns(): Promise<{ runs: string[]; comparisons: string[] }> {
    const [runs, comparisons] = await Promise.all([this.store.recover(), this.comparisons.recover()]);
    return { runs, comparisons };
  }

  listRuns(): Promise<RunListItem[]> {
    return this.store.list();
  }

  /** The runs, and the files of the runs folder that could not be read as runs, each with why. */
  async scanRuns(): Promise<RunScan> {
    const { items, skipped } = await this.store.scan();
    return { runs: items, skipped, dir: this.store.dir };
  }

  getRun(id: string): Promise<Run> {
    return this.store.get(id);
  }

  /** Starts a comparison of every model on this host in the background; compare-progress and compare-finished events follow it. */
  async startCompare(request: CompareRequest): Promise<CompareStarted> {
    const { id } = this.launchCompare(request, CompareRequest.parse(request));
    return { comparisonId: id };
  }

  /** Runs a comparison to its end (the CLI's way); `ia` answers a remote host's prompts (host key, passphrase). */
  async compare(request: CompareRequest, signal?: AbortSignal, onProgress?: (line: string) => void, ia?: Interaction): Promise<Comparison> {
    return this.launchCompare(request, CompareRequest.parse(request), onProgress, signal, ia).done;
  }

  /** `raw` is the request as the face wrote it: what its plan leaves out is what may adapt. */
  private launchCompare(raw: CompareRequest, request: ReturnType<typeof CompareRequest.parse>, onProgress?: (line: string) => void, signal?: AbortSignal, ia?: Interaction): { id: string; done: Promise<Comparison> } {
    assertPlanTrusted(compareHostCommands(request), request.trustPlan);
    // A malformed budget is refused here, before anything starts.
    const settings = { ...compareSettings(raw, request), askedAt: performance.now(), eachRuntime: !!request.eachRuntime, host: request.host, ia };
    const id = newRunId(request.host ? `compare-${request.host}` : 'compare');
    const plan = request.plan ?? Plan.parse({});
    return this.jobs.start({ id, kind: 'compare', signal }, (job) => this.compareJob(id, plan, job, settings, onProgress));
  }

  private async compareJob(
    id: string,
    plan: Plan,
    job: JobContext,
    settings: ReturnType<typeof compareSettings> & { askedAt: number; eachRuntime: boolean; host?: string; ia?: Interaction },
    onProgress?: (line: string) => void,
  ): Promise<Comparison> {
    let status: Comparison['status'] = 'failed';
    let remote: RemotePlace | undefined;
    let local: LocalPlace | undefined;
    let releaseHost: (() => Promise<void>) | undefined;
    let askedAt = settings.askedAt;
    try {
      const log = (l: string) => onProgress?.(l);
      if (settings.host !== undefined) {
        // The remote host: one SSH connection for the whole comparison; an unreachable host is a saved, failed comparison.
        onProgress?.(`connecting to ${settings.host}`);
        try {
          const opened = await this.hosts.openForCompare(settings.host, { ...settings.ia, signal: job.signal });
          // One comparison at a time on a machine (two names of it included): wait for the one under way there.
          const key = opened.environment.host.machineId ?? String(opened.environment.remote.resolved ?? settings.host);
          try {
            releaseHost = await this.hostLocks.acquire(key, { signal: job.signal, onWait: () => onProgress?.(`waiting: another comparison is running on ${settings.host}`) });
          } catch (err) {
            opened.conn.close();
            if (!(err instanceof CancelledError)) throw err;
            // Cancelled before its turn: nothing was measured, the document says so.
            const c = cancelledWhileWaiting(id, plan, opened.environment);
            await this.comparisons.saveOrKeep(c);
            status = c.status;
            return c;
          }
          // The budget counts from when the host was free, not from the wait.
          askedAt = performance.now();
          remote = await RemotePlace.open(settings.host, opened.conn, opened.environment, log);
        } catch (err) {
          if (!(err instanceof HostOpenError)) throw err;
          const c = unreachedComparison(id, plan, err);
          await this.comparisons.saveOrKeep(c);
          return c;
        }
      }
      // Containers are timed on their engine's clock, here as there: each place holds the engine's event stream.
      let ctx: ModelContext;
      if (remote) ctx = { root: this.root, docker: remote.docker, log, remote: remote.remote, engineEvents: remote.engineEvents };
      else {
        local = new LocalPlace(() => this.docker());
        ctx = { ...this.modelContext(log), engineEvents: local.engineEvents };
      }
      // Every registered model lists itself, the local VMs included (runnable or with why not), so `vm` adds nothing.
      const models = await discoverModels(ctx);
      const grouped = await groupContainerModels(models, { docker: ctx.docker, each: settings.eachRuntime, log });
      const c = await runCompare({
        id,
        plan,
        models: grouped.specs,
        aliases: grouped.aliases,
        runtimeGroups: grouped.runtimeGroups,
        budget: settings.budget,
        askedAt,
        fixed: settings.fixed,
        // The planner's first guesses come from a comparison on the same kind of place (unit costs differ over SSH).
        last: remote ? undefined : await lastComparison(this.comparisons),
        place: remote?.place,
        runs: this.store,
        comparisons: this.comparisons,
        signal: job.signal,
        job: { id, kind: 'compare' },
        onEvent: (e) => {
          // Each model's startup run is this job's document too: not deleted while the comparison runs.
          if (e.type === 'run-started') job.claim(e.runId);
          this.emit(e);
        },
        onProgress: (p) => {
          this.emit({ type: 'compare-progress', comparisonId: id, model: p.model, stage: p.stage, message: p.message });
          onProgress?.(`${p.model}: ${p.stage}: ${p.message}`);
        },
      });
      status = c.status;
      return c;
    } catch (err) {
      // Measured but not saved (NotSavedError carries the document): its status, not a failure of the comparison.
      status = (err as { doc?: Comparison }).doc?.status ?? 'failed';
      throw err;
    } finally {
      await remote?.close();
      await local?.close();
      await releaseHost?.();
      // Faces reload the document now: it has its final status (or the comparison failed before it was saved).
      this.emit({ type: 'compare-finished', comparisonId: id, status });
    }
  }

  /**
   * Starts a swarm bench (electron/lab/swarm/job.ts, as the CLI's `isolab bench swarm`); swarm-progress and
   * swarm-finished follow it. Refused with swarm-needs-consent, before anything is created, when the engine is
   * in no swarm and the request does not carry the user's consent (createSwarm).
   */
  async startSwarm(request: SwarmRequest): Promise<SwarmStarted> {
    const conn = await this.docker();
    const { id, done } = await startSwarmJob({
      jobs: this.jobs,
      docker: conn.docker,
      endpoint: conn.endpoint,
      store: this.swarm,
      request,
      onProgress: (swarmId, p) => this.emit({ type: 'swarm-progress', swarmId, ...p }),
    });
    done.then(
      (doc) => this.emit({ type: 'swarm-finished', swarmId: id, status: doc.status, errorCode: doc.errorCode }),
      (err) => {
        // Measured but not kept on disk: its status, and that it was not saved; anything else failed the job.
        const doc = err instanceof NotSavedError ? (err.doc as { status?: SwarmDoc['status'] }) : undefined;
        this.emit({ type: 'swarm-finished', swarmId: id, status: doc?.status ?? 'failed', notSaved: doc ? true : undefined });
      },
    );
    return { id };
  }

  listSwarm() {
    return this.swarm.list();
  }

  getSwarm(id: string) {
    return this.swarm.get(id);
  }

  listComparisons(): Promise<ComparisonListItem[]> {
    return this.comparisons.list();
  }

  getComparison(id: string): Promise<Comparison> {
    return this.comparisons.get(id);
  }

  /** A run or a comparison (ids never collide: comparisons are named "...-compare-...") as JSON, CSV or Markdown. */
  async exportRun(id: string, format: ExportFormat): Promise<string> {
    const doc = (await this.comparisons.has(id)) ? await this.comparisons.get(id) : await this.store.get(id);
    return exportDocument(doc, format);
  }

  /** Documents made by another isolab (electron/lab/import): never overwrites one of this data directory. */
  importRuns(files: ImportFile[]) {
    return importFiles({ runs: this.store, comparisons: this.comparisons }, files);
  }

  /** One self-contained HTML report of runs and comparisons, in the reader's language (electron/lab/report). */
  async report(ids: string[], lang: ReportLanguage): Promise<string> {
    return buildReport(await loadReportDocs({ runs: this.store, comparisons: this.comparisons }, ids), { lang, version: ISOLAB_VERSION });
  }

  tradeoffs() {
    return tradeoffTable(this.store, this.comparisons);
  }
  isolationFacts(request: IsolationRequest) {
    const req = IsolationRequest.parse(request);
    return isolationFacts(req, { root: this.root, runId: `isolation-${process.pid}`, docker: () => this.docker(), signal: this.workshop.signal });
  }
  async startRace(request: RaceRequest) {
    return this.workshop.startRace(request);
  }
  cancelRace(raceId: string) {
    return this.workshop.cancelRace(raceId);
  }
  async raceState() {
    return this.workshop.raceState();
  }
  densityDemo() {
    return this.workshop.densityDemo();
  }
  async workshopKernels() {
    return this.workshop.kernels(await this.isolationFacts({ bootVm: false }));
  }
  async setWorkshopDemo(demo: WorkshopDemo) {
    return this.workshop.setDemo(demo);
  }
  async workshopView() {
    return this.workshop.view();
  }

  listHosts() {
    return this.hosts.listHosts();
  }
  saveHost(host: SavedHost) {
    return this.hosts.saveHost(host);
  }
  removeHost(name: string) {
    return this.hosts.removeHost(name);
  }
  listFleets() {
    return this.hosts.listFleets();
  }
  saveFleet(fleet: SavedFleet) {
    return this.hosts.saveFleet(fleet);
  }
  removeFleet(name: string) {
    return this.hosts.removeFleet(name);
  }
  testHost(req: HostConnectRequest) {
    return this.hosts.testHost(req);
  }
  acceptHostKey(req: AcceptHostKeyRequest) {
    return this.hosts.acceptHostKey(req);
  }
  startHostBench(req: HostBenchRequest) {
    return this.hosts.startHostBench(req);
  }
  startFleet(req: FleetRequest) {
    return this.hosts.startFleet(req);
  }
  listHostRuns() {
    return this.hosts.listHostRuns();
  }
  forgetPassphrase(name: string) {
    return this.hosts.forgetPassphrase(name);
  }

  /** Refused (JobRunningError, code job-running) while a job under way writes the run. */
  async deleteRun(id: string): Promise<boolean> {
    this.jobs.assertIdle(id);
    return this.store.delete(id);
  }

  /** Refused (JobRunningError, code job-running) while the comparison runs. */
  async deleteComparison(id: string): Promise<boolean> {
    this.jobs.assertIdle(id);
    return this.comparisons.delete(id);
  }
}
