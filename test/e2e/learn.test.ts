import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../shared/run';
import { axeViolations, OUT, startBrowserMode, useSetupVmKernel, type BrowserMode } from './browserMode';

/**
 * The Learn page in Chromium through browser mode: the diagrams, the tradeoff table filled from runs made
 * here (a light comparison and a VM bench), the live facts (a real probe container, the VM's kernel), in
 * English and French, with axe checks and screenshots.
 */
let bm: BrowserMode;
let vmRun: Run;
let compareId: string;
beforeAll(async () => {
  useSetupVmKernel();
  bm = await startBrowserMode();
  const cmp = await bm.lab.compare({ plan: { models: ['process', 'container:runc'], startup: { iterations: 3, warmup: 0, concurrency: 1 }, footprint: { instances: 3, settleMs: 300, rounds: 1 }, density: false } });
  compareId = cmp.id;
  vmRun = await bm.lab.bench({ target: 'vm', iterations: 2, warmup: 0, baseline: false });
}, 300_000);
afterAll(async () => {
  await bm?.close();
});

describe('the Learn page', () => {
  it('shows the diagrams, the tradeoff table with this machine\'s numbers and their sources, and the live facts', async () => {
    expect(vmRun.status).toBe('complete');
    const { page, errors } = await bm.open(`${bm.served.url}#/learn`);
    await page.getByRole('heading', { level: 1, name: 'Learn' }).waitFor();

    // Diagrams: hovering a layer, or focusing it, explains it.
    await page.locator('[data-layer="vm.guestKernel"] rect').first().hover();
    await expect.poll(() => page.getByTestId('layer-detail').textContent()).toMatch(/Guest kernel.*Shares.*its own/s);
    await page.locator('[data-layer="container.hostKernel"]').focus();
    await expect.poll(() => page.getByTestId('layer-detail').textContent()).toMatch(/Host kernel.*kernel exploit from one container/s);
    // A VM-isolated container stands on a hypervisor, KVM or Hyper-V; the sources behind the words are listed.
    await page.locator('[data-layer="vmContainer.hypervisor"]').focus();
    await expect.poll(() => page.getByTestId('layer-detail').textContent()).toMatch(/Hypervisor \(KVM or Hyper-V\).*beneath the Windows host/s);
    await page.getByTestId('learn-sources').locator('summary').click();
    expect(await page.getByTestId('learn-sources').locator('li').count()).toBeGreaterThanOrEqual(10);
    expect(await page.getByTestId('learn-sources').textContent()).toMatch(/https:\/\/docs\.docker\.com\/engine\/security\/seccomp/);

    // The table: startup, memory, disk and density on both sides, each linked to the document behind it.
    const table = page.getByTestId('tradeoffs');
    await table.waitFor();
    const cell = (row: string, side: string) => table.locator(`tr[data-row="${row}"] td[data-side="${side}"]`);
    await expect.poll(() => cell('startup', 'vm').textContent()).toMatch(/On your machine: [\d,.]+\s?ms/);
    expect(await cell('startup', 'vm').locator('a').getAttribute('href')).toBe(`#/runs/${vmRun.id}`);
    expect(await cell('startup', 'container').textContent()).toMatch(/On your machine: [\d,.]+\s?ms/);
    expect(await cell('memory', 'container').locator('a').getAttribute('href')).toBe(`#/compare/${compareId}`);
    expect(await cell('memory', 'vm').textContent()).toMatch(/On your machine: [\d,.]+\sMiB/);
    expect(await cell('density', 'container').textContent()).toMatch(/On your machine: [\d,]+ in 1 GiB/);
    expect(await cell('disk', 'vm').textContent()).toMatch(/kernel \+ initramfs/);
    expect(await table.locator('tr[data-row="startup"] td.refs li').count()).toBeGreaterThan(3);
    expect(await table.locator('tr[data-row="startup"] td.refs').textContent()).toMatch(/Firecracker/);

    // Live facts: the probe container reports the host's kernel; the VM its own.
    await page.getByTestId('read-facts').click();
    const facts = page.getByTestId('facts-table');
    await facts.waitFor({ timeout: 60_000 });
    const kernel = (side: string) => facts.locator(`[data-kernel="${side}"]`).textContent();
    expect(await kernel('host')).toBe(os.release());
    expect(await kernel('container')).toBe(os.release());
    expect(await kernel('vm')).toMatch(/^\d+\.\d+/);
    expect(await kernel('vm')).not.toBe(os.release());
    expect(await page.getByTestId('facts-verdicts').textContent()).toMatch(/runs on the host's kernel.*VM runs its own kernel/s);
    expect(await page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('hostKernel');
    // What this engine turns on: seccomp's default profile; user namespaces are off here (no userns-remap).
    expect(await page.getByTestId('engine-hardening').textContent()).toMatch(/turns on for every container: seccomp \(default profile\).*Off:.*user namespaces/);
    expect(await table.locator('tr[data-row="memory"] td.refs').textContent()).toMatch(/Kata/);
    await page.screenshot({ path: path.join(OUT, 'learn-en.png'), fullPage: true });
    await page.locator('.learn-diagrams').screenshot({ path: path.join(OUT, 'learn-diagrams-en.png') });
    await table.screenshot({ path: path.join(OUT, 'learn-table-en.png') });
    await page.getByTestId('facts-verdicts').screenshot({ path: path.join(OUT, 'learn-verdicts-en.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Boot the VM and ask it: its own namespaces and its build string appear.
    await page.getByTestId('boot-facts').click();
    await expect.poll(() => facts.locator('tbody tr').nth(2).locator('td').nth(2).textContent(), { timeout: 120_000 }).toMatch(/\d+.*its own/);
    await page.locator('#learn-facts').screenshot({ path: path.join(OUT, 'learn-facts-booted-en.png') });

    // French: the words and the numbers' format follow.
    await page.getByTestId('language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Comprendre' }).waitFor();
    await expect.poll(() => cell('startup', 'vm').textContent()).toMatch(/Sur votre machine : [\d\s\u202f]+,\d+\s?ms|Sur votre machine : [\d\s\u202f]+\s?ms/);
    expect(await cell('memory', 'vm').textContent()).toMatch(/Mio/);
    expect(await page.getByTestId('facts-verdicts').textContent()).toMatch(/noyau de l’hôte/);
    await page.screenshot({ path: path.join(OUT, 'learn-fr.png'), fullPage: true });
    await page.locator('.learn-diagrams').screenshot({ path: path.join(OUT, 'learn-diagrams-fr.png') });
    await page.getByTestId('facts-verdicts').screenshot({ path: path.join(OUT, 'learn-verdicts-fr.png') });
    expect(await axeViolations(page)).toEqual([]);

    // Dark theme keeps the contrast.
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: path.join(OUT, 'learn-fr-dark.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('language').selectOption('en');
    expect(errors).toEqual([]);
  }, 360_000);
});
