import { useMemo, useSyncExternalStore } from 'react';

/** Hash routes (#/bench, #/runs, #/runs/<id>): they work from file:// in Electron and need no server rules. */
export interface Route {
  page: string;
  params: string[];
}

function read(): string {
  return location.hash;
}

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? '', params: parts.slice(1) };
}

/** The route the address shows now (at boot, before React). */
export function currentRoute(): Route {
  return parseRoute(read());
}

export function href(...parts: string[]): string {
  return '#/' + parts.map(encodeURIComponent).join('/');
}

export function navigate(...parts: string[]): void {
  location.hash = href(...parts);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(
    (l) => {
      window.addEventListener('hashchange', l);
      return () => window.removeEventListener('hashchange', l);
    },
    read,
  );
  // One object per address, so the shell can defer it (useDeferredValue) while the next page's chunk loads.
  return useMemo(() => parseRoute(hash), [hash]);
}
