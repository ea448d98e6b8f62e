import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ociRunc } from '../../electron/lab/models/oci';
import { findStaticBusybox } from '../../electron/lab/images/busybox';
import { LocalOciTarget } from '../../electron/lab/targets/oci-local';
import { resolveWorkload } from '../../shared/plan';
import type { ModelEntry } from '../../electron/lab/models/types';

/**
 * oci:runc here through the timing shell, against a fake `runc` first on PATH (a shell script that logs its
 * command lines, sleeps 50 ms in `run`, and fails when the config's args say so): the start script, its parser and
 * the cleanup run for real, with no container. Needs root (raw runtimes here do) and a static busybox (the rootfs).
 */
const bin = mkdtempSync(path.join(os.tmpdir(), 'isolab-fake-oci-'));
const root = mkdtempSync(path.join(os.tmpdir(), 'isolab-oci-local-'));
const log = path.join(bin, 'calls.log');
const savedPath = process.env.PATH;
const FAKE = `#!/bin/sh
echo "$*" >> '${log}'
case "$1" in
  --version) echo "runc version 9.9.9-fake"; exit 0;;
  delete) exit 0;;
  run) b=""; pf=""; while [ $# -gt 0 ]; do case "$1" in --bundle) b="$2"; shift;; --pid-file) pf="$2"; shift;; esac; shift; done
    [ -f "$b/config.json" ] || { echo "no config in $b" >&2; exit 2; }
    grep -q '"fail-me"' "$b/config.json" && { echo "container_linux.go: boom" >&2; exit 3; }
    sleep 0.05; [ -n "$pf" ] && echo $$ > "$pf"; exit 0;;
esac
exit 1
`;
let can = false;

beforeAll(async () => {
  can = process.getuid?.() === 0 && !!(await findStaticBusybox()).path;
  writeFileSync(path.join(bin, 'runc'), FAKE);
  chmodSync(path.join(bin, 'runc'), 0o755);
  process.env.PATH = `${bin}:${savedPath}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(bin, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

const signal = new AbortController().signal;
const ctx = { iteration: 0, warmup: false, signal, onPhase: () => {} };
const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

async function entry(): Promise<ModelEntry> {
  const [e] = await ociRunc.discover({ root, docker: () => Promise.reject(new Error('no engine')) });
  expect(e.unavailable).toBeUndefined();
  return e;
}

describe("oci:runc on this machine: the remote host's start script in a local timing shell", () => {
  it('times each start inside the shell (the runtime run in it, then delete and the bundle removed), clock local-shell, its note', async () => {
    if (!can) return;
    const e = await entry();
    for (const kind of ['true', 'sleep'] as const) {
      const t = e.target!(`r-${kind}`, resolveWorkload({ kind, timeoutMs: 30_000 }), 1);
      expect(t).toBeInstanceOf(LocalOciTarget);
      await t.prepare(signal);
      const dir = (t as LocalOciTarget).dir!;
      expect(readFileSync(path.join(dir, 'isolab-owner.json'), 'utf8')).toContain(`"isolab.owner-pid":${process.pid}`);
      expect(t.phases).toEqual(['create', 'ready', 'delete']);
      const m = await t.iterate(ctx);
      // The fake runtime's 50 ms run is inside ready, and in order create <= ready <= delete.
      expect(m.ready, kind).toBeGreaterThanOrEqual(45);
      expect(m.create, kind).toBeLessThanOrEqual(m.ready);
      expect(m.delete, kind).toBeGreaterThanOrEqual(m.ready);
      const run = calls().filter((c) => c.startsWith('run '));
      expect(run.at(-1)).toMatch(kind === 'sleep' ? /^run --detach --pid-file \S+\/pid --bundle / : /^run --bundle /);
      const id = run.at(-1)!.split(' ').at(-1)!;
      expect(calls()).toContain(`delete --force ${id}`);
      // The start's own bundle went with it; the rootfs stays for the next start.
      expect(readdirSync(dir).sort()).toEqual(['isolab-owner.json', 'rootfs']);
      expect(e.clock!(resolveWorkload({ kind, timeoutMs: 30_000 }))).toMatchObject({ clock: 'local-shell', sshAllowanceMs: 0 });
      expect(t.notes!().map((n) => n.code)).toEqual(['oci-local-shell-clock']);
      expect(await t.environment()).toEqual({ ociRuntime: { name: 'runc', version: 'runc version 9.9.9-fake' } });
      await t.dispose();
      expect(existsSync(dir)).toBe(false);
    }
  });

  it("a runtime that fails is an error with its message, and its container is still deleted", async () => {
    if (!can) return;
    const t = (await entry()).target!('r-fail', resolveWorkload({ kind: 'custom', command: ['fail-me'], readiness: { kind: 'exit' }, timeoutMs: 30_000 }), 1);
    await t.prepare(signal);
    await expect(t.iterate(ctx)).rejects.toThrow(/runc run failed \(3\): container_linux.go: boom/);
    const id = calls().filter((c) => c.startsWith('run ')).at(-1)!.split(' ').at(-1)!;
    expect(calls()).toContain(`delete --force ${id}`);
    await t.dispose();
  });

  it("keeps the driver's spawn where the shell cannot see ready (a log line, TCP, k at a time), and says so", async () => {
    if (!can) return;
    const e = await entry();
    const log = e.target!('r-log', resolveWorkload({ kind: 'ready-line', timeoutMs: 30_000 }), 1);
    expect(log).not.toBeInstanceOf(LocalOciTarget);
    expect(e.clock!(resolveWorkload({ kind: 'ready-line', timeoutMs: 30_000 }))).toBeUndefined();
    expect(log.notes!()).toContainEqual(expect.objectContaining({ code: 'oci-spawn-clock', params: { model: 'oci:runc', readiness: 'log', concurrency: 1 } }));
    expect(e.target!('r-tcp', resolveWorkload({ kind: 'server', timeoutMs: 30_000 }), 1)).not.toBeInstanceOf(LocalOciTarget);
    const k = e.target!('r-k', resolveWorkload({ kind: 'true', timeoutMs: 30_000 }), 3);
    expect(k).not.toBeInstanceOf(LocalOciTarget);
    expect(k.notes!().map((n) => n.code)).toEqual(['concurrent-instances', 'oci-spawn-clock']);
  });
});
