import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { Comparison, COMPARISON_SCHEMA, toComparisonListItem, type ComparisonListItem } from '../../../shared/compare';
import { StoreError } from '../store';

const ID_RE = /^[A-Za-z0-9._-]{1,128}$/;

/** Comparison documents, one JSON file each under <data dir>/comparisons, written atomically like runs. */
export class ComparisonStore {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    if (!ID_RE.test(id)) throw new StoreError(`not a comparison id: ${JSON.stringify(id)}`);
    return path.join(this.dir, `${id}.json`);
  }

  async save(c: Comparison): Promise<void> {
    const file = this.file(c.id);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(c, null, 2) + '\n');
    } catch (err) {
      throw new StoreError(`could not save comparison ${c.id} to ${file}: ${(err as Error).message}`, err);
    }
  }

  async has(id: string): Promise<boolean> {
    return readFile(this.file(id)).then(() => true, () => false);
  }

  async get(id: string): Promise<Comparison> {
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError(`no comparison with id ${id} in ${this.dir}`);
      throw err;
    }
    const parsed = Comparison.safeParse(JSON.parse(text));
    if (!parsed.success) throw new StoreError(`comparison ${id} in ${file} is not a valid ${COMPARISON_SCHEMA} document: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  async list(): Promise<ComparisonListItem[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const items: ComparisonListItem[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        items.push(toComparisonListItem(await this.get(name.slice(0, -5))));
      } catch {
        /* foreign or damaged: skip */
      }
    }
    return items.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
  }

  async delete(id: string): Promise<boolean> {
    return rm(this.file(id)).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
  }
}
