import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../../shared/compare';
import { remoteLines } from '../../../electron/commands/compare-remote';

const base = {
  schema: 'isolab.comparison/v1',
  id: 'c1',
  status: 'complete',
  startedAt: '2026-11-30T00:00:00Z',
  plan: {},
  floor: 'process',
  notes: [],
} as const;
const host = { os: 'Linux', kernel: '6.1.0', arch: 'x64', cpus: 2, memoryBytes: 8 * 2 ** 30 };

describe('isolab compare --host: the host and clock lines', () => {
  it('names the host, its Azure size and region, and for each model which clock timed it and what SSH adds', () => {
    const c = {
      ...base,
      environment: { host, isolabVersion: '0', remote: { target: 'vm1', resolved: 'me@10.0.0.4:22', reached: true, virtualization: { azure: { vmSize: 'Standard_D2s_v5', location: 'westeurope' } } } },
      models: [
        { model: 'process', status: 'ok', notes: [], clock: { clock: 'remote-shell', shell: 'epochrealtime', overheadMs: 0.01, roundTripMs: 4, sshAllowanceMs: 0 } },
        { model: 'container:runc', status: 'ok', notes: [], clock: { clock: 'local-through-ssh', roundTripMs: 1.5, roundTripsToReady: 3, sshAllowanceMs: 4.5 } },
      ],
    } as unknown as Comparison;
    const lines = remoteLines(c);
    expect(lines[0]).toBe('Host: vm1 (me@10.0.0.4:22): Linux 6.1.0 x64, 2 CPU(s), 8.0 GiB; Azure Standard_D2s_v5 in westeurope.');
    expect(lines[1]).toMatch(/^Clock: process: the remote host's clock .*SSH adds nothing/);
    expect(lines[2]).toMatch(/^Clock: container:runc: this machine's clock.* 3 round trips to ready × 1\.50 ms = 4\.50 ms added by SSH\.$/);
  });

  it('words the remote engine clock per phase: which phases are on it, what SSH still adds, and the samples that fell back', () => {
    const phases = {
      create: { clock: 'local-through-ssh', sshRoundTrips: 1 },
      started: { clock: 'remote-engine', sshRoundTrips: 2 },
      ready: { clock: 'remote-engine', sshRoundTrips: 2 },
      remove: { clock: 'remote-engine' },
    };
    const c = {
      ...base,
      environment: { host, isolabVersion: '0', remote: { target: 'vm1', reached: true } },
      models: [
        { model: 'container:runc', status: 'ok', notes: [], clock: { clock: 'remote-engine', roundTripMs: 13, roundTripsToReady: 2, sshAllowanceMs: 26, phases, engineEvents: { samples: 20, localFallback: 0, waitBoundMs: 1500 } } },
        { model: 'container:runsc', status: 'ok', notes: [], clock: { clock: 'remote-engine', roundTripMs: 13, roundTripsToReady: 2, sshAllowanceMs: 26, phases, engineEvents: { samples: 20, localFallback: 2, waitBoundMs: 1500 } } },
        { model: 'container:crun', status: 'ok', notes: [], clock: { clock: 'local-through-ssh', roundTripMs: 13, roundTripsToReady: 3, sshAllowanceMs: 39, engineEvents: { samples: 20, localFallback: 20, waitBoundMs: 1500 } } },
      ],
    } as unknown as Comparison;
    const [, runc, runsc, crun] = remoteLines(c);
    expect(runc).toBe(
      "Clock: container:runc: the remote engine's clock (its event stream's timeNano) for started, ready, remove; this machine's clock through SSH for create (no engine event ends it): 2 round trips to ready (the create call and the turnaround to the next call; no engine event marks a request's arrival) × 13.0 ms = 26.0 ms added by SSH.",
    );
    expect(runsc).toMatch(/ 2 of 20 starts kept this machine's clock \(their events had not come within 1500 ms\)\.$/);
    expect(crun).toMatch(/^Clock: container:crun: this machine's clock \(the engine's events did not come for any start\).* 3 round trips to ready × 13\.0 ms = 39\.0 ms added by SSH\.$/);
  });

  it('says a host was not reached, and prints nothing for a comparison on this machine', () => {
    const unreached = { ...base, environment: { host, isolabVersion: '0', remote: { target: 'vm1', reached: false } }, models: [] } as unknown as Comparison;
    expect(remoteLines(unreached)).toEqual(['Host: vm1, not reached.']);
    expect(remoteLines({ ...base, environment: { host, isolabVersion: '0' }, models: [] } as unknown as Comparison)).toEqual([]);
  });
});
