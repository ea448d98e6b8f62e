import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostLocks } from '../../../electron/lab/remote/host-lock';
import { CancelledError } from '../../../electron/lab/targets/target';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'isolab-hostlock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const never = () => new AbortController().signal;
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('one comparison at a time per host', () => {
  it('makes a second comparison on the same machine wait until the first releases it, and says it waits', async () => {
    const locks = new HostLocks(tempDir());
    const order: string[] = [];
    const release1 = await locks.acquire('machine-a', { signal: never() });
    let waited = false;
    const second = locks.acquire('machine-a', { signal: never(), onWait: () => (waited = true) }).then((r) => (order.push('second'), r));
    await tick();
    expect(order).toEqual([]);
    expect(waited).toBe(true);
    order.push('first released');
    await release1();
    await (await second)();
    expect(order).toEqual(['first released', 'second']);
  });

  it('lets two machines run at once', async () => {
    const locks = new HostLocks(tempDir());
    const a = await locks.acquire('machine-a', { signal: never() });
    const b = await locks.acquire('machine-b', { signal: never() });
    await Promise.all([a(), b()]);
  });

  it('holds across isolab processes (two lock sets on one data dir), and a cancelled waiter gives its turn up', async () => {
    const dir = tempDir();
    const app = new HostLocks(dir);
    const cli = new HostLocks(dir);
    const held = await app.acquire('machine-a', { signal: never() });
    const ctl = new AbortController();
    const waiting = cli.acquire('machine-a', { signal: ctl.signal, pollMs: 20 });
    await tick(60);
    ctl.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    let got = false;
    const next = cli.acquire('machine-a', { signal: never(), pollMs: 20 }).then((r) => ((got = true), r));
    await tick(60);
    expect(got).toBe(false);
    await held();
    await (await next)();
    expect(got).toBe(true);
  });
});
