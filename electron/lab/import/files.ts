import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { IMPORT_LIMITS, type ImportOutcome } from '../../../shared/import';
import type { ImportSource } from './import';

/**
 * The CLI's sources: each FILE as given, and the .json and .zip files of each DIR (not its subfolders; its
 * other files are reported, not read). A file over the size limit is refused without being read into memory.
 */
export async function readImportPaths(paths: string[]): Promise<{ sources: ImportSource[]; refused: ImportOutcome[] }> {
  const sources: ImportSource[] = [];
  const refused: ImportOutcome[] = [];
  for (const p of paths) {
    const st = await stat(p).catch((err: NodeJS.ErrnoException) => err);
    if (st instanceof Error) {
      refused.push({ file: p, code: 'unreadable', detail: st.code === 'ENOENT' ? 'no such file or folder' : st.message });
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(p, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name).sort();
      for (const name of names) {
        const file = path.join(p, name);
        if (/\.(json|zip)$/i.test(name)) await readOne(file, sources, refused);
        else refused.push({ file, code: 'unsupported-file', detail: 'only .json and .zip files are imported from a folder' });
      }
      if (names.length === 0) refused.push({ file: p, code: 'empty', detail: 'the folder holds no file' });
    } else await readOne(p, sources, refused);
  }
  return { sources, refused };
}

async function readOne(file: string, sources: ImportSource[], refused: ImportOutcome[]): Promise<void> {
  try {
    const fh = await open(file, 'r');
    try {
      const { size, isFile } = await fh.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
      if (!isFile) return void refused.push({ file, code: 'unreadable', detail: 'not a regular file' });
      if (size > IMPORT_LIMITS.fileBytes) return void refused.push({ file, code: 'too-large', detail: `${size} bytes (at most ${IMPORT_LIMITS.fileBytes})` });
      // Read at most the limit plus one byte: a file that grows while read is still bounded.
      const buf = Buffer.alloc(Math.min(size, IMPORT_LIMITS.fileBytes) + 1);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      if (bytesRead > IMPORT_LIMITS.fileBytes) return void refused.push({ file, code: 'too-large', detail: `more than ${IMPORT_LIMITS.fileBytes} bytes` });
      sources.push({ file, bytes: buf.subarray(0, bytesRead) });
    } finally {
      await fh.close();
    }
  } catch (err) {
    refused.push({ file, code: 'unreadable', detail: (err as Error).message });
  }
}
