import { describe, expect, it } from 'vitest';
import { BurstScenario, SPIKE_BURST } from '../../../shared/sim';
import { defaultBurstForm, PROFILE_KINDS, toBurstScenario, withMachineStartups } from './burstForm';
import type { MachineFigures } from '../../../shared/sim';

describe('the Simulate page form', () => {
  it('starts as the built-in spike scenario', () => {
    expect(BurstScenario.parse(toBurstScenario(defaultBurstForm))).toEqual(BurstScenario.parse(SPIKE_BURST));
  });

  it('builds every arrival profile', () => {
    for (const profile of PROFILE_KINDS) {
      const s = BurstScenario.safeParse(toBurstScenario({ ...defaultBurstForm, profile, csv: { name: 'x.csv', points: [{ tS: 0, rate: 3 }] } }));
      expect(s.success, profile).toBe(true);
      expect(s.data?.arrivals.kind).toBe(profile);
    }
    // A CSV profile without a file is an error the page shows, not a crash.
    expect(BurstScenario.safeParse(toBurstScenario({ ...defaultBurstForm, profile: 'csv' })).success).toBe(false);
  });

  it('switches to fixed capacity and to measured runs', () => {
    const s = BurstScenario.parse(toBurstScenario({ ...defaultBurstForm, autoscale: false, instances: 7, models: [{ name: 'm', source: 'run:abc', price: 0.1 }] }));
    expect(s.autoscaler).toBeUndefined();
    expect(s.instances).toBe(7);
    expect(s.models[0].startup).toEqual({ measured: 'abc' });
  });

  it('takes a machine’s startups for the published figures they stand for, and gives them back', () => {
    const fig: MachineFigures = {
      comparisonId: 'c',
      startedAt: '2026-11-02T09:00:00Z',
      memory: {},
      startups: [
        { model: 'container:runc', medianMs: 8, runId: 'run-runc' },
        { model: 'vm:qemu', medianMs: 600, runId: 'run-qemu' },
      ],
    };
    const rows = withMachineStartups(defaultBurstForm.models, fig, new Set(['run-runc', 'run-qemu']));
    expect(rows.map((r) => r.source)).toEqual(['run:run-runc', 'run:run-qemu', 'ref:cloud VM (Azure)']);
    // A run that is not on file (an imported comparison without its runs) leaves the reference in place.
    expect(withMachineStartups(defaultBurstForm.models, fig, new Set(['run-runc'])).map((r) => r.source)[1]).toBe('ref:VM (QEMU)');
    expect(withMachineStartups(rows, undefined, new Set()).map((r) => r.source)).toEqual(defaultBurstForm.models.map((m) => m.source));
  });
});
