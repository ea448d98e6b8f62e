import { describe, expect, it } from 'vitest';
import { defaultSwarmForm, toSwarmRequest } from './swarmForm';

describe('toSwarmRequest', () => {
  it('sends no consent unless asked, and no scale-out when it is off', () => {
    expect(toSwarmRequest(defaultSwarmForm).request).toMatchObject({ replicas: 3, scaleTo: 13, createSwarm: false });
    expect(toSwarmRequest({ ...defaultSwarmForm, scale: false, scaleTo: '' }, true).request).toMatchObject({ scaleTo: undefined, createSwarm: true });
  });

  it("names the field the engine's schema refuses", () => {
    expect(toSwarmRequest({ ...defaultSwarmForm, replicas: '3', scaleTo: '3' }).errors.scaleTo).toMatch(/more than replicas/);
    expect(toSwarmRequest({ ...defaultSwarmForm, rounds: '' }).errors.rounds).toBeDefined();
    expect(toSwarmRequest({ ...defaultSwarmForm, replicas: '0' }).request).toBeUndefined();
  });
});
