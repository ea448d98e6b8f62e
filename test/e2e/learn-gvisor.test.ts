import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureProbeImage } from '../../electron/lab/images/probe';
import { startPrivateDockerd, type PrivateDockerd } from '../fixtures/private-dockerd';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * Learn's live facts asked of a gVisor sandbox: the probe runtime picked on the page, the kernel and kernel log the
 * sandbox reports, and the verdict that says why they differ from the host's. The engine is a private dockerd with
 * runsc registered as .ci/run registers it (the shared engine is never reconfigured by a test).
 */
let engine: PrivateDockerd;
let bm: BrowserMode;
const hostBefore = process.env.DOCKER_HOST;

beforeAll(async () => {
  engine = await startPrivateDockerd({ config: { runtimes: { runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=none'] } } } });
  await ensureProbeImage(engine.docker);
  process.env.DOCKER_HOST = engine.host;
  bm = await startBrowserMode();
}, 300_000);

afterAll(async () => {
  await bm?.close();
  if (hostBefore === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = hostBefore;
  await engine?.destroy();
}, 120_000);

describe('live facts under gVisor', () => {
  it("shows the sandbox's own kernel and kernel log, and says why they are not the host's", async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/learn`);
    await page.getByTestId('facts-runtime').selectOption('runsc');
    await page.getByTestId('read-facts').click();
    const table = page.getByTestId('facts-table');
    await table.waitFor({ timeout: 90_000 });
    const host = await table.locator('[data-kernel="host"]').textContent();
    const sandbox = await table.locator('[data-kernel="container"]').textContent();
    expect(sandbox).toMatch(/^\d+\.\d+/);
    expect(sandbox).not.toBe(host);
    expect(await table.locator('[data-dmesg="container"]').textContent()).toMatch(/Starting gVisor/);
    await expect.poll(() => page.locator('[data-verdict="userKernel"]').textContent()).toMatch(new RegExp(`kernel ${sandbox!.replace(/\./g, '\\.')}: that is gVisor's kernel in user space \\(runsc\\)`));
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#learn-facts').screenshot({ path: path.join(OUT, 'learn-facts-gvisor-en.png') });
    expect(errors).toEqual([]);
  });
});
