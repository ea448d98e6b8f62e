import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from '../atomic-file';
import type { z } from 'zod';

/** The file did not parse: it was moved aside, never overwritten, and the message says where it went. */
export class MovedAsideError extends Error {
  constructor(
    readonly file: string,
    readonly movedTo: string,
    why: string,
    what: string,
  ) {
    super(
      `${what} (${file}) could not be read: ${why}. isolab moved it to ${movedTo} instead of overwriting it, and starts again from an empty one; ` +
        'nothing was changed this time. To keep what it held, repair that file and move it back.',
    );
    this.name = 'MovedAsideError';
  }
}

export interface LockedJsonOptions<T> {
  file: string;
  schema: z.ZodType<T>;
  empty: () => T;
  /** How messages name the file: "the saved hosts file". */
  what: string;
  /** File mode for new files (0o600 for secrets). */
  mode?: number;
}

type Loaded<T> = { ok: true; value: T } | { ok: false; why: string };

/**
 * A small JSON document that several isolab processes may change at once (the app, the CLI, a browser-mode
 * server): every change is a read-modify-write under an exclusive lock (proper-lockfile: a `.lock` folder
 * beside the file, taken over when stale), written atomically, so no change is lost. A file that does not parse
 * is moved aside under the lock and the caller gets a MovedAsideError, instead of an empty one replacing it.
 */
export class LockedJsonFile<T> {
  constructor(private readonly o: LockedJsonOptions<T>) {}

  get file(): string {
    return this.o.file;
  }

  /** The current value. Writes are atomic (temp file + rename), so a read needs no lock. */
  async read(): Promise<T> {
    const first = await this.load();
    if (first.ok) return first.value;
    return this.locked(async () => {
      const again = await this.load();
      if (again.ok) return again.value; // another process repaired or replaced it meanwhile
      throw await this.moveAside(again.why);
    });
  }

  /** Applies `change` to the current value under the lock and writes the result; undefined writes nothing. */
  async update(change: (value: T) => T | undefined): Promise<T> {
    return this.locked(async () => {
      const cur = await this.load();
      if (!cur.ok) throw await this.moveAside(cur.why);
      const next = change(cur.value);
      if (next === undefined) return cur.value;
      await writeFileAtomic(this.o.file, JSON.stringify(next, null, 2) + '\n', this.o.mode === undefined ? {} : { mode: this.o.mode });
      return next;
    });
  }

  private async load(): Promise<Loaded<T>> {
    let text: string;
    try {
      text = await readFile(this.o.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: this.o.empty() };
      throw new Error(`cannot read ${this.o.what} (${this.o.file}): ${(err as Error).message}`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return { ok: false, why: `it is not valid JSON (${(err as Error).message})` };
    }
    const parsed = this.o.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, why: `it is not what isolab writes there (${issue.path.join('.') || 'the document'}: ${issue.message})` };
    }
    return { ok: true, value: parsed.data };
  }

  private async moveAside(why: string): Promise<MovedAsideError> {
    const movedTo = `${this.o.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.o.file, movedTo);
    return new MovedAsideError(this.o.file, movedTo, why, this.o.what);
  }

  private async locked<R>(work: () => Promise<R>): Promise<R> {
    await mkdir(path.dirname(this.o.file), { recursive: true, mode: 0o700 });
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(this.o.file, {
        realpath: false,
        stale: 10_000,
        retries: { retries: 60, factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true },
        // The default throws from a timer, which would end the process: note it and fail this change instead.
        onCompromised: (err) => (compromised = err),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new Error(`${this.o.what} (${this.o.file}) is being changed by another isolab that holds ${this.o.file}.lock; try again in a moment (if no isolab runs, remove that folder)`, { cause: err });
      }
      throw err;
    }
    try {
      const result = await work();
      if (compromised) throw new Error(`the lock on ${this.o.file} was lost while isolab changed it (${compromised.message}): check the file and try again`);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }
}
