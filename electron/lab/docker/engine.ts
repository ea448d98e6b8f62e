import Docker from 'dockerode';
import { access } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { EngineFacts } from '../../../shared/run';
import { guardAgent, RESTART_HINT } from './lost';

/** No Docker engine answered: says every endpoint tried, why each failed, and how to fix it. */
export class DockerUnavailableError extends Error {
  constructor(readonly attempts: { endpoint: string; error: string }[]) {
    super(
      'No Docker engine answered. Tried ' +
        attempts.map((a) => `${a.endpoint} (${a.error})`).join('; ') +
        `. ${RESTART_HINT}, ` +
        'check that your user may use its socket (the `docker` group), or point DOCKER_HOST at a running engine.',
    );
    this.name = 'DockerUnavailableError';
  }
}

export interface Endpoint {
  label: string;
  options?: Docker.DockerOptions;
}

/**
 * Where an engine may be listening, in the order the docker CLI would look: DOCKER_HOST alone when it is set
 * (docker-modem reads it, with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH); otherwise the system socket, Docker
 * Desktop's per-user socket, the rootless socket, or on Windows the named pipes.
 */
export function candidateEndpoints(env = process.env, platform = process.platform): Endpoint[] {
  if (env.DOCKER_HOST) return [{ label: `DOCKER_HOST=${env.DOCKER_HOST}` }];
  if (platform === 'win32') {
    return ['//./pipe/docker_engine', '//./pipe/dockerDesktopLinuxEngine'].map((p) => ({ label: `npipe:${p}`, options: { socketPath: p } }));
  }
  const home = os.homedir();
  const sockets = [
    '/var/run/docker.sock',
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
  ];
  if (env.XDG_RUNTIME_DIR) sockets.push(path.join(env.XDG_RUNTIME_DIR, 'docker.sock'));
  return sockets.map((p) => ({ label: `unix://${p}`, options: { socketPath: p } }));
}

export interface EngineConnection {
  docker: Docker;
  endpoint: string;
}

/** Connects to the first endpoint whose engine answers a ping within `timeoutMs`. */
export async function connectDocker(opts: { timeoutMs?: number; endpoints?: Endpoint[] } = {}): Promise<EngineConnection> {
  const timeoutMs = opts.timeoutMs ?? 4000;
  const attempts: { endpoint: string; error: string }[] = [];
  for (const ep of opts.endpoints ?? candidateEndpoints()) {
    const sock = ep.options?.socketPath;
    if (sock && !sock.startsWith('//')) {
      try {
        await access(sock);
      } catch {
        attempts.push({ endpoint: ep.label, error: 'no such socket' });
        continue;
      }
    }
    try {
      const docker = newDocker(ep.options);
      await withTimeout(docker.ping(), timeoutMs, `no answer within ${timeoutMs} ms`);
      return { docker, endpoint: ep.label };
    } catch (err) {
      attempts.push({ endpoint: ep.label, error: describe(err) });
    }
  }
  throw new DockerUnavailableError(attempts);
}

/**
 * A client whose calls fail, rather than hang, when the engine dies in the middle of an answer (see guardAgent).
 * Over SSH (DOCKER_HOST=ssh://) docker-modem brings its own agent and is left as it is.
 */
function newDocker(options?: Docker.DockerOptions): Docker {
  const base = options ? { ...options, timeout: undefined } : {};
  const protocol = (new Docker(base).modem as { protocol?: string }).protocol;
  if (protocol !== 'http' && protocol !== 'https') return new Docker(base);
  // As Node's global agent, which docker-modem used before (keep-alive): the same connections, the same timings.
  const keepAlive = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5000 };
  const agent = guardAgent(protocol === 'https' ? new https.Agent(keepAlive) : new http.Agent(keepAlive));
  return new Docker({ ...base, agent } as Docker.DockerOptions);
}

/** Engine version, runtimes, storage driver and cgroup version, for the run's environment. */
export async function engineFacts(conn: EngineConnection): Promise<EngineFacts> {
  const [version, info] = await Promise.all([conn.docker.version(), conn.docker.info()]);
  return {
    name: 'docker',
    version: version.Version,
    apiVersion: version.ApiVersion,
    endpoint: conn.endpoint,
    runtimes: Object.keys(info.Runtimes ?? {}).sort(),
    defaultRuntime: info.DefaultRuntime,
    storageDriver: info.Driver,
    cgroupVersion: info.CgroupVersion,
    cgroupDriver: info.CgroupDriver,
    os: `${info.OSType ?? ''}/${info.Architecture ?? ''}`,
  };
}

export function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  if (e?.code === 'EACCES') return 'permission denied on the socket';
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'ENOENT') return 'no such socket';
  if (e?.json?.message) return e.json.message;
  return e?.message ?? String(err);
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
