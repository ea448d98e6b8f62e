import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../electron/lab/remote/connect';
import { FILE_CAP, sftpFs, shellQuote } from '../../../electron/lab/remote/sftp-fs';

/** A connection whose server has no SFTP subsystem; its exec runs the command in a local sh, as sshd would run it. */
const noSftp = {
  spec: { user: 'alice', host: 'box', port: 22, jumps: [] },
  sftp: async () => Promise.reject(new Error('no SFTP subsystem')),
  exec: (command: string) =>
    new Promise((resolve) => {
      execFile('sh', ['-c', command], { maxBuffer: 4 * FILE_CAP }, (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0, ms: 0 }));
    }),
} as unknown as SshConnection;

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-sftpfs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sftpFs without an SFTP subsystem: head and ls over exec', () => {
  it('falls back to exec and reads a file whose name holds quotes and spaces, as one word', async () => {
    const fs = await sftpFs(noSftp);
    expect(fs.via).toBe('exec');
    expect(fs.label).toBe('alice@box:22');
    const name = path.join(dir, `it's a "file"; echo no`);
    writeFileSync(name, 'MemAvailable: 42 kB\n');
    expect(await fs.readFile(name)).toBe('MemAvailable: 42 kB\n');
    expect((await fs.readdir(dir)).sort()).toEqual([path.basename(name)]);
  });

  it('maps a missing file to ENOENT and refuses a file past the cap', async () => {
    const fs = await sftpFs(noSftp);
    await expect(fs.readFile(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.readdir(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(path.join(dir, 'big'), 'x'.repeat(FILE_CAP + 10));
    await expect(fs.readFile(path.join(dir, 'big'))).rejects.toMatchObject({ code: 'EFBIG' });
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });
});
