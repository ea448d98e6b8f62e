import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { Owner, RunStatus, SkippedFile } from '../../shared/run';
import { TEMP_SUFFIX, tempWriterPid, writeFileAtomic } from './atomic-file';
import { isAlive } from './labels';
import { ownerGone } from './owner';
import { ValidatedCache } from './validated-cache';

/** Raised when a document cannot be written or read; says where and why so the user can act on it. */
export class StoreError extends Error {
  constructor(
    message: string,
    cause?: unknown,
    /** The errno code of a failed write (ENOSPC, EACCES, EROFS ...), for faces that explain it in words. */
    readonly code?: string,
    /** The file the store tried to write or read. */
    readonly file?: string,
  ) {
    super(message, { cause });
    this.name = 'StoreError';
  }
}

/**
 * A document was measured but could not be saved where it belongs. `fallback` is where it went instead (a
 * folder in the system's temp directory), when that worked; the document itself travels with the error.
 */
export class NotSavedError<Doc> extends StoreError {
  constructor(
    readonly doc: Doc,
    override readonly cause: StoreError,
    readonly fallback: string | undefined,
  ) {
    super(
      `${cause.message}. ` +
        (fallback ? `What was measured is kept in ${fallback}; move it into ${path.dirname(cause.file ?? '')} once there is room.` : 'It could not be written anywhere else either.'),
      cause,
      cause.code,
      cause.file,
    );
    this.name = 'NotSavedError';
  }
}

/** Where documents go when the data directory cannot take them: the system's temp directory, one folder. */
const fallbackDir = () => path.join(os.tmpdir(), 'isolab-unsaved');

const ID_RE = /^[A-Za-z0-9._-]{1,128}$/;

/** What every stored document carries: its id, its status, and who runs it. */
export interface StoredDoc {
  id: string;
  status: RunStatus;
  owner?: Owner;
}

export interface JsonStoreOptions<Doc extends StoredDoc, Item extends { startedAt: string; id: string }> {
  dir: string;
  /** "run", "comparison": how errors name one document. */
  noun: string;
  schema: z.ZodType<Doc>;
  schemaName: string;
  /**
   * A cheaper validation of a document the schema would accept, giving exactly what the schema's parse would (the
   * run store's, for its samples: run-parse.ts); undefined when it cannot vouch for the document, and the schema
   * decides, and words what is wrong.
   */
  fastParse?(json: unknown): Doc | undefined;
  toListItem(doc: Doc): Item;
}

/** Documents that could be read, and the files that could not, each with why. */
export interface Scan<Item> {
  items: Item[];
  skipped: SkippedFile[];
}

/** A document file that cannot be read: why, as a code (SkipReason) and a detail. */
class UnreadableDoc extends StoreError {
  constructor(
    message: string,
    readonly reason: SkippedFile['reason'],
    readonly detail?: string,
  ) {
    super(message);
  }
}

/**
 * Versioned documents on disk, one JSON file each. Writes are atomic (temp file, every byte, then rename), so a
 * crash or a full disk leaves either the previous version or the new one, never half a file; files that do
 * not parse are skipped in lists, and `scan` says which and why.
 */
export class JsonStore<Doc extends StoredDoc, Item extends { startedAt: string; id: string }> {
  readonly dir: string;
  /** Documents read and validated, served again while their file is unchanged (validated-cache.ts). */
  private readonly validated = new ValidatedCache<Doc>();
  constructor(private readonly o: JsonStoreOptions<Doc, Item>) {
    this.dir = o.dir;
  }

  private file(id: string): string {
    if (!ID_RE.test(id)) throw new StoreError(`not a ${this.o.noun} id: ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  async save(doc: Doc): Promise<void> {
    const file = this.file(doc.id);
    this.validated.drop(file);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new StoreError(`could not save ${this.o.noun} ${doc.id} to ${file}: ${explainWriteError(err)}`, err, code, file);
    }
  }

  /**
   * Saves, or when the data directory cannot take the document, writes it to the fallback folder and throws
   * NotSavedError saying where it went: what was measured is never lost silently.
   */
  async saveOrKeep(doc: Doc): Promise<void> {
    try {
      await this.save(doc);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      throw new NotSavedError(doc, err, await this.keepElsewhere(doc));
    }
  }

  /** Writes the document to the fallback folder; returns its path, or undefined when that fails too. */
  async keepElsewhere(doc: Doc): Promise<string | undefined> {
    const dir = path.join(fallbackDir(), path.basename(this.dir));
    const file = path.join(dir, `${doc.id}.json`);
    try {
      // One level at a time below the temp directory, which must exist: a recursive mkdir can loop for ever
      // on a parent that answers ENOENT to mkdir (a TMPDIR under /proc).
      for (const d of [fallbackDir(), dir]) await mkdir(d).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      await writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
      return file;
    } catch {
      return undefined;
    }
  }

  async has(id: string): Promise<boolean> {
    return readFile(this.file(id)).then(() => true, () => false);
  }

  /**
   * The document, as it stands: one its owner left `partial` when it ended reads as `interrupted`, also before
   * `recover` could rewrite it (a full or read-only data directory).
   */
  async get(id: string): Promise<Doc> {
    const doc = await this.read(id);
    return doc.status === 'partial' && ownerGone(doc.owner) ? { ...doc, status: 'interrupted' } : doc;
  }

  /**
   * The file's document, validated against the schema; frozen, and shared by every reader while the file stays
   * the one that was validated. The file is opened once, so its identity and its text are the same file's.
   */
  private async read(id: string): Promise<Doc> {
    const file = this.file(id);
    let text: string;
    let st: Stats;
    try {
      const fh = await open(file, 'r');
      try {
        st = await fh.stat();
        const known = this.validated.get(file, st);
        if (known) return known;
        text = await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new StoreError(`no ${this.o.noun} with id ${id} in ${this.dir}`);
      throw new UnreadableDoc(`${this.o.noun} ${id} in ${file} cannot be read: ${(err as Error).message}`, 'unreadable', code);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new UnreadableDoc(`${this.o.noun} ${id} in ${file} is not valid JSON (${text.length} bytes; a file cut short?)`, 'invalid-json', (err as Error).message);
    }
    const fast = this.o.fastParse?.(json);
    if (fast) return this.validated.set(file, st, fast);
    const parsed = this.o.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : undefined;
      throw new UnreadableDoc(`${this.o.noun} ${id} in ${file} is not a valid ${this.o.schemaName} document: ${issue?.message}`, 'invalid-document', detail);
    }
    return this.validated.set(file, st, parsed.data);
  }

  /** Every readable document, newest first. Files that do not parse are skipped, not fatal. */
  async list(): Promise<Item[]> {
    return (await this.scan()).items;
  }

  /** Every readable document, newest first, and every .json file that is not one, with the reason. */
  async scan(): Promise<Scan<Item>> {
    const items: Item[] = [];
    const skipped: SkippedFile[] = [];
    for (const name of await this.names()) {
      const id = name.slice(0, -'.json'.length);
      if (!ID_RE.test(id)) {
        skipped.push({ file: name, reason: 'bad-name' });
        continue;
      }
      try {
        items.push(this.o.toListItem(await this.get(id)));
      } catch (err) {
        // A foreign or damaged file: leave it alone, list the rest, and say so.
        if (err instanceof UnreadableDoc) skipped.push({ file: name, reason: err.reason, detail: err.detail });
        else skipped.push({ file: name, reason: 'unreadable', detail: (err as Error).message });
      }
    }
    items.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id.localeCompare(a.id)));
    skipped.sort((a, b) => a.file.localeCompare(b.file));
    return { items, skipped };
  }

  /**
   * After a crash: documents still `partial` whose owner process has ended become `interrupted` (what they
   * measured is kept), and temp files their writers left are removed. Returns the ids it marked.
   */
  async recover(): Promise<string[]> {
    const marked: string[] = [];
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return marked;
    }
    for (const name of names) {
      const writer = name.endsWith(TEMP_SUFFIX) ? tempWriterPid(name) : undefined;
      if (writer !== undefined && writer !== process.pid && !isAlive(writer)) await rm(path.join(this.dir, name), { force: true }).catch(() => {});
    }
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const id = name.slice(0, -'.json'.length);
      const doc = await this.read(id).catch(() => undefined);
      if (!doc || doc.status !== 'partial' || !ownerGone(doc.owner)) continue;
      try {
        await this.save({ ...doc, status: 'interrupted' });
        marked.push(id);
      } catch {
        // A read-only or full data directory: the list still shows it as it is; try again next start.
      }
    }
    return marked;
  }

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  async delete(id: string): Promise<boolean> {
    const file = this.file(id);
    this.validated.drop(file);
    try {
      await rm(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}

/** A failed write in words a user can act on. */
function explainWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full; free some space or set ISOLAB_DATA_DIR to a folder on another disk' :
    code === 'EACCES' || code === 'EPERM' ? "permission denied; check the folder's owner or set ISOLAB_DATA_DIR" :
    code === 'EROFS' ? 'the file system is read-only; set ISOLAB_DATA_DIR to a writable folder' :
    (err as Error).message;
}
