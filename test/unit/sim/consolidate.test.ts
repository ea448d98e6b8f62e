import { describe, expect, it } from 'vitest';
import {
  CLASSIC_CONSOLIDATION,
  Catalogue,
  ConsolidationScenario,
  DEFAULT_CATALOGUE,
  PlanError,
  packOnSize,
  planConsolidation,
  planVmPerReplica,
  overheadFromRun,
  referenceOverheads,
  runConsolidation,
  type Overheads,
  type PlanOptions,
} from '../../../shared/sim';
import { RUN_SCHEMA, type Run } from '../../../shared/run';

const none = { memoryGiB: 0, diskGiB: 0, vcpu: 0, provenance: [] };
const ov = (vmMem: number, ctMem = 0): Overheads => ({ vm: { ...none, memoryGiB: vmMem, diskGiB: 30 }, container: { ...none, memoryGiB: ctMem } });
const opts = (o: Partial<PlanOptions> = {}): PlanOptions => ({ headroom: 0, maxReplicasPerVm: 1, allowBurstable: false, ...o });
const host = { name: 'H', vcpus: 4, memoryGiB: 8, pricePerHour: 0.1 };

describe('one VM per replica', () => {
  it('puts each replica on the cheapest non-burstable size that fits it and its guest OS', () => {
    // a: 1 vCPU + 2 GiB + 0.5 guest -> D2s_v5 (2, 8, $0.096); b: 3 vCPU, 4.5 GiB -> D4s_v5 (4, 16, $0.192).
    const vms = planVmPerReplica(
      [
        { name: 'a', replicas: 2, vcpu: 1, memoryGiB: 2 },
        { name: 'b', replicas: 1, vcpu: 3, memoryGiB: 4 },
      ],
      DEFAULT_CATALOGUE,
      ov(0.5),
      opts(),
    );
    expect(vms.map((v) => v.size)).toEqual(['Standard_D2s_v5', 'Standard_D2s_v5', 'Standard_D4s_v5']);
    // With burstable sizes allowed, a fits B2s (2 vCPU, 4 GiB, $0.0416).
    const burst = planVmPerReplica([{ name: 'a', replicas: 1, vcpu: 1, memoryGiB: 2 }], DEFAULT_CATALOGUE, ov(0.5), opts({ allowBurstable: true }));
    expect(burst[0].size).toBe('Standard_B2s');
  });

  it('names the service that fits no size', () => {
    expect(() => planVmPerReplica([{ name: 'huge', replicas: 1, vcpu: 64, memoryGiB: 1 }], DEFAULT_CATALOGUE, ov(0.5), opts())).toThrow(/services\.huge/);
  });
});

describe('containers packed onto VMs', () => {
  // A: 3 x (2 vCPU, 1 GiB), B: 2 x (1 vCPU, 1 GiB) on 4 vCPU / 8 GiB hosts, no overheads.
  const services = [
    { name: 'A', replicas: 3, vcpu: 2, memoryGiB: 1 },
    { name: 'B', replicas: 2, vcpu: 1, memoryGiB: 1 },
  ];
  const layout = (hosts: { containers: { service: string; replica: number }[] }[]) => hosts.map((h) => h.containers.map((c) => `${c.service}${c.replica}`).join(' '));

  it('spreads replicas of a service over distinct VMs (first-fit decreasing by hand)', () => {
    // Sorted by share: A1 A2 A3 (0.5 of the vCPUs) then B1 B2 (0.25). A2 and A3 cannot join A1: new VMs.
    // B1 fits beside A1 (2 + 1 <= 4), B2 cannot join B1's VM, so it goes to the next one with room: VM 2.
    expect(layout(packOnSize(services, host, ov(0), opts())!)).toEqual(['A1 B1', 'A2 B2', 'A3']);
  });

  it('packs tighter without the spread rule', () => {
    // A1 A2 fill VM 1 (4 vCPU); A3 B1 B2 fill VM 2 (2 + 1 + 1).
    expect(layout(packOnSize(services, host, ov(0), opts({ maxReplicasPerVm: 10 }))!)).toEqual(['A1 A2', 'A3 B1 B2']);
  });

  it('keeps the headroom and counts the guest OS and per-container overheads', () => {
    // 25% headroom: 3 vCPU and 6 GiB usable. Guest OS 1 GiB; 0.5 GiB per container.
    // Memory per VM with A and B: 1 + (1 + 0.5) + (1 + 0.5) = 4 <= 6; vCPU 2 + 1 = 3 <= 3.
    const hosts = packOnSize(services, host, ov(1, 0.5), opts({ headroom: 0.25, maxReplicasPerVm: 10 }))!;
    expect(layout(hosts)).toEqual(['A1 B1', 'A2 B2', 'A3']);
    expect(hosts[0].memoryUsedGiB).toBeCloseTo(4, 10);
    expect(hosts[0].vcpuLoad).toBeCloseTo(3 / 4, 10);
    expect(hosts[2].memoryLoad).toBeCloseTo(2.5 / 8, 10);
  });

  it('picks the cheapest host size and reports what changed', () => {
    const cat = Catalogue.parse({ sizes: [host, { name: 'Big', vcpus: 8, memoryGiB: 16, pricePerHour: 0.25 }] });
    const plan = planConsolidation(services, cat, ov(0), opts());
    // H: 3 VMs x 0.1 = 0.3/h; Big: 3 VMs (the spread rule needs 3 for A) x 0.25 = 0.75/h.
    expect(plan.containers.hostSize).toBe('H');
    expect(plan.containers.totals.monthlyCost).toBeCloseTo(0.3 * 730, 10);
    // Per replica: A needs 2 vCPU, 1 GiB -> H; B -> H: 5 VMs.
    expect(plan.changes.vms).toEqual([5, 3]);
    expect(plan.changes.instances).toEqual([5, 5]);
    expect(plan.changes.utilizationVcpu[1]).toBeCloseTo(8 / 12, 10);
  });

  it('says when a container fits no host', () => {
    expect(() => planConsolidation([{ name: 'x', replicas: 1, vcpu: 1, memoryGiB: 100 }], DEFAULT_CATALOGUE, ov(0.5), opts())).toThrow(PlanError);
  });
});

describe('the classic example', () => {
  it('turns 9 large VMs into 4 VMs running 20 containers', () => {
    const { plan } = runConsolidation(ConsolidationScenario.parse(CLASSIC_CONSOLIDATION));
    expect(plan.vmPerReplica.totals.bySize).toEqual({ Standard_D4s_v5: 9 });
    expect(plan.containers.totals.bySize).toEqual({ Standard_D8s_v5: 4 });
    expect(plan.changes.vms).toEqual([9, 4]);
    expect(plan.changes.instances).toEqual([9, 20]);
    // Each VM carries one replica of each of the five services.
    for (const vm of plan.containers.vms) expect(vm.containers.map((c) => c.service).sort()).toEqual(['api', 'cache', 'db', 'frontend', 'worker']);
    // 9 x 0.192 x 730 and 4 x 0.384 x 730.
    expect(plan.changes.monthlyCost[0]).toBeCloseTo(1261.44, 6);
    expect(plan.changes.monthlyCost[1]).toBeCloseTo(1121.28, 6);
    expect(plan.changes.guestOsCopies).toEqual([9, 4]);
    expect(plan.indicativePrices).toBe(true);
  });
});

describe('overheads from measured runs', () => {
  const run = (footprint: Run['footprint']): Run => ({
    schema: RUN_SCHEMA,
    id: 'r1',
    kind: 'bench',
    model: 'vm:qemu-tcg',
    status: 'complete',
    startedAt: '2026-11-26T12:00:00.000Z',
    environment: { host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0.1.0' },
    plan: {},
    phaseOrder: [],
    samples: [],
    summary: {},
    footprint,
    notes: [],
  });
  const ref = referenceOverheads().vm;

  it("take a VM's guest memory from its footprint and keep the reference disk", () => {
    const o = overheadFromRun(run({ memory: { guestMemUsedBytes: 0.25 * 2 ** 30, qemuPssBytes: 1 }, disk: { totalBytes: 9e6 } }), ref);
    expect(o.memoryGiB).toBe(0.25);
    expect(o.diskGiB).toBe(ref.diskGiB);
    expect(o.provenance.map((p) => p.kind)).toEqual(['measured', ref.provenance[1].kind, ref.provenance[2].kind]);
    expect(o.provenance[0].detail).toContain('guestMemUsedBytes');
  });

  it('fall back to the references when the run recorded no footprint', () => {
    expect(overheadFromRun(run(undefined), ref)).toBe(ref);
  });
});
