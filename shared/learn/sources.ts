import { z } from 'zod';
import file from '../reference/isolation-sources.json';

/** The primary sources behind the Learn page's words (shared/reference/isolation-sources.json). */
export const IsolationSource = z.object({
  id: z.string(),
  /** What the source supports, in English: for maintainers checking the words, not shown. */
  supports: z.string(),
  source: z.string(),
  url: z.string().url(),
  verified: z.boolean(),
});
export type IsolationSource = z.infer<typeof IsolationSource>;

export const ISOLATION_SOURCES: IsolationSource[] = z.array(IsolationSource).parse(file.sources);
