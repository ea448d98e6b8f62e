import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { identitiesFromEngine, type EngineRuntimes, type RuntimeIdentity } from '../../../shared/adaptive/runtime-groups';

/**
 * The engine-side half of runtime grouping: which file each runtime of a LOCAL engine runs. A path with a
 * slash is taken as it is; a bare name is looked up on `searchPath` the way the daemon does ($PATH, first
 * executable). The file's real path, device and inode are its identity, so symlinks and hard links to one
 * runc count as one program and two copies do not. A remote engine's files are not ours to stat: call
 * identitiesFromEngine() alone there, which groups by the path string.
 */

export interface ResolveOptions {
  /** The daemon's PATH (read from its /proc/PID/environ when the caller can); this process's otherwise. */
  searchPath?: string;
}

async function isExecutableFile(p: string): Promise<boolean> {
  try {
    const s = await stat(p);
    if (!s.isFile()) return false;
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `path` leads: itself when it has a slash, else the first executable of that name on the search path. */
export async function locateProgram(path: string, searchPath: string): Promise<string | undefined> {
  if (path.includes('/')) return (await isExecutableFile(path)) ? path : undefined;
  for (const dir of searchPath.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue; // a relative PATH entry means the daemon's cwd: not ours to guess
    const candidate = join(dir, path);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export async function resolveRuntimeIdentities(runtimes: EngineRuntimes, o: ResolveOptions = {}): Promise<RuntimeIdentity[]> {
  const searchPath = o.searchPath ?? process.env.PATH ?? '';
  return Promise.all(
    identitiesFromEngine(runtimes).map(async (id): Promise<RuntimeIdentity> => {
      if (!id.path) return id;
      const found = await locateProgram(id.path, searchPath);
      if (!found) return { ...id, unresolved: id.path.includes('/') ? `${id.path} is not an executable file here` : `${id.path} is not on PATH` };
      try {
        const real = await realpath(found);
        const s = await stat(real, { bigint: true });
        return { ...id, file: { realPath: real, dev: s.dev.toString(), ino: s.ino.toString() } };
      } catch (err) {
        return { ...id, unresolved: `${found}: ${(err as Error).message}` };
      }
    }),
  );
}
