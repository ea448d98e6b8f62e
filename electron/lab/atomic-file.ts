import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Temp files sit beside their target and end in this, so lists skip them and a sweep can find them. */
export const TEMP_SUFFIX = '.tmp';

/** `.<name>.<pid>.<random>.tmp`: the pid tells a sweep whether the writer may still be at work. */
function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/** The writer's pid of a temp file name made by tempNameFor, or undefined for any other name. */
export function tempWriterPid(name: string): number | undefined {
  const m = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * Writes a whole file or nothing: the data goes to a temp file beside the target, every byte of it (a write
 * may take fewer bytes than asked, e.g. on a filling disk: the loop goes on until the disk says ENOSPC), is
 * flushed, checked for size, and only then renamed over the target. On any failure the temp file is removed
 * and the target keeps its previous content.
 *
 * (write-file-atomic issues one write() and ignores a short count, so on a full disk it renamed a truncated
 * file over the last good one.)
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempNameFor(file);
  const handle = await open(tmp, 'wx', options.mode ?? 0o666);
  try {
    try {
      let offset = 0;
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
        if (bytesWritten <= 0) throw Object.assign(new Error(`no space left writing ${tmp}`), { code: 'ENOSPC' });
        offset += bytesWritten;
      }
      await handle.sync();
      const { size } = await handle.stat();
      if (size !== bytes.byteLength) throw Object.assign(new Error(`${tmp} holds ${size} of ${bytes.byteLength} bytes after writing`), { code: 'EIO' });
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}
