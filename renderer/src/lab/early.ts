import type { LabApi } from '../../../shared/api';
import type { Route } from '../router';

/**
 * The calls a page makes first, started at boot beside the page's code instead of after its first render: the
 * WebSocket opens and the engine reads the document while the browser still loads and evaluates the renderer.
 * Each is taken once, by the page's first read; later reads (after an event) ask the engine again.
 */
type EarlyMethod = 'info' | 'getRun' | 'getComparison' | 'tradeoffs';
type Answer<M extends EarlyMethod> = ReturnType<LabApi[M]>;

const started = new Map<string, Promise<unknown>>();
const keyOf = (method: string, args: readonly unknown[]) => JSON.stringify([method, ...args]);

function start<M extends EarlyMethod>(api: LabApi, method: M, ...args: Parameters<LabApi[M]>): void {
  const answer = call(api, method, args);
  answer.catch(() => undefined); // the page that takes it handles the error; one nobody takes is not "unhandled"
  started.set(keyOf(method, args), answer);
}

function call<M extends EarlyMethod>(api: LabApi, method: M, args: Parameters<LabApi[M]>): Answer<M> {
  return (api[method] as (...a: Parameters<LabApi[M]>) => Answer<M>)(...args);
}

/** Starts what the page at `route` reads first, and the engine's info the shell reads. */
export function prefetchRoute(api: LabApi, route: Route): void {
  const [id] = route.params;
  start(api, 'info');
  if (route.page === 'runs' && id) start(api, 'getRun', id);
  else if (route.page === 'compare' && id) start(api, 'getComparison', id);
  else if (route.page === 'learn') start(api, 'tradeoffs');
  // Answers nobody took (another page opened first) are dropped, not kept: a run can weigh megabytes.
  window.addEventListener('hashchange', () => started.clear(), { once: true });
}

/** The answer started at boot for this call, the first time it is asked for; else a call to the engine now. */
export function early<M extends EarlyMethod>(api: LabApi, method: M, ...args: Parameters<LabApi[M]>): Answer<M> {
  const key = keyOf(method, args);
  const answer = started.get(key) as Answer<M> | undefined;
  started.delete(key);
  return answer ?? call(api, method, args);
}
