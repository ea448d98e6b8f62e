import { describe, expect, it } from 'vitest';
import enLearn from '../../../renderer/src/locales/en/learn.json';
import frLearn from '../../../renderer/src/locales/fr/learn.json';
import enWorkshop from '../../../renderer/src/locales/en/workshop.json';
import frWorkshop from '../../../renderer/src/locales/fr/workshop.json';
import landscapeFile from '../../../shared/reference/landscape.json';
import { LANDSCAPE, LANDSCAPE_ENTRIES, landscapeId } from '../../../shared/learn/landscape';
import { LAYER_FACTS, SPECTRUM_COLUMNS, SPECTRUM_LAYERS } from '../../../shared/learn/spectrum';
import { KernelVerdictCode } from '../../../shared/learn/verdict';
import { containerVerdictOf, kernelsFrom } from '../../../renderer/src/workshop/kernels';

const keys = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);

describe('the spectrum\'s and the landscape\'s words', () => {
  it('learn.json and workshop.json have the same keys in English and French', () => {
    expect(keys(frLearn).sort()).toEqual(keys(enLearn).sort());
    expect(keys(frWorkshop).sort()).toEqual(keys(enWorkshop).sort());
  });

  it('name every layer, what it shares and adds, every column and every kind of value the builder gives', () => {
    for (const l of [enLearn, frLearn]) {
      for (const id of SPECTRUM_LAYERS) {
        for (const k of ['name', 'blurb', 'examples']) expect(at(l, `spectrum.layers.${id}.${k}`), `${id}.${k}`).toEqual(expect.any(String));
        const f = LAYER_FACTS[id];
        for (const [part, value] of Object.entries(f.sharing)) if (value !== 'none' || part !== 'devices') expect(at(l, `spectrum.sharing.${part}.${value}`), `${part}.${value}`).toEqual(expect.any(String));
        for (const a of f.adds) expect(at(l, `spectrum.adds.${a}`), a).toEqual(expect.any(String));
      }
      for (const c of SPECTRUM_COLUMNS) expect(at(l, `spectrum.columns.${c}`)).toEqual(expect.any(String));
      for (const w of ['startup.ready', 'startup.firstOutput', 'startup.vm', 'memory.host', 'memory.cgroupHelpers', 'memory.vmmPss', 'memory.processPss', 'memory.qemuPss', 'memory.qemuRss']) {
        expect(at(l, `spectrum.what.${w}`), w).toEqual(expect.any(String));
      }
    }
  });

  it('say the orchestrator adds to containers and is no new wall; the density column says it is derived', () => {
    expect(enLearn.spectrum.layers.orchestrated.name).toMatch(/adds/);
    expect(enLearn.spectrum.layers.orchestrated.blurb).toMatch(/no new wall.*runc/);
    expect(enLearn.spectrum.densityBasis.memory).toMatch(/derived/);
    expect(frLearn.spectrum.densityBasis.memory).toMatch(/déduite/);
  });

  it('give each landscape entry its kind and status in both languages, and say what an unverified date is', () => {
    expect(LANDSCAPE.entries).toHaveLength(landscapeFile.entries.length);
    const ids = LANDSCAPE_ENTRIES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['acs', 'dcos', 'rkt', 'coreos', 'swarm', 'kubernetes', 'oci']);
    for (const l of [enLearn, frLearn]) for (const id of ids) expect(at(l, `landscape.entries.${id}`), id).toMatchObject({ kind: expect.any(String), status: expect.any(String) });
    expect(enLearn.landscape.unverified).toBe('date from a secondary quote');
    // The one entry whose date is a secondary quote in the file.
    expect(LANDSCAPE_ENTRIES.filter((e) => !e.verified).map((e) => e.id)).toEqual(['acs']);
    expect(landscapeId({ name: 'Some later product' })).toBe('some-later-product');
  });
});

describe('the workshop\'s "what is shared" verdict', () => {
  it('has a card label for every verdict', () => {
    for (const code of KernelVerdictCode.options) {
      expect(at(enWorkshop, `shared.card.${code}`), code).toEqual(expect.any(String));
      expect(at(frWorkshop, `shared.card.${code}`), code).toEqual(expect.any(String));
    }
  });

  it('takes the engine\'s verdict when it gave one: Docker Desktop\'s VM kernel is not "its own"', () => {
    const k = kernelsFrom(undefined, {
      host: '23.6.0',
      container: '6.10.14-linuxkit',
      vm: '6.1.0-28-cloud-amd64',
      vmBooted: false,
      containerVerdict: { code: 'engineVm', release: '6.10.14-linuxkit', host: '23.6.0', engineVm: 'dockerDesktop', evidence: ['operatingSystem'] },
    })!;
    expect(containerVerdictOf(k)).toMatchObject({ fromEngine: true, verdict: { code: 'engineVm' } });
  });

  it('without one, reads only what the releases say: the same is the host\'s kernel, another is unexplained', () => {
    expect(containerVerdictOf({ host: '6.1.0', container: '6.1.0', vmFrom: 'kit' })).toMatchObject({ fromEngine: false, verdict: { code: 'hostKernel' } });
    // Before: a differing release read as "its own kernel", wrong under Docker Desktop and gVisor.
    expect(containerVerdictOf({ host: '6.1.0', container: '4.4.0', vmFrom: 'kit' })).toMatchObject({ fromEngine: false, verdict: { code: 'unknownKernel' } });
    expect(containerVerdictOf({ host: '6.1.0', vmFrom: 'kit' })).toBeUndefined();
  });
});
