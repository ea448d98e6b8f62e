import { chmod, copyFile, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateProgram, resolveRuntimeIdentities } from '../../../electron/lab/adaptive/runtime-identity';
import { groupRuntimes } from '../../../shared/adaptive/runtime-groups';

/** Real files in a temp dir: a runtime, a symlink and a hard link to it, a copy, a non-executable file. */
describe('runtime identity (file system)', () => {
  let dir: string;
  let bin: string;
  let other: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isolab-runtime-identity-'));
    bin = join(dir, 'bin');
    other = join(dir, 'other');
    await mkdir(bin);
    await mkdir(other);
    await writeFile(join(bin, 'myrunc'), '#!/bin/sh\nexit 0\n');
    await chmod(join(bin, 'myrunc'), 0o755);
    await symlink(join(bin, 'myrunc'), join(other, 'runc-link'));
    await link(join(bin, 'myrunc'), join(other, 'runc-hard'));
    await copyFile(join(bin, 'myrunc'), join(other, 'runc-copy'));
    await chmod(join(other, 'runc-copy'), 0o755);
    await writeFile(join(other, 'not-exec'), 'x');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('looks a bare name up on the search path, first executable wins, and takes a slashed path as it is', async () => {
    const searchPath = [join(dir, 'missing'), 'relative/dir', other, bin].join(':');
    expect(await locateProgram('myrunc', searchPath)).toBe(join(bin, 'myrunc'));
    expect(await locateProgram('not-exec', searchPath)).toBeUndefined();
    expect(await locateProgram(join(other, 'runc-copy'), '')).toBe(join(other, 'runc-copy'));
    expect(await locateProgram(join(other, 'nope'), '')).toBeUndefined();
  });

  it('gives symlinks and hard links one identity, a copy another, and says why a runtime is unresolved', async () => {
    const ids = await resolveRuntimeIdentities(
      {
        mine: { path: 'myrunc' },
        link: { path: join(other, 'runc-link') },
        hard: { path: join(other, 'runc-hard') },
        copy: { path: join(other, 'runc-copy') },
        gone: { path: 'no-such-runtime' },
        shimonly: { runtimeType: 'io.containerd.runsc.v1' },
      },
      { searchPath: bin },
    );
    const by = Object.fromEntries(ids.map((i) => [i.name, i]));
    expect(by.mine.file!.realPath).toBe(join(bin, 'myrunc'));
    expect(by.link.file).toEqual(by.mine.file);
    expect(by.hard.file!.ino).toBe(by.mine.file!.ino);
    expect(by.copy.file!.ino).not.toBe(by.mine.file!.ino);
    expect(by.gone).toMatchObject({ unresolved: 'no-such-runtime is not on PATH' });
    expect(by.gone.file).toBeUndefined();
    expect(by.shimonly.file).toBeUndefined();
    const groups = groupRuntimes(ids, { prefer: ['mine'] });
    // A hard link is the same inode under another name: the same program.
    expect(groups.find((g) => g.canonical === 'mine')!.aliases).toEqual(['hard', 'link']);
    expect(groups.map((g) => g.canonical)).toEqual(expect.arrayContaining(['copy', 'gone', 'shimonly']));
  });
});
