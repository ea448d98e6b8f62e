import type { ComponentType } from 'react';
import { icons } from '../shell/icons';
import { BenchPage } from './bench/BenchPage';
import { ComparePage } from './ComparePage';
import { RunsPage } from './runs/RunsPage';
import { HostsPage } from './HostsPage';
import { SimulatePage } from './SimulatePage';
import { simulateIcon } from '../sim/icon';
import { LearnPage } from './LearnPage';
import { WorkshopPage } from './WorkshopPage';

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
  component: ComponentType<PageProps>;
  /** False for a page browser mode's audience may not use (its calls are refused for that token). */
  audience?: false;
}

/** The left navigation, in order. A new page is one line here; the first one is the start page. */
export const pages: PageEntry[] = [
  { id: 'bench', label: 'bench:title', icon: icons.gauge, component: BenchPage },
  { id: 'runs', label: 'runs:title', icon: icons.list, component: RunsPage },
  { id: 'compare', label: 'compare:title', icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2', component: ComparePage },
  { id: 'hosts', label: 'hosts:title', icon: 'M4 4h16v6H4zM4 14h16v6H4zM8 7h.01M8 17h.01', component: HostsPage, audience: false },
  { id: 'simulate', label: 'sim:title', icon: simulateIcon, component: SimulatePage },
  { id: 'learn', label: 'learn:title', icon: 'M4 19V5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2zM4 19a2 2 0 0 1 2-2h13M9 7h6M9 11h6', component: LearnPage },
  { id: 'workshop', label: 'workshop:title', icon: 'M3 4h18v12H3zM8 20h8M12 16v4M7 12l3-3 2 2 4-4', component: WorkshopPage },
];
