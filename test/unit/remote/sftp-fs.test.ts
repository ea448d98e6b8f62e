import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../../electron/lab/remote/connect';
import { FILE_CAP, sftpFs, shellQuote } from '../../../electron/lab/remote/sftp-fs';

/** A connection whose server has no SFTP subsystem; its channel runs the command in a local sh, as sshd would run it. */
const shells: ChildProcess[] = [];
const noSftp = {
  spec: { user: 'alice', host: 'box', port: 22, jumps: [] },
  sftp: async () => Promise.reject(new Error('no SFTP subsystem')),
  channel: async (command: string) => {
    const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    shells.push(child);
    const ch = Object.assign(new EventEmitter(), {
      stderr: child.stderr,
      write: (s: string) => child.stdin.write(s),
      end: () => child.stdin.end(),
    });
    // A write after the shell died fails with EPIPE; an SSH channel reports it as its own 'error'.
    child.stdin.on('error', (e) => ch.emit('error', e));
    child.stdout.on('data', (d: Buffer) => ch.emit('data', d));
    child.on('close', () => ch.emit('close'));
    return ch;
  },
} as unknown as SshConnection;

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-sftpfs-'));
afterAll(() => {
  for (const c of shells) c.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('sftpFs without an SFTP subsystem: one reader shell over exec', () => {
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
    await expect(fs.readFile(`${dir}/a\nb`)).rejects.toMatchObject({ code: 'EINVAL' });
  });

  it('answers many requests in flight in order, from one shell', async () => {
    const before = shells.length;
    const fs = await sftpFs(noSftp);
    for (let i = 0; i < 50; i++) writeFileSync(path.join(dir, `f${i}`), `${i}\0x\n`);
    const texts = await Promise.all(Array.from({ length: 50 }, (_, i) => fs.readFile(path.join(dir, `f${i}`))));
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\0x\n`));
    expect(shells.length - before).toBe(1);
    fs.close();
  });

  it('rejects what is waiting when the shell ends', async () => {
    const fs = await sftpFs(noSftp);
    await fs.readFile(path.join(dir, 'f1'));
    shells.at(-1)!.kill();
    await expect(fs.readFile(path.join(dir, 'f1'))).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote(`a'b`)).toBe(`'a'\\''b'`);
  });
});
