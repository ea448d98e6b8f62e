import { describe, expect, it } from 'vitest';
import { CLASSIC_CONSOLIDATION, ConsolidationScenario, machineFigures, referenceOverheads, runConsolidation } from '../../../shared/sim';
import { builtComparison } from '../../helpers/machine-docs';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const machine = builtComparison({
  id: 'cmp-b',
  startedAt: '2026-11-02T09:00:00Z',
  machineId: 'b'.repeat(32),
  models: [
    { model: 'process', readyMs: 1, hostBytes: MiB },
    { model: 'container:crun', readyMs: 7, hostBytes: 3 * MiB },
    { model: 'container:runc', readyMs: 8, hostBytes: 9 * MiB, latencySlopeMs: 2 },
    { model: 'vm:microvm', readyMs: 300, hostBytes: 200 * MiB },
    { model: 'vm:qemu', readyMs: 600, hostBytes: 420 * MiB },
  ],
});

describe('the simulator from a machine', () => {
  it('takes runc and the full VM as the container and the VM, with their startups and density', () => {
    const fig = machineFigures(machine);
    expect(fig.memory).toEqual({
      vm: { model: 'vm:qemu', bytes: 420 * MiB, method: 'host' },
      container: { model: 'container:runc', bytes: 9 * MiB, method: 'host' },
    });
    expect(fig.startups.find((s) => s.model === 'container:runc')).toMatchObject({ medianMs: 8, runId: 'cmp-b-container-runc' });
    expect(fig.startups.find((s) => s.model === 'container:runc')?.latencySlopeMs).toBeCloseTo(2, 6);
  });

  it('puts the machine’s memory in place of the references, keeps the rest labelled as defaults, and a scenario’s own figure wins', () => {
    const s = ConsolidationScenario.parse(CLASSIC_CONSOLIDATION);
    const ref = referenceOverheads();
    const plain = runConsolidation(s);
    const fromMachine = runConsolidation(s, new Map(), undefined, machineFigures(machine));
    expect(plain.overheads.vm.memoryGiB).toBe(ref.vm.memoryGiB);
    expect(fromMachine.overheads.vm.memoryGiB).toBeCloseTo((420 * MiB) / GiB, 9);
    expect(fromMachine.overheads.container.memoryGiB).toBeCloseTo((9 * MiB) / GiB, 9);
    expect(fromMachine.overheads.vm.sources.memoryGiB).toMatchObject({ kind: 'measured', comparisonId: 'cmp-b', model: 'vm:qemu' });
    // Not measured by a comparison: the defaults, with their own sources.
    expect(fromMachine.overheads.vm.sources.diskGiB).toEqual(ref.vm.sources.diskGiB);
    expect(fromMachine.overheads.container.sources.vcpu).toEqual(ref.container.sources.vcpu);
    // The plan moves with its inputs: less guest memory per VM than the 0.5 GiB default, a different total.
    expect(fromMachine.plan.vmPerReplica.totals.overheadMemoryGiB).not.toBe(plain.plan.vmPerReplica.totals.overheadMemoryGiB);
    const given = runConsolidation(ConsolidationScenario.parse({ ...CLASSIC_CONSOLIDATION, overheads: { vm: { memoryGiB: 1 } } }), new Map(), undefined, machineFigures(machine));
    expect(given.overheads.vm.memoryGiB).toBe(1);
    expect(given.overheads.vm.sources.memoryGiB.kind).toBe('input');
  });

  it('leaves the defaults alone when the machine measured no memory', () => {
    const bare = builtComparison({ id: 'bare', startedAt: '2026-11-02T09:00:00Z', models: [{ model: 'container:runc', readyMs: 8 }] });
    const s = ConsolidationScenario.parse(CLASSIC_CONSOLIDATION);
    expect(runConsolidation(s, new Map(), undefined, machineFigures(bare)).overheads).toEqual(referenceOverheads());
  });
});
