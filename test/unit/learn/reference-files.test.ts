import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IsolationSourcesFile, LandscapeFile } from '../../../shared/learn/reference-schema';

/**
 * The Learn page's reference files are bundled and read as typed, without zod (the page builds no schema): they are
 * held to their schemas here, where they change, as the page held them when it loaded.
 */
const read = (name: string): unknown => JSON.parse(readFileSync(`shared/reference/${name}`, 'utf8'));

describe('the Learn page’s reference files', () => {
  it('pass their schemas', () => {
    expect(IsolationSourcesFile.safeParse(read('isolation-sources.json')).error).toBeUndefined();
    expect(LandscapeFile.safeParse(read('landscape.json')).error).toBeUndefined();
  });

  it('would be refused with a source whose URL does not parse, or an entry without its date', () => {
    const sources = read('isolation-sources.json') as { sources: { url: string }[] };
    sources.sources[0].url = 'docs.docker.com/engine/security';
    expect(IsolationSourcesFile.safeParse(sources).success).toBe(false);
    const landscape = read('landscape.json') as { entries: { date?: string | null }[] };
    delete landscape.entries[0].date;
    expect(LandscapeFile.safeParse(landscape).success).toBe(false);
  });
});
