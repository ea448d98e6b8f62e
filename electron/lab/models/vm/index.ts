import { vmDensity } from '../../vm/density';
import { findKernel } from '../../vm/kernel';
import { findQemu, machineType, type Machine } from '../../vm/qemu';
import { QemuTarget, vmModelName } from '../../vm/target';
import { floorTarget } from '../process';
import { RemoteVmTarget, remoteVmBlocker, remoteVmProbe } from '../../remote/vm-target';
import { unavailable, type ModelRegistration } from '../types';

/**
 * The local VM, one model per machine family: the full VM (`q35`, or `pc` asked for by `--machine pc`) is
 * vm:qemu, `-M microvm` (virtio-mmio, no PCI, no firmware) vm:microvm. Both boot isolab's kit with the same
 * accelerator detection and SSH readiness; the model's name gets the accelerator once it is chosen.
 * Runnable when QEMU (with that machine type) and a guest kernel are here: no kernel is fetched without the
 * user's consent, so discovery never downloads one.
 */
function vmModel(machine: Machine, benchMachines: readonly (Machine | undefined)[]): ModelRegistration {
  const model = vmModelName(machine);
  return {
    id: model,
    family: 'vm',
    capabilities: { startup: true, footprint: true, density: true, facts: true, race: false },
    async discover(ctx) {
      try {
        const qemu = await findQemu();
        if (!(await machineType(qemu, machine))) throw new Error(`${qemu} has no ${machine} machine type (see \`${qemu} -machine help\`)`);
        await findKernel({ root: ctx.root });
      } catch (err) {
        const reason = (err as Error).message;
        return [{ model, unavailable: unavailable('host-cannot-run', { reason }, reason) }];
      }
      return [
        {
          model,
          target: (runId: string) => new QemuTarget({ runId, root: ctx.root, machine }),
          density: (d) => vmDensity({ root: ctx.root, runId: d.runId, count: d.count, machine, signal: d.signal, log: d.log }),
        },
      ];
    },
    // On a remote host: this machine's kit uploaded there, each boot one exec of bash timed on the remote clock.
    async discoverRemote(ctx) {
      const { conn } = ctx.remote;
      const probe = await remoteVmProbe(conn);
      let why = remoteVmBlocker(probe, machine);
      // The kit is built here from this machine's guest kernel (never downloaded by discovery).
      if (!why) why = await findKernel({ root: ctx.root }).then(() => undefined, (err: Error) => `the VM kit is built here and uploaded: ${err.message}`);
      if (why || !probe.qemu || !probe.bash) return [{ model, unavailable: unavailable('host-cannot-run', { reason: why ?? '' }, why ?? '') }];
      const p = { ...probe, qemu: probe.qemu, bash: probe.bash };
      let target: RemoteVmTarget | undefined;
      return [
        {
          model,
          target: (runId: string) => (target = new RemoteVmTarget({ conn, probe: p, machine, runId, root: ctx.root, log: ctx.log })),
          clock: () => target?.clock(),
        },
      ];
    },
    bench: {
      matches: (plan) => plan.target === 'vm' && benchMachines.includes(plan.machine),
      model: () => model,
      runPrefix: () => 'vm',
      async targets(plan, runId, ctx) {
        if (plan.workload) throw new Error('the vm target times its own boot to SSH; workloads are not supported for vm yet (drop the workload)');
        const vm = new QemuTarget({ runId, root: ctx.root, memoryMiB: plan.memoryMiB, accel: plan.accel, machine: plan.machine, kernel: plan.kernel, allowApt: plan.allowApt, density: plan.density });
        return { target: vm, baseline: plan.baseline ? floorTarget(plan) : undefined };
      },
    },
  };
}

export const vmQemu = vmModel('q35', [undefined, 'q35', 'pc']);
export const vmMicrovm = vmModel('microvm', ['microvm']);
