import { lazy, type ComponentType } from 'react';
import { icons } from '../shell/icons';
import { simulateIcon } from '../sim/icon';

/** What a page gets from the router: the hash's segments after its id (#/runs/<id> gives ['<id>']). */
export interface PageProps {
  params: string[];
}

export interface PageEntry {
  /** The first hash segment: #/<id>. */
  id: string;
  /** i18n key with its namespace, e.g. "bench:title". */
  label: string;
  /** SVG path data (24×24); see shell/icons.ts. */
  icon: string;
  /** Loaded with its own chunk on first use (the shell renders it under Suspense). */
  component: ComponentType<PageProps>;
  /** Starts loading the page's chunk without rendering it (the page the address opens, at boot). */
  preload(): Promise<unknown>;
  /** False for a page browser mode's audience may not use (its calls are refused for that token). */
  audience?: false;
}

/**
 * Each page is its own chunk: the run page does not download, parse and evaluate the simulator, Learn, recharts or
 * the contract's schemas it does not use. `load` is kept once, so the boot's preload and React.lazy share it.
 */
function lazyPage(load: () => Promise<ComponentType<PageProps>>): Pick<PageEntry, 'component' | 'preload'> {
  let loading: Promise<{ default: ComponentType<PageProps> }> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (component) => ({ default: component }),
      (err: unknown) => {
        loading = undefined; // a chunk that failed (server restarted with a new build) is fetched again next time
        throw err;
      },
    ));
  return { component: lazy(preload), preload };
}

/** The left navigation, in order. A new page is one line here; the first one is the start page. */
const pages: PageEntry[] = [
  { id: 'bench', label: 'bench:title', icon: icons.gauge, ...lazyPage(() => import('./bench/BenchPage').then((m) => m.BenchPage)) },
  { id: 'runs', label: 'runs:title', icon: icons.list, ...lazyPage(() => import('./runs/RunsPage').then((m) => m.RunsPage)) },
  { id: 'compare', label: 'compare:title', icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2', ...lazyPage(() => import('./ComparePage').then((m) => m.ComparePage)) },
  { id: 'hosts', label: 'hosts:title', icon: 'M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01', ...lazyPage(() => import('./HostsPage').then((m) => m.HostsPage)), audience: false },
  { id: 'simulate', label: 'sim:title', icon: simulateIcon, ...lazyPage(() => import('./SimulatePage').then((m) => m.SimulatePage)) },
  { id: 'learn', label: 'learn:title', icon: 'M4 19V5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM4 19a2 2 0 0 1 2-2h13M9 7h6M9 11h6', ...lazyPage(() => import('./LearnPage').then((m) => m.LearnPage)) },
  { id: 'workshop', label: 'workshop:title', icon: 'M3 4h18v12H3zM8 20h8M12 16v4M7 12l3-3 2 2 4-4', ...lazyPage(() => import('./WorkshopPage').then((m) => m.WorkshopPage)) },
];

/** The page a route shows: its own, else the start page (also for the audience, who does not see every page). */
export function pageFor(id: string, audience: boolean): { shown: PageEntry[]; page: PageEntry } {
  const shown = audience ? pages.filter((p) => p.audience !== false) : pages;
  return { shown, page: shown.find((p) => p.id === id) ?? shown[0] };
}
