import { COMPARISON_SCHEMA, type Comparison } from '../../../shared/compare';
import { note } from '../../../shared/notes';
import type { Plan } from '../../../shared/plan';
import type { EngineConnection } from '../docker/engine';
import { sweepContainers } from '../docker/sweep';
import { ISOLAB_VERSION } from '../host';
import type { RemoteHost } from '../models/types';
import { thisOwner } from '../owner';
import type { SshConnection } from '../remote/connect';
import { remoteEngine, remoteEngineEvents } from '../remote/docker';
import type { EngineEventLog } from '../remote/engine-events';
import { sftpFs, type RemoteFs } from '../remote/sftp-fs';
import type { HostOpenError } from '../remote/service';
import type { ComparePlace } from './run';

/**
 * A comparison's remote host (`isolab compare --host`): the one SSH connection, the host's facts, and its
 * Docker engine opened on that connection on first use (what an isolab of this machine left there is swept
 * then). `close` ends the engine's channels and the connection, after the comparison removed what it created.
 */
export class RemotePlace {
  readonly remote: RemoteHost;
  readonly place: ComparePlace;
  private engine?: Promise<Awaited<ReturnType<typeof remoteEngine>>>;
  private events?: Promise<EngineEventLog>;

  private constructor(
    name: string,
    private readonly conn: SshConnection,
    environment: { host: ComparePlace['host']; remote: Record<string, unknown> },
    private readonly fs: RemoteFs,
    private readonly log?: (line: string) => void,
  ) {
    this.remote = { name, conn, fs };
    // Footprint and density read the host's own /proc and cgroups through `fs` (SFTP, else head/ls over exec).
    this.place = { host: environment.host, remote: { ...environment.remote, procVia: fs.via }, fs };
  }

  static async open(name: string, conn: SshConnection, environment: { host: ComparePlace['host']; remote: Record<string, unknown> }, log?: (line: string) => void): Promise<RemotePlace> {
    try {
      return new RemotePlace(name, conn, environment, await sftpFs(conn), log);
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  /** The remote engine (opened once; a host without one fails every call with the same clear error). */
  docker = (): Promise<EngineConnection> => {
    this.engine ??= remoteEngine(this.conn).then(async (e) => {
      const swept = await sweepContainers(e.docker).catch(() => []);
      if (swept.length) this.log?.(`removed ${swept.length} container(s) an earlier isolab left on ${this.remote.name}`);
      return e;
    });
    return this.engine;
  };

  /** The engine's event stream, opened once after the engine (so a host without one fails with the engine's error). */
  engineEvents = (): Promise<EngineEventLog> => {
    this.events ??= this.docker().then(() => remoteEngineEvents(this.conn));
    return this.events;
  };

  async close(): Promise<void> {
    (await this.events?.catch(() => undefined))?.close();
    const e = await this.engine?.catch(() => undefined);
    e?.agent.destroy();
    this.fs.close();
    this.conn.close();
  }
}

/** The comparison of a host that could not be opened: saved, failed, with where it was going and why. */
export function unreachedComparison(id: string, plan: Plan, err: HostOpenError): Comparison {
  // Nothing is known of a host never reached: empty facts, and `remote.reached: false` says why.
  const host = { os: '', kernel: '', arch: '', cpus: 0, memoryBytes: 0 };
  return emptyComparison(id, plan, 'failed', { host, remote: { target: err.target, resolved: err.resolved, reached: false } }, [note('comparison-stopped', { error: err.message })]);
}

/** A comparison cancelled while it waited for its host (another comparison was measuring that machine): saved as such. */
export function cancelledWhileWaiting(id: string, plan: Plan, environment: Pick<Comparison['environment'], 'host' | 'remote'>): Comparison {
  return emptyComparison(id, plan, 'cancelled', environment, []);
}

/** A comparison that ended before it measured anything: its place, its plan, its status and why. */
function emptyComparison(id: string, plan: Plan, status: Comparison['status'], environment: Pick<Comparison['environment'], 'host' | 'remote'>, notes: Comparison['notes']): Comparison {
  const at = new Date().toISOString();
  return {
    schema: COMPARISON_SCHEMA,
    id,
    status,
    startedAt: at,
    finishedAt: at,
    environment: { ...environment, isolabVersion: ISOLAB_VERSION, node: process.versions.node },
    plan: plan as unknown as Record<string, unknown>,
    floor: 'process',
    models: [],
    notes,
    owner: thisOwner(),
  };
}
