import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en/learn.json';
import fr from '../../../renderer/src/locales/fr/learn.json';
import figuresFile from '../../../shared/reference/published-figures.json';
import { MODEL_STACKS } from '../../../shared/learn/content';
import { ISOLATION_SOURCES } from '../../../shared/learn/sources';
import { referencesFor, type PublishedFigure } from '../../../shared/learn/tradeoffs';
import { KernelVerdict, KernelVerdictCode } from '../../../shared/learn/verdict';

/**
 * The claims issue 11 found wrong, checked in both languages against what the primary sources say (the sources
 * are listed in shared/reference/isolation-sources.json and published-figures.json).
 */
type Learn = typeof en;
const LOCALES: [string, Learn][] = [
  ['en', en],
  ['fr', fr as Learn],
];
const stack = (id: string) => MODEL_STACKS.find((m) => m.id === id)!;
const layers = (l: Learn) => l.layers as Record<string, Record<string, { name: string; shares: string; isolates: string; short?: string }>>;
const text = (o: { name: string; shares: string; isolates: string }) => `${o.name} ${o.shares} ${o.isolates}`;
const sentences = (s: string) => s.split(/(?<=[.;:])\s+/);

describe.each(LOCALES)('Learn words (%s)', (_lang, l) => {
  it('Hyper-V isolation stands on a hypervisor layer that names both KVM and Hyper-V, not on "host kernel + KVM"', () => {
    const vmc = stack('vmContainer');
    const shared = vmc.layers.filter((x) => x.shared && x.id !== 'hardware');
    expect(shared.map((x) => x.id)).toEqual(['hypervisor']);
    expect(shared[0].tone).toBe('hypervisor');
    const h = layers(l).vmContainer.hypervisor;
    for (const part of [h.name, h.shares, h.short!]) {
      expect(part).toMatch(/KVM/);
      expect(part).toMatch(/Hyper-V/);
    }
    expect(l.models.vmContainer.examples).toMatch(/Hyper-V/);
  });

  it('the per-container VM is not "a few MiB": Firecracker\'s VMM bound and Kata\'s 125-153 MiB per container', () => {
    const s = layers(l).vmContainer.microVm.shares;
    expect(s).not.toMatch(/few MiB|quelques Mio/);
    expect(s).toMatch(/Firecracker[^.;]*5 Mi/);
    expect(s).toMatch(/125/);
    expect(s).toMatch(/153/);
  });

  it('the narrow part is the hypervisor; QEMU is named as a VMM with a wide device surface, beside Firecracker and crosvm', () => {
    const vm = layers(l).vm;
    expect(vm.hypervisor.name).not.toMatch(/QEMU/);
    expect(stack('vm').layers.map((x) => x.id)).toContain('vmm');
    expect(vm.vmm.shares).toMatch(/QEMU/);
    expect(vm.vmm.shares).toMatch(/VENOM|CVE-2015-3456/);
    expect(vm.vmm.shares).toMatch(/Firecracker/);
    expect(vm.vmm.shares).toMatch(/crosvm/);
    const security = l.table.rows.security.vm;
    for (const name of ['QEMU', 'Firecracker', 'crosvm']) expect(security).toContain(name);
  });

  it('container hardening: user namespaces only as off by default (userns-remap); AppArmor and SELinux where they apply', () => {
    const c = l.table.rows.security.container;
    expect(c).toMatch(/seccomp/);
    expect(c).toMatch(/AppArmor/);
    expect(c).toMatch(/SELinux/);
    expect(c).toMatch(/44/);
    const userns = /user namespaces|namespaces utilisateur/i;
    const boundary = layers(l).container.boundary.shares;
    for (const s of [...sentences(c), ...sentences(boundary)].filter((x) => userns.test(x))) {
      expect(s, s).toMatch(/userns-remap/);
      expect(s, s).toMatch(/off by default|désactivés? par défaut/);
    }
  });

  it('Windows Server containers: the Windows kernel\'s own fences (server silos, job objects), not Linux\'s', () => {
    const b = layers(l).container.boundary;
    expect(text(b)).toMatch(/silo/i);
    expect(text(b)).toMatch(/job object|objets? de traitement/i);
    expect(l.models.container.blurb).toMatch(/silo/i);
    expect(l.models.container.examples).toMatch(/Windows Server/);
  });

  it('the VM disk row: each VM has its own OS disk', () => {
    const d = l.table.rows.disk.vm;
    expect(d).not.toMatch(/per kind of VM|par type de VM/);
    expect(d).toMatch(/Each VM has its own OS disk|Chaque VM a son propre disque système/);
  });

  it('the portability row names the CPU architecture on both sides', () => {
    expect(l.table.rows.portability.container).toMatch(/CPU architecture|architecture de processeur/);
    expect(l.table.rows.portability.vm).toMatch(/CPU architecture|architecture de processeur/);
  });

  it('has words for every kernel verdict, every engine VM and every engine option', () => {
    for (const code of KernelVerdictCode.options) expect(l.facts.verdict[code], code).toMatch(/\{\{release\}\}/);
    for (const vm of KernelVerdict.shape.engineVm.unwrap().options) expect(l.facts.engineVmName[vm], vm).toBeTruthy();
    expect(l.facts.verdict.engineVm).toMatch(/\{\{vm\}\}/);
    expect(l.facts).not.toHaveProperty('notSharedKernel');
  });

  it('every model has its examples in words', () => {
    for (const m of MODEL_STACKS) expect(l.models[m.id].examples, m.id).toBeTruthy();
  });
});

describe('the sources behind the words', () => {
  it('are primary sources with an address, each once', () => {
    expect(ISOLATION_SOURCES.length).toBeGreaterThanOrEqual(10);
    for (const s of ISOLATION_SOURCES) expect(s.url, s.id).toMatch(/^https:\/\//);
    expect(new Set(ISOLATION_SOURCES.map((s) => s.id)).size).toBe(ISOLATION_SOURCES.length);
  });
  it('back the figures the words give: Kata per-container memory and Firecracker\'s VMM bound are in the memory row\'s references', () => {
    const memory = referencesFor('memory', figuresFile.figures as PublishedFigure[]);
    const kata = memory.filter((f) => /Kata/.test(f.model)).map((f) => [f.value, f.unit]);
    expect(kata).toEqual(expect.arrayContaining([[125, 'MiB'], [153, 'MiB']]));
    expect(memory.find((f) => /Firecracker/.test(f.model) && f.value === 5)?.url).toMatch(/SPECIFICATION\.md$/);
    for (const f of memory.filter((x) => /Kata/.test(x.model))) expect(f.url).toMatch(/^https:\/\/github\.com\/idlab-discover\//);
  });
});
