import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** ARCHITECTURE.md must stay true: every repository path it names in backticks exists. */
const ROOT = path.resolve(__dirname, '../..');
const doc = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');

/** Backticked words that look like repository paths: they start at a top-level folder or name a file at the top. */
function namedPaths(text: string): string[] {
  const tops = ['electron/', 'shared/', 'renderer/', 'test/', 'build/', 'bin/', 'docs/', 'examples/', '.ci/'];
  const out = new Set<string>();
  for (const [, word] of text.matchAll(/`([^`\s]+)`/g)) {
    const p = word.replace(/[.,:;]+$/, '');
    if (tops.some((t) => p.startsWith(t)) && !p.includes('<')) out.add(p);
    else if (/^[\w.-]+\.(md|mjs|json|ts)$/.test(p) && !p.includes('*')) out.add(p);
  }
  return [...out];
}

describe('ARCHITECTURE.md', () => {
  it('names paths, and every one exists', () => {
    const paths = namedPaths(doc);
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  it('the check finds a path that does not exist', () => {
    expect(namedPaths('see `electron/lab/nosuch.ts` and `x`').filter((p) => !existsSync(path.join(ROOT, p)))).toEqual(['electron/lab/nosuch.ts']);
  });
});
