import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { Run, RUN_SCHEMA, toListItem, type RunListItem } from '../../shared/run';
import { runsDir } from './paths';

/** Raised when a run cannot be written; says where and why so the user can free space or fix rights. */
export class StoreError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreError';
  }
}

const ID_RE = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Run documents on disk, one JSON file per run. Writes are atomic (temp file + rename), so a crash leaves
 * either the previous version or the new one, never half a file.
 */
export class RunStore {
  readonly dir: string;
  constructor(dir = runsDir()) {
    this.dir = dir;
  }

  private file(id: string): string {
    if (!ID_RE.test(id)) throw new StoreError(`not a run id: ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  async save(run: Run): Promise<void> {
    const file = this.file(run.id);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(run, null, 2) + '\n');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOSPC' ? 'the disk is full; free some space' :
        code === 'EACCES' || code === 'EPERM' ? 'permission denied; check the folder\'s owner or set ISOLAB_DATA_DIR' :
        code === 'EROFS' ? 'the file system is read-only; set ISOLAB_DATA_DIR to a writable folder' :
        (err as Error).message;
      throw new StoreError(`could not save run ${run.id} to ${file}: ${why}`, err);
    }
  }

  async get(id: string): Promise<Run> {
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError(`no run with id ${id} in ${this.dir}`);
      throw err;
    }
    const parsed = Run.safeParse(JSON.parse(text));
    if (!parsed.success) throw new StoreError(`run ${id} in ${file} is not a valid ${RUN_SCHEMA} document: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  /** Every readable run, newest first. Files that do not parse are skipped, not fatal. */
  async list(): Promise<RunListItem[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const items: RunListItem[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        items.push(toListItem(await this.get(name.slice(0, -5))));
      } catch {
        // A foreign or damaged file: leave it alone, list the rest.
      }
    }
    return items.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id.localeCompare(a.id)));
  }

  async delete(id: string): Promise<boolean> {
    const file = this.file(id);
    try {
      await rm(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}

/** Sortable, unique, readable: 20261126T160102123Z-container-runc-3fa2. */
export function newRunId(model: string, date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('.', '');
  const slug = model.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  const rand = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return `${stamp}-${slug}-${rand}`;
}
