import file from '../reference/landscape.json';

/**
 * What became of the products and projects the seed article (2016) names, from shared/reference/landscape.json:
 * cited history for a trainer using the article today, not measurements. The words shown for each entry's kind
 * and status live in the renderer's learn.json under landscape.entries.<id>; the names, dates, successors and
 * sources are the file's own.
 */
export interface LandscapeEntry {
  name: string;
  kind: string;
  status: string;
  /** ISO date (or a year) of the change the status names; null when there is none. */
  date: string | null;
  successor: string | null;
  source: string;
  /** false: the date is taken from a secondary quote of the vendor's notice. */
  verified: boolean;
}

export interface LandscapeFile {
  about: string;
  asOf: string;
  entries: LandscapeEntry[];
}

/** Stable keys for the entries' words; an entry added later without words shows the file's English. */
const KNOWN: [RegExp, string][] = [
  [/Azure Container Service/i, 'acs'],
  [/DC\/OS/i, 'dcos'],
  [/^rkt\b/i, 'rkt'],
  [/CoreOS/i, 'coreos'],
  [/Swarm/i, 'swarm'],
  [/^Kubernetes\b/i, 'kubernetes'],
  [/Open Container/i, 'oci'],
];

export function landscapeId(e: Pick<LandscapeEntry, 'name'>): string {
  return KNOWN.find(([re]) => re.test(e.name))?.[1] ?? e.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * The file as bundled, typed by the compiler. Its schema is in shared/learn/reference-schema.ts, and a unit test
 * holds the file to it: the Learn page builds no zod schema.
 */
export const LANDSCAPE: LandscapeFile = file;
export const LANDSCAPE_ENTRIES = LANDSCAPE.entries.map((e) => ({ ...e, id: landscapeId(e) }));
