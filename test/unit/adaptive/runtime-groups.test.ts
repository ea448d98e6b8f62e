import { describe, expect, it } from 'vitest';
import { EngineRuntimes, engineShim, groupRuntimes, identitiesFromEngine, identityKey, type RuntimeIdentity } from '../../../shared/adaptive/runtime-groups';
import { RuntimeGroup } from '../../../shared/adaptive/schema';

/** `docker info --format '{{json .Runtimes}}'` on this project's Debian 12 machine (Docker 20.10.24). */
const DEBIAN_20_10 = {
  crun: { path: '/usr/bin/crun' },
  'io.containerd.runc.v2': { path: 'runc' },
  'io.containerd.runtime.v1.linux': { path: 'runc' },
  runc: { path: 'runc' },
};
const RUNC = { realPath: '/usr/sbin/runc', dev: '65024', ino: '15884289' };
const CRUN = { realPath: '/usr/bin/crun', dev: '65024', ino: '2170917' };
/** What runtime-identity.ts resolves there. */
const resolved = (): RuntimeIdentity[] =>
  identitiesFromEngine(EngineRuntimes.parse(DEBIAN_20_10)).map((id) => ({ ...id, file: id.path === 'runc' ? RUNC : CRUN }));

describe('runtime groups', () => {
  it('knows which shim the engine starts each runtime under', () => {
    expect(engineShim('runc', { path: 'runc' })).toBe('io.containerd.runc.v2');
    expect(engineShim('io.containerd.runtime.v1.linux', { path: 'runc' })).toBe('io.containerd.runtime.v1.linux');
    expect(engineShim('runsc', { runtimeType: 'io.containerd.runsc.v1' })).toBe('io.containerd.runsc.v1');
  });

  it('measures runc once for runc and io.containerd.runc.v2, and keeps the v1-shim name apart', () => {
    const groups = groupRuntimes(resolved(), { prefer: ['runc'] });
    expect(groups.map((g) => [g.canonical, g.aliases])).toEqual([
      ['crun', []],
      ['runc', ['io.containerd.runc.v2']],
      ['io.containerd.runtime.v1.linux', []],
    ]);
    expect(groups[1]).toMatchObject({ basis: 'file', program: '/usr/sbin/runc', shim: 'io.containerd.runc.v2', args: [] });
    for (const g of groups) expect(() => RuntimeGroup.parse(g)).not.toThrow();
  });

  it('keeps every name once, measured on its own with "each", saying which are identical', () => {
    const groups = groupRuntimes(resolved(), { each: true });
    expect(groups.map((g) => g.canonical).sort()).toEqual(Object.keys(DEBIAN_20_10).sort());
    expect(groups.every((g) => g.aliases.length === 0)).toBe(true);
    expect(groups.find((g) => g.canonical === 'runc')!.identicalTo).toEqual(['io.containerd.runc.v2']);
    expect(groups.find((g) => g.canonical === 'crun')!.identicalTo).toBeUndefined();
  });

  it('groups by path string when no file could be stat-ed (a remote engine), never across the two kinds', () => {
    const remote = groupRuntimes(identitiesFromEngine(EngineRuntimes.parse(DEBIAN_20_10)));
    expect(remote.find((g) => g.canonical === 'runc')).toMatchObject({ basis: 'path', program: 'runc', aliases: ['io.containerd.runc.v2'] });
    const mixed = resolved();
    delete mixed[1].file; // io.containerd.runc.v2 unresolved: not merged with the resolved runc
    expect(groupRuntimes(mixed).find((g) => g.canonical === 'runc')!.aliases).toEqual([]);
  });

  it('keeps apart the same binary with other arguments or shim options, and merges through symlinks and hard links', () => {
    const base: RuntimeIdentity = { name: 'runc', path: 'runc', file: RUNC, args: [], shim: 'io.containerd.runc.v2' };
    const ids: RuntimeIdentity[] = [
      base,
      { ...base, name: 'runc-debug', args: ['--debug'] },
      { ...base, name: 'runc-link', path: '/usr/local/bin/runc' }, // another path, the same dev:ino
      { ...base, name: 'runc-systemd', options: { SystemdCgroup: true } },
      { ...base, name: 'runc-systemd2', options: { SystemdCgroup: true } },
    ];
    const groups = groupRuntimes(ids);
    expect(groups.map((g) => [g.canonical, g.aliases])).toEqual([
      ['runc', ['runc-link']],
      ['runc-debug', []],
      ['runc-systemd', ['runc-systemd2']],
    ]);
    // Option key order does not matter.
    expect(identityKey({ ...base, options: { a: 1, b: { c: 2, d: 3 } } })).toBe(identityKey({ ...base, options: { b: { d: 3, c: 2 }, a: 1 } }));
  });

  it('chooses the canonical name by preference, else the shortest, else alphabetically', () => {
    const base: RuntimeIdentity = { name: 'x', path: 'runc', args: [], shim: 'io.containerd.runc.v2' };
    const names = (ns: string[], prefer?: string[]) => groupRuntimes(ns.map((name) => ({ ...base, name })), { prefer })[0].canonical;
    expect(names(['io.containerd.runc.v2', 'runc'])).toBe('runc');
    expect(names(['io.containerd.runc.v2', 'runc'], ['io.containerd.runc.v2'])).toBe('io.containerd.runc.v2');
    expect(names(['gamma', 'alpha', 'longer'], [])).toBe('alpha');
    expect(names(['gamma', 'alpha', 'rc'], [])).toBe('rc');
  });

  it('reads newer engines\' maps (runtimeArgs, status, shim-only runtimes) and refuses what is not a map', () => {
    const ids = identitiesFromEngine(
      EngineRuntimes.parse({
        runc: { path: 'runc', status: { 'org.opencontainers.runtime-spec.features': '{}' } },
        'runc-dbg': { path: 'runc', runtimeArgs: ['--debug'] },
        nvidia: { path: 'runc', runtimeArgs: null },
        runsc: { runtimeType: 'io.containerd.runsc.v1', options: { TypeUrl: 'x' } },
      }),
    );
    expect(ids.find((i) => i.name === 'runsc')).toMatchObject({ shim: 'io.containerd.runsc.v1', path: undefined, options: { TypeUrl: 'x' } });
    expect(ids.find((i) => i.name === 'nvidia')!.args).toEqual([]);
    const g = groupRuntimes(ids);
    expect(g.find((x) => x.canonical === 'runsc')).toMatchObject({ basis: 'type' });
    expect(g.find((x) => x.canonical === 'runc')!.aliases).toEqual(['nvidia']);
    expect(EngineRuntimes.safeParse({ runc: 'runc' }).success).toBe(false);
  });
});
