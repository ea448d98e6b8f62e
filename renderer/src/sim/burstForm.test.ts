import { describe, expect, it } from 'vitest';
import { BurstScenario, SPIKE_BURST } from '../../../shared/sim';
import { defaultBurstForm, PROFILE_KINDS, toBurstScenario } from './burstForm';

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
});
