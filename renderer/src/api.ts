import type { LabApi, LabEvent, WsResponse } from '../../shared/api';
import { LAB_METHOD_NAMES } from '../../shared/api-channels';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in browser mode. */
    isolab?: LabApi;
  }
}

/**
 * The renderer's only way to the engine: Electron's preload when present, else browser mode's WebSocket with
 * the token from the page's URL. Both are typed from shared/api.ts, so pages cannot tell them apart.
 */
function createLabClient(): LabApi {
  if (window.isolab) return window.isolab;
  return wsClient(new URLSearchParams(location.search).get('token') ?? '');
}

let client: LabApi | undefined;

/** The one client of this page, made at boot so the first calls (and the WebSocket) start before React renders. */
export function labClient(): LabApi {
  return (client ??= createLabClient());
}

/**
 * The event schema is the whole contract in zod (runs, comparisons, hosts, the workshop): loaded on the first
 * event, not at boot, so a page that only reads a saved document never builds it.
 */
let eventSchema: Promise<typeof LabEvent> | undefined;
const loadEventSchema = () =>
  (eventSchema ??= import('../../shared/api').then(
    (m) => m.LabEvent,
    (err: unknown) => {
      eventSchema = undefined; // a chunk that failed to load is tried again on the next event
      throw err;
    },
  ));

export function isAudience(): boolean {
  return new URLSearchParams(location.search).get('audience') === '1';
}

const UNREACHABLE = 'cannot reach the isolab server: is `isolab serve` still running, and is the token in the address right?';

/** A read over GET (`what`: `run/<id>`, `comparison/<id>` or `tradeoffs`), its token in a header. */
async function readOverGet(what: string, token: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`/api/${what}`, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    throw new Error(UNREACHABLE);
  }
  // As a blob, then bytes, text and JSON, each a step of its own: the browser keeps the body as it comes (no task of the
  // page's thread per chunk), and res.json() would decode and parse megabytes in one task. The server answers in the
  // socket's envelope; anything else (a proxy's error page) is its status.
  const data = await res
    .blob()
    .then((b) => b.arrayBuffer())
    .then((b) => JSON.parse(new TextDecoder().decode(b)) as WsResponse)
    .catch(() => undefined);
  if (!data || !('ok' in data)) throw new Error(`the isolab server answered ${res.status} ${res.statusText}`.trim());
  if (!data.ok) throw new Error(data.error);
  return data.result;
}

function wsClient(token: string): LabApi {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const listeners = new Set<(e: LabEvent) => void>();
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let socket: Promise<WebSocket> | undefined;
  let events: Promise<void> = Promise.resolve();

  const connect = (): Promise<WebSocket> => {
    socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new Error(UNREACHABLE));
      ws.onclose = () => {
        socket = undefined;
        for (const p of pending.values()) p.reject(new Error('the connection to isolab closed'));
        pending.clear();
        // Reconnect so events keep flowing after a server restart or a network blip on loopback.
        if (listeners.size) setTimeout(() => void connect().catch(() => {}), 1000);
      };
      ws.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as WsResponse;
        if ('event' in data) {
          // Chained, so events reach listeners in the order they came even while the schema loads.
          events = events
            .then(loadEventSchema)
            .then((schema) => {
              const parsed = schema.safeParse(data.event);
              if (parsed.success) for (const l of listeners) l(parsed.data);
            })
            .catch((err: unknown) => reportError(err));
          return;
        }
        const p = pending.get(data.id);
        if (!p) return;
        pending.delete(data.id);
        if (data.ok) p.resolve(data.result);
        else p.reject(new Error(data.error));
      };
    });
    return socket;
  };

  const call = async (method: string, args: unknown[]) => {
    const ws = await connect();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, args }));
    });
  };

  const api: Record<string, unknown> = {};
  for (const m of LAB_METHOD_NAMES) api[m] = (...args: unknown[]) => call(m, args);
  // A run's and a comparison's document, and the Learn page's table, over GET (electron/serve.ts): the read starts
  // before the socket is up, and the browser takes the megabytes in beside the page's work (a socket's message is
  // taken in and decoded in one task of the page's thread).
  api.getRun = (id: string) => readOverGet(`run/${encodeURIComponent(id)}`, token);
  api.getComparison = (id: string) => readOverGet(`comparison/${encodeURIComponent(id)}`, token);
  api.tradeoffs = () => readOverGet('tradeoffs', token);
  api.onEvent = (listener: (e: LabEvent) => void) => {
    listeners.add(listener);
    void connect().catch(() => {});
    return () => listeners.delete(listener);
  };
  return api as LabApi;
}
