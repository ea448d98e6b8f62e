import Docker from 'dockerode';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { EngineConnection } from '../docker/engine';
import { guardAgent } from '../docker/lost';
import type { SshConnection } from './connect';
import { EngineEventLog } from './engine-events';
import { describeSpec } from './spec';

/** The docker CLI's own way to reach its engine over SSH: stdio bridged to the engine's socket. */
const DIAL_STDIO_COMMAND = 'docker system dial-stdio';

/**
 * An http.Agent whose sockets are exec channels `docker system dial-stdio` on ONE existing SSH connection.
 * Keep-alive reuses a channel across requests; maxSockets stays under sshd's MaxSessions (10 by default),
 * which caps the channels one connection may hold open. The engine closes a connection after a streaming
 * call (attach), and opening a channel costs a session and a docker CLI start on the host (~100 ms), so one
 * spare channel is kept open ahead: an engine call then pays the engine's time, not the transport's setup.
 */
function dialStdioAgent(conn: SshConnection, maxSockets = 4, keepSpare = true): http.Agent & { lastStderr(): string | undefined } {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }) as http.Agent & { lastStderr(): string | undefined };
  let spare: Promise<Duplex> | undefined;
  let closed = false;
  // What the docker CLI on the host said last: an HTTP "socket hang up" alone would not say why.
  let lastStderr: string | undefined;
  agent.lastStderr = () => lastStderr;
  const open = (): Promise<Duplex> =>
    conn.channel(DIAL_STDIO_COMMAND).then((stream) => {
      let stderr = '';
      stream.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        lastStderr = stderr.trim().slice(-500);
      });
      stream.on('exit', (code: number | null) => {
        if (code) (stream as Duplex).destroy(new Error(`\`${DIAL_STDIO_COMMAND}\` exited with ${code} on ${describeSpec(conn.spec)}: ${stderr.trim() || 'is the docker CLI installed there, and may this user use the engine?'}`));
      });
      return asSocket(stream);
    });
  const usable = (s: Duplex) => !s.destroyed && !s.readableEnded && !s.writableEnded;
  (agent as unknown as { createConnection: unknown }).createConnection = (_opts: unknown, cb: (err: Error | null, s?: Duplex) => void) => {
    const take = spare ?? open();
    spare = undefined;
    take
      .catch(() => open())
      .then((s) => (usable(s) ? s : open()))
      .then(
        (s) => {
          // The next request's channel opens while this one is in use.
          if (!closed && keepSpare) {
            spare = open();
            spare.catch(() => (spare = undefined));
          }
          cb(null, s);
        },
        (err: Error) => cb(new Error(`could not open a channel to the Docker engine on ${describeSpec(conn.spec)}: ${err.message}`)),
      );
    return undefined;
  };
  const destroy = agent.destroy.bind(agent);
  agent.destroy = () => {
    closed = true;
    void spare?.then((s) => s.destroy(), () => undefined);
    spare = undefined;
    destroy();
  };
  return agent;
}

/** http.Agent calls these socket methods on keep-alive sockets; a channel has no TCP options to set. */
function asSocket(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  const noop = () => s;
  s.setKeepAlive = noop;
  s.setNoDelay = noop;
  s.setTimeout = noop;
  s.ref = noop;
  s.unref = noop;
  s.destroySoon = () => s.destroy();
  return s;
}

/**
 * The engine's event stream on a channel of its own (one, no spare): held open for the whole comparison, it must
 * not take one of the engine calls' channels. `close` ends the stream and its channel.
 */
export async function remoteEngineEvents(conn: SshConnection): Promise<EngineEventLog> {
  const agent = guardAgent(dialStdioAgent(conn, 1, false));
  const docker = new Docker({ protocol: 'http', host: 'docker.invalid', port: 80, agent } as Docker.DockerOptions);
  try {
    return await EngineEventLog.open(docker, () => agent.destroy());
  } catch (err) {
    agent.destroy();
    throw err;
  }
}

/** An EngineConnection to the host's Docker engine, through the host's SSH connection: ContainerTarget runs on it unchanged. */
export async function remoteEngine(conn: SshConnection): Promise<EngineConnection & { agent: http.Agent & { lastStderr(): string | undefined } }> {
  // Guarded: an answer cut off (the engine or the channel died) fails its call instead of hanging it.
  const agent = guardAgent(dialStdioAgent(conn));
  // The host name in URLs is never resolved: every socket comes from the agent above.
  const docker = new Docker({ protocol: 'http', host: 'docker.invalid', port: 80, agent } as Docker.DockerOptions);
  try {
    await docker.ping();
  } catch (err) {
    // The CLI's words arrive on the channel's stderr, possibly just after the HTTP error: give them a moment.
    await new Promise((r) => setTimeout(r, 200));
    const said = agent.lastStderr();
    agent.destroy();
    throw new Error(
      `no Docker engine answered on ${describeSpec(conn.spec)} through \`${DIAL_STDIO_COMMAND}\`: ${said ?? (err as Error).message}. ` +
        'Check there that `docker info` works for this user (the engine runs, the user is in the docker group).',
    );
  }
  return { docker, endpoint: `ssh://${describeSpec(conn.spec)}`, agent };
}
