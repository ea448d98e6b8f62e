import { engineFacts } from '../../docker/engine';
import { findTool } from '../../vm/keys';
import { unavailable, type ModelEntry, type ModelRegistration } from '../types';

/**
 * Models isolab knows of but has no driver for: a row that says whether the tool is on this host and how to add
 * it, never a number. `runtimes` are the engine runtime names that make it a container:RUNTIME the container
 * family measures like any other (then this row stays silent).
 */
interface AbsentSpec {
  model: string;
  tool: string;
  binaries: string[];
  install: string;
  runtimes?: string[];
}

function absentModel(s: AbsentSpec): ModelRegistration {
  return {
    id: s.model,
    family: 'absent',
    capabilities: { startup: false, footprint: false, density: false, facts: false, race: false },
    async discover(ctx): Promise<ModelEntry[]> {
      if (s.runtimes) {
        const listed = await ctx.docker().then(engineFacts).then((f) => f.runtimes ?? [], () => [] as string[]);
        if (listed.some((r) => s.runtimes!.includes(r))) return [];
      }
      const found = await findTool(s.binaries);
      if (found) {
        const text = s.runtimes
          ? `${s.tool} is installed (${found}) but the engine lists no ${s.runtimes.join(' or ')} runtime: register it in dockerd's runtimes to measure it as a container runtime`
          : `${s.tool} is installed (${found}) but isolab has no driver for it yet: nothing is measured`;
        return [{ model: s.model, unavailable: unavailable('no-driver', { tool: s.tool, path: found }, text) }];
      }
      return [{ model: s.model, unavailable: unavailable('not-installed', { tool: s.tool, install: s.install }, `not installed: ${s.tool} (${s.install})`) }];
    },
  };
}

export const kataModel = absentModel({
  model: 'container:kata',
  tool: 'Kata Containers',
  binaries: ['kata-runtime', 'containerd-shim-kata-v2'],
  install: 'kata-containers, registered in dockerd as the io.containerd.kata.v2 runtime',
  runtimes: ['kata', 'kata-runtime', 'io.containerd.kata.v2'],
});
export const firecrackerModel = absentModel({
  model: 'vm:firecracker',
  tool: 'Firecracker',
  binaries: ['firecracker'],
  install: 'github.com/firecracker-microvm/firecracker + /dev/kvm',
});
export const cloudHypervisorModel = absentModel({
  model: 'vm:cloud-hypervisor',
  tool: 'Cloud Hypervisor',
  binaries: ['cloud-hypervisor'],
  install: 'github.com/cloud-hypervisor/cloud-hypervisor + /dev/kvm',
});
export const podmanModel = absentModel({ model: 'podman', tool: 'Podman', binaries: ['podman'], install: 'apt-get install podman' });
export const lxcModel = absentModel({ model: 'lxc', tool: 'LXC', binaries: ['lxc-start', 'lxc'], install: 'apt-get install lxc' });
