import { channel } from 'node:diagnostics_channel';
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';

/** How to bring an engine back, said the same way wherever isolab finds none. */
export const RESTART_HINT =
  'Start Docker (Linux: `sudo systemctl start docker`, or `dockerd` as root; macOS/Windows: open Docker Desktop)';

/**
 * The engine went away in the middle of a run (it crashed, was killed or restarted). The run fails with this,
 * keeps what it measured, and the next isolab start removes what the run left on the engine.
 */
export class EngineLostError extends Error {
  readonly code = 'ENGINE_LOST';
  constructor(
    readonly endpoint: string,
    readonly why: string,
  ) {
    super(
      `the Docker engine (${endpoint}) went away during the run: ${why}. ${RESTART_HINT} and run again; ` +
        'the next isolab start removes the containers this run left behind.',
    );
    this.name = 'EngineLostError';
  }
}

/** A connection to the engine that broke or was refused: not the engine saying no, the engine not being there. */
function isConnectionLost(err: unknown): boolean {
  if (err instanceof EngineLostError || err instanceof ResponseCutError) return true;
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e !== 'object') return false;
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return true;
  // Refused, or the socket file gone: only when connecting (ENOENT is also "no such container image file").
  return e.syscall === 'connect' && (e.code === 'ECONNREFUSED' || e.code === 'ENOENT');
}

/** The engine error as a run should report it: a lost engine says so and how to restart it; others pass through. */
export function engineError(err: unknown, endpoint: string): unknown {
  if (err instanceof EngineLostError || !isConnectionLost(err)) return err;
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOENT' ? 'its socket is gone' : e.message || String(err);
  return new EngineLostError(endpoint, why);
}

/** Raised on a request whose answer the engine cut off (its socket closed before the end of the response). */
class ResponseCutError extends Error {
  readonly code = 'ECONNRESET';
  constructor(method: string, path: string) {
    super(`the connection closed in the middle of its answer to ${method} ${path.split('?')[0]}`);
    this.name = 'ResponseCutError';
  }
}

const guarded = new WeakSet<Agent>();
let subscribed = false;

/**
 * Makes every request sent through this agent fail when the engine's answer is cut off. docker-modem collects a
 * response's body until 'end'; when the engine dies after sending the headers (`wait` sends them at once, then
 * the body when the container exits), Node closes the response without 'end' and without an error event, so the
 * call's promise would never settle and, with nothing else pending, the process would exit 0 with the run left
 * `partial`. Node's http diagnostics channel sees each request start; a response that closes incomplete (and was
 * not aborted by its caller) gets an 'error' on its request, which docker-modem turns into a rejection.
 */
export function guardAgent<A extends Agent>(agent: A): A {
  guarded.add(agent);
  if (!subscribed) {
    subscribed = true;
    channel('http.client.request.start').subscribe((message) => {
      // Node sets the agent a request goes through on the request itself (its types leave it out).
      const { request } = message as { request: ClientRequest & { agent?: Agent } };
      if (!request.agent || !guarded.has(request.agent)) return;
      request.once('response', (res: IncomingMessage) => watchResponse(request, res));
    });
  }
  return agent;
}

function watchResponse(request: ClientRequest, res: IncomingMessage): void {
  // Listening for 'error' is what makes Node report the cut (it stays silent otherwise); the close below acts on it.
  res.on('error', () => {});
  res.once('close', () => {
    if (res.complete) return;
    const cause = res.errored as NodeJS.ErrnoException | null;
    if (cause && cause.code !== 'ECONNRESET') return; // aborted by its caller (AbortSignal): not the engine
    if (request.listenerCount('error') > 0) request.emit('error', new ResponseCutError(request.method, request.path));
  });
}
