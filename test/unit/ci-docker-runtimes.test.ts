import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFileOf, listsWanted, mergeRuntimes, register, WANTED } from '../../.ci/docker-runtimes.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-ci-runtimes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.ci/run registering runsc in daemon.json', () => {
  it('adds runsc with --network=none and keeps every other key and runtime', () => {
    const merged = mergeRuntimes({ 'log-level': 'warn', runtimes: { crun: { path: '/usr/bin/crun' } } }, WANTED);
    expect(merged).toEqual({ 'log-level': 'warn', runtimes: { crun: { path: '/usr/bin/crun' }, runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=none'] } } });
  });

  it("carries the runtimes a running daemon got from flags (a reload takes the file's instead), not the built-in ones", () => {
    const listed = { crun: { path: '/usr/bin/crun' }, runc: { path: 'runc' }, 'io.containerd.runc.v2': { path: 'runc' }, 'io.containerd.runtime.v1.linux': { path: 'runc' } };
    expect(Object.keys(mergeRuntimes({}, WANTED, listed).runtimes).sort()).toEqual(['crun', 'runsc']);
  });

  it('knows when the daemon lists runsc as wanted, and when a plain registration is not enough', () => {
    expect(listsWanted({ runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=none'] } }, WANTED)).toBe(true);
    expect(listsWanted({ runsc: { path: '/usr/bin/runsc' } }, WANTED)).toBe(false);
    expect(listsWanted({ runc: { path: 'runc' } }, WANTED)).toBe(false);
  });

  it("finds the running daemon's config file on its command line", () => {
    expect(configFileOf(['dockerd', '--bridge=none'])).toBe('/etc/docker/daemon.json');
    expect(configFileOf(['dockerd', '--config-file', '/x/d.json'])).toBe('/x/d.json');
    expect(configFileOf(['dockerd', '--config-file=/y/d.json'])).toBe('/y/d.json');
  });

  it('writes once (idempotent), keeps the mode, and never overwrites a broken file', () => {
    const file = path.join(dir, 'daemon.json');
    expect(register(file, WANTED)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ runtimes: WANTED });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(register(file, WANTED)).toBe(false);

    writeFileSync(file, '{"debug": true,', { mode: 0o600 });
    expect(() => register(file, WANTED)).toThrow(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).toBe('{"debug": true,');
  });
});
