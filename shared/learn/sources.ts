import file from '../reference/isolation-sources.json';

/** A primary source behind the Learn page's words (shared/reference/isolation-sources.json). */
export interface IsolationSource {
  id: string;
  /** What the source supports, in English: for maintainers checking the words, not shown. */
  supports: string;
  source: string;
  url: string;
  verified: boolean;
}

/**
 * The file's sources as bundled, typed by the compiler. Its schema (every field, URLs that parse) is in
 * shared/learn/reference-schema.ts, and a unit test holds the file to it: the Learn page builds no zod schema.
 */
export const ISOLATION_SOURCES: IsolationSource[] = file.sources;
