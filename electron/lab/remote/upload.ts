import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { shellQuote } from '../shell-timing';
import type { SshConnection } from './connect';

/** Writes a local file to the remote host through `cat` on an exec channel (works with or without an SFTP subsystem). */
export async function uploadFile(conn: Pick<SshConnection, 'channel'>, file: string, to: string): Promise<void> {
  const data = await readFile(file);
  const ch = await conn.channel(`cat > ${shellQuote(to)}`);
  await new Promise<void>((resolve, reject) => {
    let code: number | null = null;
    let stderr = '';
    ch.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    ch.on('exit', (c: number | null) => (code = c));
    ch.on('error', reject);
    ch.resume(); // nothing comes back, but the channel closes only once its (empty) output is read

    ch.on('close', () => (code === 0 ? resolve() : reject(new Error(`could not upload ${path.basename(file)} to ${to} on the remote host: ${stderr.trim().slice(0, 200) || `exit ${code}`}`))));
    ch.end(data);
  });
}
