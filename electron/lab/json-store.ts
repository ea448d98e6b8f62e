import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';

/** Raised when a document cannot be written or read; says where and why so the user can act on it. */
export class StoreError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreError';
  }
}

const ID_RE = /^[A-Za-z0-9._-]{1,128}$/;

export interface JsonStoreOptions<Doc extends { id: string }, Item extends { startedAt: string; id: string }> {
  dir: string;
  /** "run", "comparison": how errors name one document. */
  noun: string;
  schema: z.ZodType<Doc>;
  schemaName: string;
  toListItem(doc: Doc): Item;
}

/**
 * Versioned documents on disk, one JSON file each. Writes are atomic (temp file + rename), so a crash leaves
 * either the previous version or the new one, never half a file; files that do not parse are skipped in lists.
 */
export class JsonStore<Doc extends { id: string }, Item extends { startedAt: string; id: string }> {
  readonly dir: string;
  constructor(private readonly o: JsonStoreOptions<Doc, Item>) {
    this.dir = o.dir;
  }

  private file(id: string): string {
    if (!ID_RE.test(id)) throw new StoreError(`not a ${this.o.noun} id: ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  async save(doc: Doc): Promise<void> {
    const file = this.file(doc.id);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOSPC' ? 'the disk is full; free some space' :
        code === 'EACCES' || code === 'EPERM' ? "permission denied; check the folder's owner or set ISOLAB_DATA_DIR" :
        code === 'EROFS' ? 'the file system is read-only; set ISOLAB_DATA_DIR to a writable folder' :
        (err as Error).message;
      throw new StoreError(`could not save ${this.o.noun} ${doc.id} to ${file}: ${why}`, err);
    }
  }

  async has(id: string): Promise<boolean> {
    return readFile(this.file(id)).then(() => true, () => false);
  }

  async get(id: string): Promise<Doc> {
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError(`no ${this.o.noun} with id ${id} in ${this.dir}`);
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new StoreError(`${this.o.noun} ${id} in ${file} is not valid JSON`);
    }
    const parsed = this.o.schema.safeParse(json);
    if (!parsed.success) throw new StoreError(`${this.o.noun} ${id} in ${file} is not a valid ${this.o.schemaName} document: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  /** Every readable document, newest first. Files that do not parse are skipped, not fatal. */
  async list(): Promise<Item[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const items: Item[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        items.push(this.o.toListItem(await this.get(name.slice(0, -5))));
      } catch {
        // A foreign or damaged file: leave it alone, list the rest.
      }
    }
    return items.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id.localeCompare(a.id)));
  }

  async delete(id: string): Promise<boolean> {
    try {
      await rm(this.file(id));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
