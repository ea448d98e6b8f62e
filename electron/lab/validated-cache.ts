import type { Stats } from 'node:fs';

/**
 * Documents this process has already read and validated, each kept with the identity of the file it came from:
 * inode, size, mtime and ctime. Reading a 10,000-iteration run costs ~70 ms of JSON.parse and 250-600 ms of schema
 * validation; the Runs list, the run's page and the Learn table read the same files again and again. A file whose
 * identity is unchanged is the one that was validated (documents are written by rename, which gives a new inode;
 * any edit in place moves mtime and ctime, and ctime cannot be set back by hand), so its document is served from
 * here. Anything else is read and validated again: a hand-edited or tampered file is still refused.
 *
 * The cached document is frozen: every reader shares it, and one that tried to change it would change it for all.
 * Bounded by the files' sizes (a parsed document takes a few times its file's bytes).
 */
export class ValidatedCache<Doc> {
  private readonly entries = new Map<string, { identity: string; doc: Doc; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 2 ** 20) {}

  /** The document validated from this very file, or undefined when the file changed or was never read. */
  get(file: string, st: Stats): Doc | undefined {
    const e = this.entries.get(file);
    if (!e) return undefined;
    if (e.identity !== identity(st)) {
      this.drop(file);
      return undefined;
    }
    // Most recently used last: eviction takes the first.
    this.entries.delete(file);
    this.entries.set(file, e);
    return e.doc;
  }

  /** Keeps a validated document (frozen) for the file as `st` saw it; returns it. */
  set(file: string, st: Stats, doc: Doc): Doc {
    deepFreeze(doc);
    this.drop(file);
    if (st.size > this.maxBytes) return doc;
    this.entries.set(file, { identity: identity(st), doc, bytes: st.size });
    this.bytes += st.size;
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k);
    }
    return doc;
  }

  drop(file: string): void {
    const e = this.entries.get(file);
    if (!e) return;
    this.entries.delete(file);
    this.bytes -= e.bytes;
  }
}

const identity = (st: Stats) => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}
