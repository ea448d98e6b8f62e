import os from 'node:os';
import path from 'node:path';
import type { LabEvent } from '../../../shared/api';
import { printable, printableDeep, printableLine } from '../../../shared/printable';
import {
  AcceptHostKeyRequest,
  FleetRequest,
  HostBenchRequest,
  HostConnectRequest,
  SavedFleet,
  SavedHost,
  type HostBenchPlan,
  type HostListItem,
  type HostTestResult,
  type KeychainRefusal,
} from '../../../shared/api-hosts';
import type { HostFacts, Run, RunListItem } from '../../../shared/run';
import { runBench } from '../runner';
import { JobManager, type JobContext } from '../jobs/manager';
import { newRunId, type RunStore } from '../store';
import { connect, type SshConnection, HostKeyChangedError, HostKeyRefusedError, HostKeyUnknownError, NeedsPassphraseError, SshAuthError, SshConnectError, type ConnectHooks } from './connect';
import { mapLimit } from './fleet';
import { fingerprint, hostKeyName, KnownHostsError, recordHostKey } from './knownHosts';
import { probeAll, type ImdsClient } from './probes';
import { LockedJsonFile } from './lockedJson';
import { KeychainRefusedError } from './keychain';
import { PassphraseStore, type SecretBox } from './secrets';
import { configAliases, describeSpec, readSshConfig, resolveHost, type HostSpec } from './spec';
import { EXEC_PROBE_COMMAND, modelName, RemoteContainersTarget, SshHostTarget, type HostStep } from './sshTarget';

export interface HostServiceOptions {
  store: RunStore;
  /** isolab's data folder: saved hosts and remembered (encrypted) passphrases live here. */
  root: string;
  emit: (event: LabEvent) => void;
  /** The Lab's jobs: every host bench, probe and fleet is one (a service made alone keeps its own). */
  jobs?: JobManager;
  /** Whose ~/.ssh (config, known_hosts, keys); the user's home when left out. */
  home?: string;
  /** The OS keychain (Electron safeStorage); without it no passphrase is ever remembered. */
  secrets?: SecretBox;
  /** Tests inject a fake; by default IMDS is asked on the host, and only behind Azure's asset tag. */
  imds?: ImdsClient;
}

/** What the CLI adds: prompts on the terminal. */
export interface Interaction {
  acceptNew?: boolean;
  confirmHostKey?: ConnectHooks['confirmHostKey'];
  passphrase?: ConnectHooks['passphrase'];
  signal?: AbortSignal;
  fleetId?: string;
}

/** The remote-host side of the Lab: one method per entry of hostMethods (shared/api-hosts.ts). */
export class HostService {
  private readonly pending = new Map<string, { fingerprint: string; key: Buffer; at: number }>();
  private passphrases: PassphraseStore;
  private readonly jobs: JobManager;

  constructor(private readonly o: HostServiceOptions) {
    this.jobs = o.jobs ?? new JobManager();
    this.passphrases = new PassphraseStore(path.join(o.root, 'hosts', 'passphrases.json'), o.secrets);
  }

  /** The desktop app hands in Electron's safeStorage here (main process: `lab.hosts.useSecrets(safeStorage)`). */
  useSecrets(box: SecretBox): void {
    this.passphrases = new PassphraseStore(path.join(this.o.root, 'hosts', 'passphrases.json'), box);
  }

  private get home(): string {
    return this.o.home ?? os.homedir();
  }
  private get hostsDoc(): LockedJsonFile<SavedHost[]> {
    return new LockedJsonFile({ file: path.join(this.o.root, 'hosts', 'hosts.json'), schema: SavedHost.array(), empty: () => [], what: 'the saved hosts file' });
  }

  private saved(): Promise<SavedHost[]> {
    return this.hostsDoc.read();
  }

  async listHosts(): Promise<HostListItem[]> {
    const saved = await this.saved();
    const fromConfig = configAliases(await readSshConfig(this.home)).filter((a) => !saved.some((s) => s.name === a));
    const items: HostListItem[] = [
      ...saved.map((s) => ({ ...s, source: 'saved' as const })),
      ...fromConfig.filter((a) => /^[A-Za-z0-9_.-]{1,64}$/.test(a)).map((a) => ({ name: a, target: a, source: 'config' as const })),
    ];
    for (const it of items) it.passphraseRemembered = await this.passphrases.has(it.name);
    return items;
  }

  /** Read-modify-write under a lock: the app and the CLI saving hosts at once both keep theirs. */
  async saveHost(host: SavedHost): Promise<HostListItem> {
    const h = SavedHost.parse(host);
    await resolveHost(h.target, { home: this.home, port: h.port, identityFile: h.identityFile }); // says what is wrong now, not at the first run
    await this.hostsDoc.update((all) => [...all.filter((s) => s.name !== h.name), h]);
    return { ...h, source: 'saved' };
  }

  async removeHost(name: string): Promise<boolean> {
    const removed = await removeNamed(this.hostsDoc, name);
    if (removed) await this.passphrases.forget(name);
    // A removed host leaves its fleets (an alias still in ~/.ssh/config is still a host: it stays).
    if (removed && !(await this.listHosts()).some((h) => h.name === name)) {
      await this.fleetsDoc.update((all) => (all.some((f) => f.hosts.includes(name)) ? all.map((f) => ({ ...f, hosts: f.hosts.filter((h) => h !== name) })).filter((f) => f.hosts.length > 0) : undefined));
    }
    return removed;
  }

  private get fleetsDoc(): LockedJsonFile<SavedFleet[]> {
    return new LockedJsonFile({ file: path.join(this.o.root, 'hosts', 'fleets.json'), schema: SavedFleet.array(), empty: () => [], what: 'the saved fleets file' });
  }

  listFleets(): Promise<SavedFleet[]> {
    return this.fleetsDoc.read();
  }

  /** A fleet names hosts the Hosts page lists (saved, or aliases of ~/.ssh/config): never a name nobody knows. */
  async saveFleet(fleet: SavedFleet): Promise<SavedFleet> {
    const f = SavedFleet.parse(fleet);
    const known = new Set((await this.listHosts()).map((h) => h.name));
    const unknown = f.hosts.filter((h) => !known.has(h));
    if (unknown.length) throw new Error(`the fleet ${f.name} names ${unknown.join(', ')}, which is neither a saved host nor an alias of ~/.ssh/config: add ${unknown.length > 1 ? 'them' : 'it'} on the Hosts page first`);
    await this.fleetsDoc.update((all) => [...all.filter((x) => x.name !== f.name), f]);
    return f;
  }

  removeFleet(name: string): Promise<boolean> {
    return removeNamed(this.fleetsDoc, name);
  }

  /**
   * The hosts of a saved fleet, for `isolab compare --fleet` and the Hosts page: refused when there is no such
   * fleet, or when a member has gone from the hosts since (the message says which), so nothing is looked up
   * under a name nobody gave an address.
   */
  async fleetHosts(name: string): Promise<string[]> {
    const fleets = await this.listFleets();
    const f = fleets.find((x) => x.name === name);
    if (!f) throw new Error(fleets.length ? `no fleet named ${name}: the saved fleets are ${fleets.map((x) => x.name).join(', ')}` : `no fleet named ${name}: no fleet is saved yet (save one on the Hosts page)`);
    const known = new Set((await this.listHosts()).map((h) => h.name));
    const gone = f.hosts.filter((h) => !known.has(h));
    if (gone.length) throw new Error(`the fleet ${name} names ${gone.join(', ')}, which is no longer a saved host nor an alias of ~/.ssh/config: save ${gone.length > 1 ? 'them' : 'it'} again, or edit the fleet`);
    return f.hosts;
  }

  forgetPassphrase(name: string): Promise<boolean> {
    return this.passphrases.forget(name);
  }

  /** A saved host's name resolves to its target and options; anything else is typed text. */
  private async spec(req: { target: string; port?: number; identityFile?: string }): Promise<HostSpec> {
    const saved = (await this.saved()).find((s) => s.name === req.target);
    const target = saved?.target ?? req.target;
    const spec = await resolveHost(target, { home: this.home, port: req.port ?? saved?.port, identityFile: req.identityFile ?? saved?.identityFile });
    return { ...spec, name: req.target };
  }

  /**
   * Passphrases: the one typed now, else one remembered, else the caller's prompt. A typed one is remembered
   * (encrypted) only when asked, and only after it opened a connection: `commit` does that.
   */
  private passphraseHook(name: string, typed: string | undefined, ask?: ConnectHooks['passphrase']) {
    const cache = new Map<string, string>();
    const hook: ConnectHooks['passphrase'] = async (file) => {
      if (cache.has(file)) return cache.get(file);
      const p = typed ?? (await this.passphrases.recall(name, file)) ?? (await ask?.(file));
      if (p !== undefined) cache.set(file, p);
      return p;
    };
    /** Remembers the typed passphrase when asked; says why not when the keychain refuses (basic_text, none). */
    const commit = async (remember: boolean | undefined): Promise<{ keychain?: KeychainRefusal; message?: string }> => {
      if (!remember || typed === undefined) return {};
      try {
        for (const file of cache.keys()) await this.passphrases.remember(name, file, typed);
        return {};
      } catch (err) {
        if (err instanceof KeychainRefusedError) return { keychain: err.reason, message: `connected, but ${err.message}` };
        return { message: `connected, but the passphrase was not remembered: ${(err as Error).message}` };
      }
    };
    return { hook, commit };
  }

  /** One connection and one exec: reachability, host key, authentication. An unknown key is kept for acceptHostKey. */
  async testHost(request: HostConnectRequest): Promise<HostTestResult> {
    const { done } = this.jobs.start({ id: newRunId('host-probe'), kind: 'host-probe' }, (job) => this.tryHostUnlessCancelled(request, job));
    const result = await done;
    // Error text can quote the host (a banner, a disconnect reason): shown on the page without control characters.
    return result.message === undefined ? result : { ...result, message: printable(result.message) };
  }

  /** The test, or its end at once when cancelled (the connection it opened still closes after its one exec). */
  private async tryHostUnlessCancelled(request: HostConnectRequest, job: JobContext): Promise<HostTestResult> {
    let onAbort = () => {};
    const cancelled = new Promise<HostTestResult>((resolve) => {
      onAbort = () => resolve({ status: 'error', message: 'the connection test was cancelled' });
      job.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.tryHost(request), cancelled]);
    } finally {
      job.signal.removeEventListener('abort', onAbort);
    }
  }

  private async tryHost(request: HostConnectRequest): Promise<HostTestResult> {
    const req = HostConnectRequest.parse(request);
    let spec: HostSpec;
    try {
      spec = await this.spec(req);
    } catch (err) {
      return { status: 'error', message: (err as Error).message };
    }
    const resolved = describeSpec(spec);
    try {
      const pass = this.passphraseHook(req.target, req.passphrase);
      const conn = await connect(spec, { home: this.home, passphrase: pass.hook });
      try {
        const r = await conn.exec(EXEC_PROBE_COMMAND);
        const notRemembered = await pass.commit(req.rememberPassphrase);
        return { status: 'ok', resolved, connectMs: conn.connectMs, execMs: r.ms, ...notRemembered };
      } finally {
        conn.close();
      }
    } catch (err) {
      const e = err as Error;
      if (e instanceof HostKeyUnknownError) {
        this.pending.set(e.host, { fingerprint: e.fingerprint, key: e.key, at: Date.now() });
        return { status: 'unknown-key', resolved, keyType: e.keyType, fingerprint: e.fingerprint, message: e.message };
      }
      if (e instanceof HostKeyChangedError) return { status: 'changed-key', resolved, keyType: e.keyType, fingerprint: e.fingerprint, keyTypesOnFile: e.onFile, message: e.message };
      if (e instanceof HostKeyRefusedError) return { status: 'refused-key', resolved, message: e.message };
      if (e instanceof NeedsPassphraseError) return { status: 'needs-passphrase', resolved, identityFile: e.identityFile, keychain: this.passphrases.refusal, message: e.message };
      if (e instanceof SshAuthError) return { status: 'auth-failed', resolved, message: e.message };
      if (e instanceof SshConnectError) return { status: 'unreachable', resolved, message: e.message };
      return { status: 'error', resolved, message: e.message };
    }
  }

  /** Records the key the last test saw, only if the user accepted that very fingerprint (and within 10 minutes). */
  async acceptHostKey(request: AcceptHostKeyRequest): Promise<boolean> {
    const req = AcceptHostKeyRequest.parse(request);
    const spec = await this.spec(req);
    const name = hostKeyName(spec);
    const p = this.pending.get(name);
    if (!p || Date.now() - p.at > 10 * 60_000) throw new Error(`no key of ${name} is waiting to be accepted: test the connection first`);
    if (p.fingerprint !== req.fingerprint || fingerprint(p.key) !== req.fingerprint) {
      throw new Error(`the fingerprint ${req.fingerprint} is not the key ${name} presented (${p.fingerprint}); test the connection again`);
    }
    const file = spec.hostKeys.userFiles[0];
    if (!file) throw new KnownHostsError(`${name} has UserKnownHostsFile none in ~/.ssh/config: there is no file to record its key in`);
    await recordHostKey(file, name, p.key);
    this.pending.delete(name);
    return true;
  }

  /** Starts a host benchmark in the background; events report its progress. Unknown keys are refused here: accept them first. */
  async startHostBench(request: HostBenchRequest): Promise<{ runId: string }> {
    const plan = HostBenchRequest.parse(request);
    const runId = newRunId(`host-${plan.target}`);
    void this.benchHost(plan, {}, runId).catch((err: Error) => {
      const message = printable(err.message);
      this.o.emit({ type: 'host-progress', host: plan.target, step: 'failed', runId, message });
      this.o.emit({ type: 'run-finished', runId, status: 'failed', error: message });
    });
    return { runId };
  }

  /**
   * The whole host benchmark: connect once (that connection is kept for probes and containers), probe, reboot
   * with consent, time fresh connections, then the container suite on the host's engine over the same
   * connection. Returns the host run, and the container run when asked.
   */
  async benchHost(request: HostBenchRequest, ia: Interaction = {}, runId?: string): Promise<Run[]> {
    const parsed = HostBenchRequest.safeParse(request);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
    const plan = parsed.data;
    const id = runId ?? newRunId(`host-${plan.target}`);
    return this.jobs.start({ id, kind: 'host-bench', model: `host:${modelName(plan.target)}`, signal: ia.signal }, (job) => this.benchHostJob(plan, ia, job)).done;
  }

  private async benchHostJob(plan: HostBenchPlan, ia: Interaction, job: JobContext): Promise<Run[]> {
    const runId = job.id;
    const spec = await this.spec(plan);
    // Progress lines quote the host (reboot attempts, the remote engine's log): one printable line each.
    const progress = (step: HostStep | 'latency' | 'containers' | 'saved', message?: string, extra: { runId?: string } = {}) =>
      this.o.emit({ type: 'host-progress', host: plan.target, step, runId: extra.runId ?? runId, fleetId: ia.fleetId, message: message === undefined ? undefined : printableLine(message) });
    const hooks: ConnectHooks = {
      home: this.home,
      acceptNew: plan.acceptNew || ia.acceptNew,
      confirmHostKey: ia.confirmHostKey,
      passphrase: this.passphraseHook(plan.target, plan.passphrase, ia.passphrase).hook,
    };
    const target = new SshHostTarget({ spec, hooks, plan, imds: this.o.imds, onStep: (s, m) => progress(s, m) });
    try {
      const hostRun = await runBench({
        runId,
        kind: 'bench:host',
        plan: storedPlan(plan, spec),
        target,
        iterations: plan.iterations,
        warmup: 1,
        store: this.o.store,
        signal: job.signal,
        job: { id: runId, kind: 'host-bench' },
        onEvent: (e) => {
          if (e.type === 'progress' && e.phase === 'connect' && e.iteration === 1 && !e.iterationDone) progress('latency');
          this.o.emit(e);
        },
      });
      progress('saved');
      const runs = [hostRun];
      if (plan.containers && hostRun.status === 'complete' && target.main) {
        const cRunId = newRunId(`host-${plan.target}-containers`);
        job.claim(cRunId);
        progress('containers', 'container suite on the host\'s engine', { runId: cRunId });
        runs.push(
          await runBench({
            runId: cRunId,
            kind: 'bench:host',
            plan: { ...storedPlan(plan, spec), suite: 'containers' },
            target: new RemoteContainersTarget({
              main: target.main,
              runId: cRunId,
              hostModel: `host:${modelName(plan.target)}`,
              hostEnv: () => target.environment(),
              log: (l) => progress('containers', l, { runId: cRunId }),
            }),
            iterations: plan.containerIterations,
            warmup: 2,
            store: this.o.store,
            signal: job.signal,
            job: { id: runId, kind: 'host-bench' },
            onEvent: (e) => this.o.emit(e),
          }),
        );
      }
      return runs;
    } finally {
      target.close();
    }
  }

  /**
   * Opens the one SSH connection a comparison on a remote host keeps (`isolab compare --host`) and reads the
   * host's facts on it: the machine id hashed, the Azure size and region when its asset tag and IMDS say Azure.
   * Fails with a HostOpenError that says where it was going and why (unreachable, host key, authentication).
   */
  async openForCompare(target: string, ia: Interaction = {}): Promise<{ conn: SshConnection; environment: { host: HostFacts; remote: Record<string, unknown> } }> {
    let resolved: string | undefined;
    try {
      const spec = await this.spec({ target });
      resolved = describeSpec(spec);
      const hooks: ConnectHooks = { home: this.home, acceptNew: ia.acceptNew, confirmHostKey: ia.confirmHostKey, passphrase: this.passphraseHook(target, undefined, ia.passphrase).hook };
      const conn = await connect(spec, hooks);
      try {
        const probe = printableDeep(await probeAll((c) => conn.exec(c), { imds: this.o.imds }));
        const remote = { target, resolved, reached: true, virtualization: probe.virtualization, connectMs: conn.connectMs };
        return { conn, environment: { host: probe.facts, remote } };
      } catch (err) {
        conn.close();
        throw err;
      }
    } catch (err) {
      throw new HostOpenError(target, resolved, printable((err as Error).message));
    }
  }

  /** Probes many hosts, at most `concurrency` at once; each host reports on its own and fails on its own. */
  async startFleet(request: FleetRequest): Promise<{ fleetId: string }> {
    const req = FleetRequest.parse(request);
    const fleetId = newRunId('fleet');
    void this.fleet(req.targets, req.concurrency, { iterations: req.iterations }, { fleetId });
    return { fleetId };
  }

  /** One job for the fleet (cancelling it cancels every host of it), and one per host inside it. */
  async fleet(targets: string[], concurrency: number, plan: Partial<HostBenchPlan>, ia: Interaction = {}): Promise<PromiseSettledResult<Run[]>[]> {
    const fleetId = ia.fleetId ?? newRunId('fleet');
    return this.jobs.start({ id: fleetId, kind: 'fleet', signal: ia.signal }, (job) => this.fleetJob(targets, concurrency, plan, { ...ia, fleetId, signal: job.signal })).done;
  }

  private async fleetJob(targets: string[], concurrency: number, plan: Partial<HostBenchPlan>, ia: Interaction & { fleetId: string }): Promise<PromiseSettledResult<Run[]>[]> {
    let done = 0;
    return mapLimit(targets, concurrency, async (t) => {
      try {
        const runs = await this.benchHost({ ...plan, target: t, reboot: false, containers: false }, ia);
        if (runs[0].status === 'failed') throw new Error(`${t}: ${runs[0].error}`);
        return runs;
      } catch (err) {
        this.o.emit({ type: 'host-progress', host: t, step: 'failed', fleetId: ia.fleetId, message: printable((err as Error).message) });
        throw err;
      } finally {
        done++;
        this.o.emit({ type: 'host-progress', host: t, step: 'saved', fleetId: ia.fleetId, done, total: targets.length });
      }
    });
  }

  /** Runs of kind bench:host, for the side-by-side view with local runs. */
  async listHostRuns(): Promise<RunListItem[]> {
    return (await this.o.store.list()).filter((r) => r.kind === 'bench:host' || r.model.startsWith('host:'));
  }
}

/** A remote host a comparison could not open: its name, where it resolved to (when it did) and why. */
export class HostOpenError extends Error {
  constructor(
    readonly target: string,
    readonly resolved: string | undefined,
    readonly reason: string,
  ) {
    super(`cannot compare on ${target}${resolved && resolved !== target ? ` (${resolved})` : ''}: ${reason}`);
    this.name = 'HostOpenError';
  }
}

/** The plan as stored in the Run: what repeats the run, never a passphrase. */
function storedPlan(plan: HostBenchPlan, spec: HostSpec): Record<string, unknown> {
  const { passphrase: _p, rememberPassphrase: _r, ...rest } = plan;
  return { ...rest, resolved: describeSpec(spec), jumps: spec.jumps.map((j) => describeSpec(j)) };
}

/** Takes the entry of that name out of a locked list file; false when there was none (the file is left as it was). */
async function removeNamed<T extends { name: string }>(doc: LockedJsonFile<T[]>, name: string): Promise<boolean> {
  let removed = false;
  await doc.update((all) => {
    const rest = all.filter((x) => x.name !== name);
    removed = rest.length < all.length;
    return removed ? rest : undefined;
  });
  return removed;
}
