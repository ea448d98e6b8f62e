import { readdir, readFile } from 'node:fs/promises';

/**
 * Where the footprint readers read /proc and the cgroup tree: this machine's filesystem, or another host's
 * over SSH (electron/lab/remote/sftp-fs.ts). Readers get one and never touch node:fs themselves, so the same
 * code measures a local or a remote host.
 *
 * A failed read rejects with an Error whose `code` is a Node-style errno name: ENOENT (the file or process is
 * gone), EACCES (it needs root there), else whatever the transport says. Readers treat ENOENT as "not
 * measurable", EACCES as "needs root" (see `readFailure`).
 */
export interface HostFs {
  /** The whole file as UTF-8. /proc files report size 0: implementations read to EOF. */
  readFile(path: string): Promise<string>;
  /** Entry names of a directory (no '.' or '..'). */
  readdir(path: string): Promise<string[]>;
  /** The host it reads, for notes: "local", or the SSH target. */
  readonly label: string;
}

export const localFs: HostFs = {
  label: 'local',
  readFile: (p) => readFile(p, 'utf8'),
  readdir: (p) => readdir(p),
};

/** True when fs reads this machine, where isolab's own process (process.cpuUsage, /proc/self) is part of what is measured. */
export function isLocal(fs: HostFs): boolean {
  return fs === localFs;
}

export type ReadFailure = 'missing' | 'denied' | 'other';

/** How a read failed: gone (ENOENT, ESRCH), refused (EACCES, EPERM: root needed on that host) or anything else. */
export function readFailure(err: unknown): ReadFailure {
  const code = (err as { code?: unknown })?.code;
  if (code === 'ENOENT' || code === 'ESRCH') return 'missing';
  if (code === 'EACCES' || code === 'EPERM') return 'denied';
  return 'other';
}

/** An Error carrying an errno-like code, as node:fs rejects. */
export function fsError(code: string, path: string, detail?: string): Error & { code: string; path: string } {
  return Object.assign(new Error(`${code}: ${detail ?? code}, ${path}`), { code, path });
}

/** A file's text, or how reading it failed. */
export async function tryRead(fs: HostFs, path: string): Promise<{ text: string } | { failure: ReadFailure }> {
  try {
    return { text: await fs.readFile(path) };
  } catch (err) {
    return { failure: readFailure(err) };
  }
}

/** An in-memory host (files and their text; a value that is an Error is thrown on read): for tests and fixtures. */
export function memoryFs(files: Record<string, string | Error>, label = 'memory'): HostFs {
  const get = (p: string) => {
    const v = files[p];
    if (v === undefined) throw fsError('ENOENT', p, 'no such file or directory');
    if (v instanceof Error) throw v;
    return v;
  };
  return {
    label,
    readFile: async (p) => get(p),
    readdir: async (dir) => {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      const names = new Set<string>();
      for (const p of Object.keys(files)) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
      if (!names.size) throw fsError('ENOENT', dir, 'no such file or directory');
      return [...names];
    },
  };
}
