import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtComparison } from '../helpers/machine-docs';
import { axeViolations, OUT, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * Machines as a dimension (issue 15 §3, §6) in Chromium through browser mode: two built comparisons from two
 * machine ids (the measurement paths are tested elsewhere; these test what the pages draw from documents), the
 * Compare page's Machines view putting them side by side, and the simulator taking a machine's figures.
 */
let bm: BrowserMode;
const A = 'a1'.repeat(16);
const B = 'b2'.repeat(16);
const MiB = 2 ** 20;

beforeAll(async () => {
  bm = await startBrowserMode();
  await bm.lab.comparisons.save(
    builtComparison({
      id: '20261101T090000000Z-compare-laptop',
      startedAt: '2026-11-01T09:00:00.000Z',
      machineId: A,
      hostname: 'laptop',
      budgetMs: 90_000,
      models: [
        { model: 'process', readyMs: 2, ratio: [1, 1, 1], hostBytes: 1 * MiB },
        { model: 'container:runc', readyMs: 9.4, ratio: [4.7, 4.2, 5.3], hostBytes: 6 * MiB, latencySlopeMs: 3 },
        { model: 'vm:qemu', readyMs: 1700, ratio: [850, 800, 910], hostBytes: 210 * MiB },
      ],
    }),
  );
  await bm.lab.comparisons.save(
    builtComparison({
      id: '20261102T090000000Z-compare-azure',
      startedAt: '2026-11-02T09:00:00.000Z',
      machineId: B,
      hostname: 'vm-b',
      cpus: 4,
      budgetMs: 30_000,
      remote: { target: 'lab-b', azure: { vmSize: 'Standard_D4s_v5', location: 'westeurope' } },
      models: [
        { model: 'process', readyMs: 1.2, ratio: [1, 1, 1], hostBytes: 1 * MiB },
        { model: 'container:runc', readyMs: 14.4, ratio: [12, 11, 13.1], hostBytes: 9 * MiB },
        { model: 'vm:qemu', readyMs: 600, ratio: [500, 470, 530], hostBytes: 420 * MiB },
      ],
    }),
  );
}, 120_000);
afterAll(async () => {
  await bm?.close();
});

describe('machines side by side', () => {
  it('puts both machines side by side with their own ratios, labels and plan differences', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/compare`);
    await page.getByTestId('compare-tab-machines').click();
    const table = page.getByTestId('machines-table');
    await table.waitFor();
    // Both machines, newest first, each labelled by what it is and where it came from.
    const heads = table.locator('thead th[data-machine]');
    await expect.poll(() => heads.count()).toBe(2);
    expect(await heads.nth(0).getAttribute('data-machine')).toBe(B);
    expect(await heads.nth(0).textContent()).toMatch(/lab-b.*Azure Standard_D4s_v5, westeurope.*remote host lab-b/);
    expect(await heads.nth(1).textContent()).toMatch(/laptop.*2 CPU/);
    // Each ratio is that machine's against its own floor.
    const runc = table.locator('tr[data-model="container:runc"] td');
    expect(await runc.nth(0).getAttribute('data-ratio')).toBe('12');
    expect(await runc.nth(1).getAttribute('data-ratio')).toBe('4.7');
    expect(await runc.nth(0).textContent()).toMatch(/12×.*11×–13×.*9\.00 MiB per instance \(host-side\)/);
    expect(await runc.nth(1).textContent()).toMatch(/3\.00 ms per running instance/);
    // The budgets differ: said, with both values.
    expect(await page.getByTestId('plan-differences').locator('li[data-code="budget"]').textContent()).toMatch(/laptop.*1:30|laptop.*90/);
    // Ratios: runc and the VM on each machine (the floor is 1× everywhere); memory: every model on each.
    await expect.poll(() => page.getByTestId('machines-chart-ratio').locator('.recharts-bar-rectangle').count()).toBe(4);
    await expect.poll(() => page.getByTestId('machines-chart-memory').locator('.recharts-bar-rectangle').count()).toBe(6);
    await page.screenshot({ path: path.join(OUT, 'machines.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('feeds the simulator a machine’s measured figures when the user picks it, and shows where they came from', async () => {
    const { page, errors } = await bm.open(`${bm.served.url}#/simulate`);
    const overheads = page.locator('tr[data-row="overheads"]');
    await overheads.waitFor();
    const before = await overheads.textContent();
    const sources = page.locator('.sim-sources');
    // No machine: the VM's guest memory is isolab's stated assumption.
    expect(await sources.textContent()).not.toMatch(/comparison 2026/);
    await expect.poll(() => page.getByTestId('sim-machine-pick').locator('option').count()).toBe(3);
    const azure = await page.getByTestId('sim-machine-pick').locator('option', { hasText: 'Standard_D4s_v5' }).getAttribute('value');
    await page.getByTestId('sim-machine-pick').selectOption(azure!);
    const source = page.getByTestId('sim-machine-source');
    await expect.poll(() => source.textContent()).toMatch(/lab-b.*20261102T090000000Z-compare-azure/);
    expect(await source.locator('[data-figure="memory-vm"]').textContent()).toMatch(/vm:qemu, 420 MiB per instance/);
    // The inputs changed: the plan's overheads moved, and the sources name the comparison each figure came from.
    await expect.poll(() => overheads.textContent()).not.toBe(before);
    expect(await sources.textContent()).toMatch(/comparison 20261102T090000000Z-compare-azure \(vm:qemu\)/);
    expect(await sources.textContent()).toMatch(/comparison 20261102T090000000Z-compare-azure \(container:runc\)/);
    // What a comparison does not measure stays the default, labelled as such.
    expect(await sources.locator('li', { hasText: 'guest OS disk GiB' }).locator('[data-source]').getAttribute('data-source')).toBe('reference');
    await page.screenshot({ path: path.join(OUT, 'machines-simulate.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    // Back to no machine: the defaults again.
    await page.getByTestId('sim-machine-pick').selectOption('');
    await expect.poll(() => overheads.textContent()).toBe(before);
    expect(errors).toEqual([]);
  });

  it('offers the saved hosts as Where, sends the host, and shows a refusal in words', async () => {
    // A closed port on the loopback: whatever the engine does with it, nothing leaves this machine.
    await bm.lab.saveHost({ name: 'lab-x', target: 'nobody@127.0.0.1', port: 1 });
    const { page, errors } = await bm.open(`${bm.served.url}#/compare`);
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => String(f.payload).includes('"startCompare"') && sent.push(String(f.payload))));
    await page.reload(); // the listener sees this page's socket from its first frame
    const where = page.getByTestId('compare-where');
    await expect.poll(() => where.locator('option[value="lab-x"]').count()).toBe(1);
    expect(await where.inputValue()).toBe('');
    await where.selectOption('lab-x');
    await page.getByTestId('compare-start').click();
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toContain('"host":"lab-x"');
    // Refused (this version) or started there and followed: either way a clear page, never a crash.
    const alert = page.getByTestId('compare-error');
    await expect.poll(async () => ((await alert.count()) ? await alert.textContent() : page.url())).toMatch(/could not start on lab-x: .+|#\/compare\/.+/);
    expect(errors).toEqual([]);
  });
});
