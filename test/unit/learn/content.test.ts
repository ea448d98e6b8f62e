import { describe, expect, it } from 'vitest';
import en from '../../../renderer/src/locales/en/learn.json';
import fr from '../../../renderer/src/locales/fr/learn.json';
import { MODEL_STACKS, sharesHostKernel } from '../../../shared/learn/content';
import { TRADEOFF_ROWS } from '../../../shared/learn/tradeoffs';

describe('the isolation models', () => {
  it('stand on the hardware and end with the application', () => {
    for (const m of MODEL_STACKS) {
      expect(m.layers[0].id).toBe('hardware');
      expect(m.layers.at(-1)!.id).toBe('app');
      expect(m.layers[0].shared).toBe(true);
    }
  });
  it('containers and sandboxes run on the host kernel; VMs and VM-isolated containers bring their own', () => {
    const by = Object.fromEntries(MODEL_STACKS.map((m) => [m.id, sharesHostKernel(m)]));
    expect(by).toEqual({ vm: false, vmContainer: false, sandbox: true, container: true });
  });
});

describe('learn.json', () => {
  const keys = (o: unknown, prefix = ''): string[] =>
    typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
  it('has the same keys in English and French', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });
  it('names, and says what it shares and isolates, for every layer of every model, and every table row', () => {
    const layers = en.layers as Record<string, Record<string, { name: string; shares: string; isolates: string }>>;
    for (const m of MODEL_STACKS) {
      expect(en.models[m.id as keyof typeof en.models]).toBeTruthy();
      for (const l of m.layers) expect(layers[m.id]?.[l.id], `${m.id}.${l.id}`).toMatchObject({ name: expect.any(String), shares: expect.any(String), isolates: expect.any(String) });
    }
    for (const r of TRADEOFF_ROWS) expect(en.table.rows[r as keyof typeof en.table.rows]).toBeTruthy();
  });
});
