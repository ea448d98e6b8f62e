import { describe, expect, it } from 'vitest';
import {
  CLASSIC_CONSOLIDATION,
  Catalogue,
  ConsolidationScenario,
  DEFAULT_CATALOGUE,
  ConsolidationError,
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

const src = { kind: 'input', detail: 'test' } as const;
const none = { memoryGiB: 0, diskGiB: 0, vcpu: 0, sources: { memoryGiB: src, diskGiB: src, vcpu: src } };
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

  it('finds a packing on fewer VMs where first-fit decreasing opens one too many', () => {
    // 4, 4, 3, 3, 3, 3 vCPU on 10-vCPU hosts: first-fit decreasing gives [4 4] [3 3 3] [3], three VMs;
    // [4 3 3] [4 3 3] holds them on two.
    const mk = (name: string, replicas: number, vcpu: number) => ({ name, replicas, vcpu, memoryGiB: 0.001 });
    const h10 = { name: 'H10', vcpus: 10, memoryGiB: 100, pricePerHour: 1 };
    const hosts = packOnSize([mk('a', 2, 4), mk('b', 4, 3)], h10, ov(0), opts({ maxReplicasPerVm: 10 }))!;
    expect(layout(hosts).map((l) => l.split(' ').length)).toEqual([3, 3]);
    expect(hosts.map((h) => h.vcpuUsed)).toEqual([10, 10]);
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
    expect(() => planConsolidation([{ name: 'x', replicas: 1, vcpu: 1, memoryGiB: 100 }], DEFAULT_CATALOGUE, ov(0.5), opts())).toThrow(ConsolidationError);
  });
});

describe('the classic example', () => {
  it('serves the same 30 vCPU and 76 GiB on both sides, under the same 25% headroom', () => {
    const { plan } = runConsolidation(ConsolidationScenario.parse(CLASSIC_CONSOLIDATION));
    // The demand: frontend 2 x (3, 4), api 2 x (3, 6), worker 2 x (4, 8), cache 1 x (2, 12), db 2 x (4, 14).
    expect(plan.changes.demandVcpu).toEqual([30, 30]);
    expect(plan.changes.demandMemoryGiB).toEqual([76, 76]);
    // As containers, four replicas per service, each a quarter of the service's total: db 4 x (2 vCPU, 7 GiB).
    const db = plan.containers.vms.flatMap((v) => v.containers).filter((c) => c.service === 'db');
    expect(db.map((c) => [c.vcpu, c.memoryGiB])).toEqual(Array(4).fill([2, 7]));
    // Per replica, 25% headroom too: a 3 vCPU replica fills a D4s_v5 (3 of 4 usable), a 4 vCPU one needs a
    // D8s_v5; the cache (2 vCPU, 12.5 GiB with its guest OS) fits an E4s_v5 (3 vCPU, 24 GiB usable).
    expect(plan.vmPerReplica.totals.bySize).toEqual({ Standard_D4s_v5: 4, Standard_D8s_v5: 4, Standard_E4s_v5: 1 });
    // As containers: 6 D8s_v5 (first-fit decreasing alone opened 12 D4s_v5, the same compute and twice the disks).
    expect(plan.containers.totals.bySize).toEqual({ Standard_D8s_v5: 6 });
    expect(plan.changes.vms).toEqual([9, 6]);
    // The spread rule still holds: one replica of a service per VM.
    for (const vm of plan.containers.vms) expect(new Set(vm.containers.map((c) => c.service)).size).toBe(vm.containers.length);
    expect(plan.changes.instances).toEqual([9, 20]);
    for (const vm of plan.containers.vms) expect(vm.vcpuLoad).toBeLessThanOrEqual(0.75 + 1e-9);
    // Compute: (4 x 0.192 + 4 x 0.384 + 0.252) x 730 and 6 x 0.384 x 730; one P4 OS disk per VM at 5.2795.
    expect(plan.changes.computeMonthlyCost[0]).toBeCloseTo(1865.88, 6);
    expect(plan.changes.computeMonthlyCost[1]).toBeCloseTo(1681.92, 6);
    expect(plan.vmPerReplica.totals.disksByTier).toEqual({ P4: 9 });
    expect(plan.containers.totals.disksByTier).toEqual({ P4: 6 });
    expect(plan.changes.diskMonthlyCost[0]).toBeCloseTo(9 * 5.2795, 6);
    expect(plan.changes.diskMonthlyCost[1]).toBeCloseTo(6 * 5.2795, 6);
    expect(plan.changes.monthlyCost[0]).toBeCloseTo(1865.88 + 9 * 5.2795, 6);
    expect(plan.changes.monthlyCost[1]).toBeCloseTo(1681.92 + 6 * 5.2795, 6);
    expect(plan.changes.guestOsCopies).toEqual([9, 6]);
  });
});

describe('equal terms', () => {
  const svc = [{ name: 'a', replicas: 2, vcpu: 3, memoryGiB: 4 }];

  it('keeps the headroom on one-VM-per-replica VMs as on container hosts', () => {
    // 3 vCPU + no guest vCPU: a D4s_v5 at 75% offers exactly 3; a 4 vCPU replica needs a D8s_v5.
    expect(planVmPerReplica(svc, DEFAULT_CATALOGUE, ov(0.5), opts({ headroom: 0.25 }))[0].size).toBe('Standard_D4s_v5');
    expect(planVmPerReplica([{ ...svc[0], vcpu: 4 }], DEFAULT_CATALOGUE, ov(0.5), opts({ headroom: 0.25 }))[0].size).toBe('Standard_D8s_v5');
    expect(planVmPerReplica([{ ...svc[0], vcpu: 4 }], DEFAULT_CATALOGUE, ov(0.5), opts({ headroom: 0 }))[0].size).toBe('Standard_D4s_v5');
  });

  it('refuses a container shape that serves another demand, naming both totals', () => {
    const bad = ConsolidationScenario.safeParse({ kind: 'consolidation', services: [{ ...svc[0], containers: { replicas: 4, vcpu: 1, memoryGiB: 2 } }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['services', 0, 'containers']);
    expect(bad.error!.issues[0].message).toMatch(/as VMs it asks for 6 vCPU and 8 GiB in total .* as containers 4 vCPU and 8 GiB .*same demand/);
    // The same totals in another shape are fine.
    expect(ConsolidationScenario.safeParse({ kind: 'consolidation', services: [{ ...svc[0], containers: { replicas: 4, vcpu: 1.5, memoryGiB: 2 } }] }).success).toBe(true);
    expect(() => planConsolidation([{ ...svc[0], containers: { replicas: 3, vcpu: 1 } }], DEFAULT_CATALOGUE, ov(0.5), opts())).toThrow(/services\.a: as VMs/);
  });

  it('prices each OS disk at the tier that holds the guest OS and the containers on it', () => {
    // 30 GiB guest OS: P4 (32 GiB). With 1.5 GiB of image layers per container, a host of 3 needs 34.5: P6.
    const withDisk: Overheads = { vm: { ...none, memoryGiB: 0.5, diskGiB: 30 }, container: { ...none, diskGiB: 1.5 } };
    const plan = planConsolidation([{ name: 'a', replicas: 3, vcpu: 1, memoryGiB: 1 }], DEFAULT_CATALOGUE, withDisk, opts({ maxReplicasPerVm: 3, hostSize: 'Standard_D4s_v5' }));
    expect(plan.vmPerReplica.totals.disksByTier).toEqual({ P4: 3 });
    expect(plan.containers.vms[0].diskGiB).toBe(34.5);
    expect(plan.containers.totals.disksByTier).toEqual({ P6: 1 });
    expect(plan.containers.totals.diskMonthlyCost).toBeCloseTo(9.2801, 6);
    expect(plan.diskType).toBe('Premium SSD LRS');
    // A catalogue without disk tiers prices no disks, and says so.
    const bare = planConsolidation(svc, Catalogue.parse({ sizes: [host] }), withDisk, opts());
    expect(bare.diskType).toBeUndefined();
    expect(bare.changes.diskMonthlyCost).toEqual([0, 0]);
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
    expect(o.sources.memoryGiB).toMatchObject({ kind: 'measured', runId: 'r1' });
    expect(o.sources.memoryGiB.detail).toContain('guestMemUsedBytes');
    expect(o.sources.diskGiB).toBe(ref.sources.diskGiB);
    expect(o.sources.vcpu).toBe(ref.sources.vcpu);
  });

  it('fall back to the references when the run recorded no footprint', () => {
    expect(overheadFromRun(run(undefined), ref)).toBe(ref);
  });
});
