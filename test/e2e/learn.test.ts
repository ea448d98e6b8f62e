import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comparison, type ModelResult } from '../../shared/compare';
import type { Run } from '../../shared/run';
import { axeViolations, OUT, startBrowserMode, useSetupVmKernel, type BrowserMode } from './browserMode';

/**
 * The Learn page in Chromium through browser mode: the diagrams, the spectrum and the tradeoff table filled from
 * runs made here (a light comparison and a VM bench), the live facts (a real probe container, the VM's kernel),
 * what became of the article's products, in English and French, with axe checks and screenshots. The last test
 * renders the whole spectrum from a synthetic comparison document (made-up numbers, said so): the real
 * measurements of gVisor, the microVM and Swarm come from their own integration tests.
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

    // The spectrum: this machine's numbers for the models measured here, a number in every column it draws.
    const spectrum = page.getByTestId('spectrum');
    const model = (m: string) => spectrum.locator(`tr[data-model="${m}"]`);
    expect(await spectrum.locator('thead th[data-col]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-col')))).toEqual(['startup', 'memory', 'density']);
    for (const col of ['startup', 'memory', 'density']) expect(await spectrum.locator(`td[data-col="${col}"] [data-testid="spectrum-measured"]`).count(), col).toBeGreaterThan(0);
    expect(await model('container:runc').getAttribute('data-state')).toBe('measured');
    expect(await model('container:runc').locator('td[data-col="startup"]').textContent()).toMatch(/[\d,.]+\s?ms.*95% CI/);
    expect(await model('container:runc').locator('td[data-col="memory"] a').getAttribute('href')).toBe(`#/compare/${compareId}`);
    expect(await model('process').locator('td[data-col="density"]').textContent()).toMatch(/[\d,]+ fit.*derived/);
    expect(await spectrum.locator('tbody[data-layer="vm"] tr[data-model="vm:qemu"]').textContent()).toMatch(/TCG|KVM/);
    expect(await model('vm:qemu').locator('td[data-col="startup"] a').getAttribute('href')).toBe(`#/runs/${vmRun.id}`);
    // Not measured here: the command that measures it, never a number.
    expect(await model('container:runsc').getAttribute('data-state')).toBe('notMeasured');
    expect(await model('container:runsc').textContent()).toMatch(/isolab compare --models container:runsc/);
    expect(await model('container:runsc').locator('[data-testid="spectrum-measured"]').count()).toBe(0);
    expect(await spectrum.locator('tbody[data-layer="sandbox"] td.refs').textContent()).toMatch(/gVisor/);
    await shoot(page, spectrum, 'learn-spectrum-measured-en.png');
    // What became of the article's products, cited; the ACS date is a secondary quote and says so.
    const landscape = page.getByTestId('landscape');
    expect(await landscape.locator('tbody tr').count()).toBe(7);
    expect(await landscape.locator('tr[data-entry="acs"]').textContent()).toMatch(/Retired · 31 January 2020.*date from a secondary quote.*Successor: Azure Kubernetes Service/s);
    expect(await landscape.locator('tr[data-entry="rkt"] [data-testid="landscape-unverified"]').count()).toBe(0);

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
    await expect.poll(() => facts.locator('tr[data-row="ns-pid"] td').nth(2).textContent(), { timeout: 120_000 }).toMatch(/\d+.*its own/);
    await page.locator('#learn-facts').screenshot({ path: path.join(OUT, 'learn-facts-booted-en.png') });

    // French: the words and the numbers' format follow.
    await page.getByTestId('language').selectOption('fr');
    await page.getByRole('heading', { level: 1, name: 'Comprendre' }).waitFor();
    await expect.poll(() => cell('startup', 'vm').textContent()).toMatch(/Sur votre machine : [\d\s\u202f]+,\d+\s?ms|Sur votre machine : [\d\s\u202f]+\s?ms/);
    expect(await cell('memory', 'vm').textContent()).toMatch(/Mio/);
    expect(await page.getByTestId('facts-verdicts').textContent()).toMatch(/noyau de l’hôte/);
    expect(await page.getByTestId('spectrum').locator('thead').textContent()).toMatch(/Densité dans 1 Gio/);
    expect(await page.getByTestId('landscape').locator('tr[data-entry="acs"]').textContent()).toMatch(/Retiré.*janvier 2020.*citation secondaire/s);
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

  it('renders the whole spectrum, gVisor to Swarm, from a synthetic comparison document (a rendering test: made-up numbers)', async () => {
    const doc = Comparison.parse(syntheticComparison());
    await bm.lab.comparisons.save(doc);
    const { page, errors } = await bm.open(`${bm.served.url}#/learn`);
    const spectrum = page.getByTestId('spectrum');
    await spectrum.waitFor();
    // The first test left the dark theme on: these screenshots are in the light one, then the dark one is checked.
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark') await page.getByTestId('theme-toggle').click();
    const layerOf = (m: string) => spectrum.locator(`tr[data-model="${m}"]`).evaluate((tr) => tr.closest('tbody')!.getAttribute('data-layer'));
    await expect.poll(() => spectrum.locator('tr[data-model="swarm"]').getAttribute('data-state')).toBe('measured');
    expect(await spectrum.locator('tbody').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-layer')))).toEqual(['process', 'container', 'sandbox', 'vmContainer', 'microvm', 'vm', 'orchestrated']);
    for (const [m, layer] of [['container:runsc', 'sandbox'], ['oci:runsc', 'sandbox'], ['vm:microvm', 'microvm'], ['vm:qemu', 'vm'], ['swarm', 'orchestrated'], ['container:kata', 'vmContainer'], ['vm:firecracker', 'microvm']]) {
      expect(await layerOf(m), m).toBe(layer);
    }
    const cellOf = (m: string, col: string) => spectrum.locator(`tr[data-model="${m}"] td[data-col="${col}"]`);
    expect(await cellOf('container:runsc', 'startup').textContent()).toMatch(/712\s?ms.*95% CI 690\s?ms–741\s?ms.*request to ready/);
    expect(await cellOf('vm:microvm', 'density').textContent()).toMatch(/5 fit.*derived/);
    expect(await cellOf('container:runc', 'density').textContent()).toMatch(/from a density run that held 32 instances/);
    // gVisor straight on a bundle: startup only; the other columns say how to measure, not a number.
    expect(await cellOf('oci:runsc', 'memory').textContent()).toMatch(/Not measured; measure it with isolab compare --models oci:runsc/);
    // Models that cannot run here say why, in the engine's words, and how to measure once installed.
    expect(await spectrum.locator('tr[data-model="container:kata"]').textContent()).toMatch(/Cannot run here:.*Kata Containers is not installed.*isolab compare --models container:kata/);
    expect(await spectrum.locator('tr[data-model="vm:firecracker"] [data-testid="spectrum-measured"]').count()).toBe(0);
    expect(await spectrum.locator('tbody[data-layer="orchestrated"]').textContent()).toMatch(/What an orchestrator adds.*desired state/s);
    expect(await spectrum.locator('tbody[data-layer="sandbox"] [data-share="kernel"]').textContent()).toMatch(/reached only through the sandbox/);
    await shoot(page, spectrum, 'learn-spectrum-synthetic-en.png');
    await shoot(page, page.locator('#learn-landscape'), 'learn-landscape-en.png');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('language').selectOption('fr');
    await expect.poll(() => spectrum.locator('thead').textContent()).toMatch(/Démarrage/);
    expect(await spectrum.locator('tr[data-model="container:kata"]').textContent()).toMatch(/Ne peut pas tourner ici/);
    await shoot(page, spectrum, 'learn-spectrum-synthetic-fr.png');
    await shoot(page, page.locator('#learn-landscape'), 'learn-landscape-fr.png');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();
    await shoot(page, spectrum, 'learn-spectrum-synthetic-fr-dark.png');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('language').selectOption('en');

    // The workshop's "what is shared": the container's kernel by the verdict, and the spectrum in a line per layer.
    await page.goto(`${bm.served.url}#/workshop`);
    await page.getByTestId('demo-shared').click();
    const strip = page.getByTestId('shared-spectrum');
    await strip.waitFor();
    expect(await strip.locator('li').count()).toBe(7);
    expect(await strip.locator('li[data-layer="sandbox"]').textContent()).toMatch(/container:runsc|oci:runsc/);
    expect(await strip.locator('li[data-layer="vmContainer"]').textContent()).toMatch(/container:kata cannot run here/);
    expect(await strip.locator('li[data-layer="vmContainer"]').textContent()).not.toMatch(/\d\s?ms/);
    await page.getByTestId('shared-ask').click();
    await expect.poll(() => page.getByTestId('kernel-container').textContent(), { timeout: 60_000 }).toBe(os.release());
    expect(await page.getByTestId('shared-demo').locator('[data-verdict]').getAttribute('data-verdict')).toBe('hostKernel');
    expect(await page.getByTestId('shared-verdict').textContent()).toMatch(/runs on the host's kernel/);
    await shoot(page, page.getByTestId('shared-demo'), 'workshop-shared-spectrum-en.png');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});

/** An element's screenshot taken from the full page, so the sticky header does not cover a tall element. */
async function shoot(page: Page, el: Locator, file: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await el.boundingBox();
  if (!box) throw new Error(`${file}: the element is not shown`);
  await page.screenshot({ path: path.join(OUT, file), fullPage: true, clip: box });
}

/** A comparison no machine measured: every kind of model, with round made-up numbers, labelled as synthetic. */
function syntheticComparison(): unknown {
  const MiB = 1024 * 1024;
  const summary = (median: number, lo: number, hi: number) => ({ n: 20, mean: median, median, p95: hi, p99: hi, min: lo, max: hi, stddev: 1, mad: 1, ci95: [lo, hi], outliers: [] });
  const ok = (model: string, median: number, lo: number, hi: number, extra: Partial<ModelResult> = {}) => ({
    model,
    status: 'ok',
    notes: ['synthetic: a rendering fixture, not a measurement'],
    startup: { phaseOrder: ['create', 'ready'], summary: {}, readyMs: [median], ready: summary(median, lo, hi), totalMs: [median] },
    ...extra,
  });
  const fp = (memory: Record<string, number>, instances = 4) => ({ instances, memory, cpu: {}, disk: {}, startupMs: [], notes: [] });
  return {
    schema: 'isolab.comparison/1',
    id: 'synthetic-render-compare',
    status: 'complete',
    startedAt: new Date(Date.now() + 60_000).toISOString(),
    finishedAt: new Date(Date.now() + 60_000).toISOString(),
    environment: { host: { os: 'linux', kernel: 'synthetic', arch: 'x64', cpus: 2, memoryBytes: 24 * 1024 * MiB, hostname: 'synthetic' }, isolabVersion: '0.0.0-synthetic' },
    plan: { name: 'synthetic rendering fixture' },
    floor: 'process',
    models: [
      ok('process', 1.2, 1.1, 1.4, { footprint: fp({ hostBytes: 0.4 * MiB, processPssBytes: 0.3 * MiB }) }),
      ok('container:runc', 310, 298, 325, {
        footprint: fp({ hostBytes: 7 * MiB, cgroupBytes: 1 * MiB, helperPssBytes: 3 * MiB }),
        density: { concurrency: 4, points: [], steps: [{ count: 32, medianLatencyMs: 400, memAvailableDropBytes: 256 * MiB, memPerNewInstanceBytes: 8 * MiB, elapsedMs: 9000 }], stoppedBy: 'count', leftBehind: 0 },
      }),
      ok('container:runsc', 712, 690, 741, { footprint: fp({ hostBytes: 38 * MiB }) }),
      ok('oci:runsc', 655, 640, 690),
      ok('vm:microvm', 1820, 1760, 1900, { footprint: fp({ helperPssBytes: 190 * MiB }, 1) }),
      ok('vm:qemu', 2480, 2400, 2560, { footprint: fp({ helperPssBytes: 250 * MiB }, 1) }),
      ok('swarm', 1510, 1450, 1600, { footprint: fp({ hostBytes: 11 * MiB }) }),
      { model: 'container:kata', status: 'unavailable', error: 'Kata Containers is not installed: install it from its releases and register its runtime with the engine', notes: [] },
      { model: 'vm:firecracker', status: 'unavailable', error: 'firecracker is not on PATH and /dev/kvm is not usable here', notes: [] },
    ],
    notes: ['synthetic: written by test/e2e/learn.test.ts to render every row'],
  };
}
