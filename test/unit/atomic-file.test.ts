import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { tempWriterPid, writeFileAtomic } from '../../electron/lab/atomic-file';

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** FileHandle is not exported: take its prototype from a handle. */
async function handlePrototype() {
  const h = await open(path.join(dir, 'probe'), 'w');
  await h.close();
  return Object.getPrototypeOf(h) as { write(...a: unknown[]): Promise<{ bytesWritten: number }> };
}

const doc = JSON.stringify({ samples: Array.from({ length: 200 }, (_, i) => ({ i, ms: i * 1.5 })) });

describe('writeFileAtomic', () => {
  it('writes every byte when the system takes fewer than asked (a filling disk)', async () => {
    const proto = await handlePrototype();
    const real = proto.write;
    // Each write() accepts at most 7 bytes, as write(2) may: one call and a rename would leave 7 bytes.
    vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, buf: unknown, offset: unknown, length: unknown) {
      return real.call(this, buf, offset, Math.min(Number(length), 7));
    });
    const file = path.join(dir, 'short.json');
    await writeFileAtomic(file, doc);
    expect(readFileSync(file, 'utf8')).toBe(doc);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the last good file whole when the disk fills mid-write, and leaves no temp file', async () => {
    const file = path.join(dir, 'kept.json');
    writeFileSync(file, '{"good": true}\n');
    const proto = await handlePrototype();
    const real = proto.write;
    let calls = 0;
    vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, buf: unknown, offset: unknown, length: unknown) {
      if (++calls > 1) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return real.call(this, buf, offset, Math.min(Number(length), 100));
    });
    await expect(writeFileAtomic(file, doc)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readFileSync(file, 'utf8')).toBe('{"good": true}\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('creates with the mode asked for, and names temp files after their writer', async () => {
    const file = path.join(dir, 'secret.json');
    await writeFileAtomic(file, '{}', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(tempWriterPid(`.x.json.${process.pid}.0a1b2c3d.tmp`)).toBe(process.pid);
    expect(tempWriterPid('x.json')).toBeUndefined();
  });
});
