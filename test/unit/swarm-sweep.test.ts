import type Docker from 'dockerode';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { swarmLabels } from '../../electron/lab/swarm/labels';
import { sweepSwarm } from '../../electron/lab/swarm/sweep';

// A pid far above any real one on Linux (pid_max is at most 2^22).
const dead = { pid: 2 ** 22 + 12345, host: os.hostname() };

interface FakeState {
  swarm: 'active' | 'inactive';
  swarmLabels?: Record<string, string>;
  services: { ID: string; Spec: { Name: string; Labels?: Record<string, string> } }[];
  networks: { Id: string; Name: string; Labels?: Record<string, string> }[];
}

/** The few engine calls the sweep makes, over an in-memory engine: the decisions are what is tested here. */
function fakeEngine(state: FakeState): Docker {
  const engine = {
    info: async () => ({ Swarm: { LocalNodeState: state.swarm, NodeID: 'n1', ControlAvailable: state.swarm === 'active', Error: '' } }),
    listServices: async (o?: { filters?: { label?: string[] } }) =>
      state.services.filter((s) => !o?.filters?.label || o.filters.label.every((l) => s.Spec.Labels?.[l.split('=')[0]] === l.split('=')[1])),
    getService: (id: string) => ({
      remove: async () => {
        state.services = state.services.filter((s) => s.ID !== id);
      },
    }),
    swarmInspect: async () => {
      if (state.swarm !== 'active') throw Object.assign(new Error('This node is not a swarm manager.'), { statusCode: 503 });
      return { Spec: { Labels: state.swarmLabels ?? {} } };
    },
    swarmLeave: async () => {
      // leaving takes the swarm's ingress network with it, as the engine does
      state.swarm = 'inactive';
      state.networks = state.networks.filter((n) => n.Name !== 'ingress');
    },
    listNetworks: async (o?: { filters?: { name?: string[] } }) => state.networks.filter((n) => !o?.filters?.name || o.filters.name.some((x) => n.Name.includes(x))),
    getNetwork: (id: string) => ({
      remove: async () => {
        state.networks = state.networks.filter((n) => n.Id !== id);
      },
    }),
  };
  return engine as unknown as Docker;
}

describe('sweepSwarm', () => {
  it("undoes a crashed run's swarm: its service, then the swarm it created, then its bridge", async () => {
    const state: FakeState = {
      swarm: 'active',
      swarmLabels: swarmLabels('r1', 'swarm', dead),
      services: [{ ID: 's1', Spec: { Name: 'isolab-r1', Labels: swarmLabels('r1', 'service', dead) } }],
      networks: [
        { Id: 'g', Name: 'docker_gwbridge', Labels: swarmLabels('r1', 'gwbridge', dead) },
        { Id: 'i', Name: 'ingress' },
      ],
    };
    expect(await sweepSwarm(fakeEngine(state))).toEqual({ services: ['s1'], leftSwarm: true, removedBridge: true });
    expect(state).toMatchObject({ swarm: 'inactive', services: [], networks: [] });
  });

  it("leaves a live run's service, someone else's service and the swarm that holds them", async () => {
    const state: FakeState = {
      swarm: 'active',
      swarmLabels: swarmLabels('r1', 'swarm', dead),
      services: [
        { ID: 'live', Spec: { Name: 'isolab-live', Labels: swarmLabels('r2', 'service') } },
        { ID: 'theirs', Spec: { Name: 'web' } },
      ],
      networks: [{ Id: 'g', Name: 'docker_gwbridge', Labels: swarmLabels('r1', 'gwbridge', dead) }],
    };
    const lines: string[] = [];
    expect(await sweepSwarm(fakeEngine(state), (l) => lines.push(l))).toEqual({ services: [], leftSwarm: false, removedBridge: false });
    expect(state.swarm).toBe('active');
    expect(state.services).toHaveLength(2);
    expect(lines.join()).toMatch(/holds 2 service/);
  });

  it("never leaves a swarm isolab did not create, nor removes a docker_gwbridge that is not isolab's", async () => {
    const state: FakeState = {
      swarm: 'active',
      services: [{ ID: 's1', Spec: { Name: 'isolab-r1', Labels: swarmLabels('r1', 'service', dead) } }],
      networks: [{ Id: 'g', Name: 'docker_gwbridge' }],
    };
    expect(await sweepSwarm(fakeEngine(state))).toEqual({ services: ['s1'], leftSwarm: false, removedBridge: false });
    expect(state.swarm).toBe('active');
    state.swarm = 'inactive';
    expect((await sweepSwarm(fakeEngine(state))).removedBridge).toBe(false);
    expect(state.networks).toHaveLength(1);
  });

  it("removes a crashed run's bridge left after its swarm was already gone", async () => {
    const state: FakeState = { swarm: 'inactive', services: [], networks: [{ Id: 'g', Name: 'docker_gwbridge', Labels: swarmLabels('r1', 'gwbridge', dead) }] };
    expect(await sweepSwarm(fakeEngine(state))).toEqual({ services: [], leftSwarm: false, removedBridge: true });
    expect(state.networks).toEqual([]);
  });
});
