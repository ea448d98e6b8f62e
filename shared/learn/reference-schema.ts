import { z } from 'zod';
import type { LandscapeFile as LandscapeFileShape } from './landscape';
import type { IsolationSource as IsolationSourceShape } from './sources';

/*
 * The schemas of the reference files the Learn page draws (shared/reference/isolation-sources.json and
 * landscape.json). The files are bundled with the app, so they are checked where they change: a unit test holds them
 * to these (test/unit/learn/reference-files.test.ts), and the page, which builds no zod schema, reads them as typed.
 */

const IsolationSource = z.object({
  id: z.string(),
  supports: z.string(),
  source: z.string(),
  url: z.string().url(),
  verified: z.boolean(),
});
export const IsolationSourcesFile = z.object({ sources: z.array(IsolationSource) });

const LandscapeEntry = z.object({
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  date: z.string().nullable(),
  successor: z.string().nullable(),
  source: z.string(),
  verified: z.boolean(),
});
export const LandscapeFile = z.object({ about: z.string(), asOf: z.string(), entries: z.array(LandscapeEntry) });

// The schemas read exactly the shapes shared/learn/sources.ts and landscape.ts declare (both ways).
type Same<A, B> = [A, B] extends [B, A] ? true : never;
const sameShape: [Same<z.infer<typeof IsolationSource>, IsolationSourceShape>, Same<z.infer<typeof LandscapeFile>, LandscapeFileShape>] = [true, true];
void sameShape;
