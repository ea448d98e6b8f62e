import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cpioNewc, initramfsImage, withParents } from '../../../electron/lab/vm/cpio';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-cpio-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hasCpio = (() => {
  try {
    execFileSync('cpio', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('cpioNewc', () => {
  const entries = withParents([
    { type: 'file', path: 'init', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
    { type: 'file', path: 'etc/dropbear/host_key', data: Buffer.from([1, 2, 3]), mode: 0o600 },
    { type: 'symlink', path: 'bin/sh', target: 'busybox' },
    { type: 'file', path: 'odd/len', data: Buffer.from('12345') },
  ]);

  it('adds each parent directory once, before its children', () => {
    expect(entries.map((e) => `${e.type}:${e.path}`)).toEqual([
      'file:init',
      'dir:etc',
      'dir:etc/dropbear',
      'file:etc/dropbear/host_key',
      'dir:bin',
      'symlink:bin/sh',
      'dir:odd',
      'file:odd/len',
    ]);
  });

  it('writes newc headers, 4-byte alignment and the trailer', () => {
    const buf = cpioNewc(entries);
    expect(buf.toString('ascii', 0, 6)).toBe('070701');
    expect(buf.length % 4).toBe(0);
    expect(buf.includes(Buffer.from('TRAILER!!!\0'))).toBe(true);
    // Same inputs, same bytes: the kit's cache key can rely on it.
    expect(cpioNewc(entries).equals(buf)).toBe(true);
  });

  it('is read back by GNU cpio with contents, modes and links intact', () => {
    expect(hasCpio, 'GNU cpio is needed to read the archive back: apt-get install cpio').toBe(true);
    const archive = path.join(tmp, 'a.cpio');
    writeFileSync(archive, gunzipSync(initramfsImage(entries)));
    const out = path.join(tmp, 'out');
    execFileSync('sh', ['-c', `mkdir -p "${out}" && cd "${out}" && cpio -idm --quiet < "${archive}"`]);
    expect(readFileSync(path.join(out, 'init'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect(statSync(path.join(out, 'init')).mode & 0o777).toBe(0o755);
    expect([...readFileSync(path.join(out, 'etc/dropbear/host_key'))]).toEqual([1, 2, 3]);
    expect(statSync(path.join(out, 'etc/dropbear/host_key')).mode & 0o777).toBe(0o600);
    expect(readlinkSync(path.join(out, 'bin/sh'))).toBe('busybox');
    expect(readFileSync(path.join(out, 'odd/len'), 'utf8')).toBe('12345');
    const listing = execFileSync('sh', ['-c', `cpio -it --quiet < "${archive}"`], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(entries.map((e) => e.path));
  });

  it('refuses an empty path', () => {
    expect(() => cpioNewc([{ type: 'dir', path: '/' }])).toThrow(/bad cpio path/);
  });
});
