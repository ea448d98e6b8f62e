import { isBurstable, monthly, type Catalogue, type VmSize } from './catalogue';
import type { Overheads } from './overheads';

/**
 * The consolidation planner: the same services, run one VM per replica or as containers packed onto VMs.
 *
 * How the numbers are derived (the Learn page cites this):
 *
 * 1. One VM per replica. Each replica needs its own guest OS, so it needs
 *    vCPU = replica vCPU + guest OS vCPU and memory = replica memory + guest OS memory.
 *    It gets the cheapest catalogue size with at least that much of both (ties: fewer vCPUs, then less memory).
 *    Burstable sizes are left out unless allowed: their vCPUs run at a fraction of a core on sustained load.
 * 2. Containers packed onto VMs. Every container host is a VM of one size (a homogeneous pool, like a node pool)
 *    carrying one guest OS; each container adds the per-container overhead. A host may fill only up to
 *    (1 - headroom) of its vCPUs and of its memory: guest OS + sum(container + overhead) <= (1 - headroom) x size.
 *    Replicas of one service are spread: at most `maxReplicasPerVm` of them on one VM (1: every replica on a
 *    distinct VM, so losing a VM loses at most one replica of each service).
 *    Packing is first-fit decreasing: containers sorted by their largest share of a host (vCPU or memory),
 *    biggest first, each placed on the first open VM where it fits and the spread rule allows, else on a new VM.
 *    Unless the scenario names the host size, every size that can hold the largest container is tried and the
 *    cheapest plan is kept (ties: fewer VMs).
 * 3. Utilization is what the services ask for (without overheads) divided by what the VMs offer, per resource.
 *    Monthly cost is the sum of hourly prices x hoursPerMonth (730). Prices are indicative unless refreshed.
 * 4. Guest OS memory and disk are counted once per VM: that is the overhead consolidation removes.
 *
 * Each service may be shaped differently when containerised (`containers`: more, smaller replicas), because
 * containers are cheap enough to run more replicas for redundancy and load balancing; by default it is the same.
 */

export interface ServiceShape {
  replicas: number;
  vcpu: number;
  memoryGiB: number;
}

export interface Service extends ServiceShape {
  name: string;
  containers?: Partial<ServiceShape>;
}

export interface PlanOptions {
  headroom: number;
  maxReplicasPerVm: number;
  /** Force the size of every VM in the one-VM-per-replica plan. */
  vmSize?: string;
  /** Force the size of the container hosts. */
  hostSize?: string;
  allowBurstable: boolean;
}

export interface PerReplicaVm {
  size: string;
  service: string;
  replica: number;
  vcpuUsed: number;
  memoryUsedGiB: number;
}

export interface HostVm {
  index: number;
  size: string;
  containers: { service: string; replica: number; vcpu: number; memoryGiB: number }[];
  vcpuUsed: number;
  memoryUsedGiB: number;
  /** Used (with overheads) over the size's capacity. */
  vcpuLoad: number;
  memoryLoad: number;
}

export interface StrategyTotals {
  vmCount: number;
  bySize: Record<string, number>;
  instances: number;
  vcpus: number;
  memoryGiB: number;
  demandVcpu: number;
  demandMemoryGiB: number;
  utilization: { vcpu: number; memory: number };
  overheadMemoryGiB: number;
  overheadDiskGiB: number;
  guestOsCopies: number;
  monthlyCost: number;
}

export interface ConsolidationPlan {
  vmPerReplica: { vms: PerReplicaVm[]; totals: StrategyTotals };
  containers: { hostSize: string; vms: HostVm[]; totals: StrategyTotals; triedSizes: { size: string; vmCount: number; monthlyCost: number }[] };
  changes: {
    vms: [number, number];
    instances: [number, number];
    monthlyCost: [number, number];
    savingsPct: number;
    guestOsCopies: [number, number];
    overheadMemoryGiB: [number, number];
    overheadDiskGiB: [number, number];
    utilizationVcpu: [number, number];
    utilizationMemory: [number, number];
  };
  currency: string;
  indicativePrices: boolean;
}

export class PlanError extends Error {
  override name = 'PlanError';
}

const EPS = 1e-9;

function byPrice(a: VmSize, b: VmSize): number {
  return a.pricePerHour - b.pricePerHour || a.vcpus - b.vcpus || a.memoryGiB - b.memoryGiB || a.name.localeCompare(b.name);
}

function sizesFor(cat: Catalogue, opts: PlanOptions, forced: string | undefined, what: string): VmSize[] {
  if (forced) {
    const s = cat.sizes.find((x) => x.name === forced);
    if (!s) throw new PlanError(`${what}: no VM size named ${forced} in the catalogue; known sizes: ${cat.sizes.map((x) => x.name).join(', ')}`);
    return [s];
  }
  const usable = cat.sizes.filter((s) => opts.allowBurstable || !isBurstable(s)).sort(byPrice);
  if (usable.length === 0) throw new PlanError('the catalogue has only burstable sizes; set allowBurstable: true or add sizes');
  return usable;
}

export function containerShape(s: Service): ServiceShape {
  return {
    replicas: s.containers?.replicas ?? s.replicas,
    vcpu: s.containers?.vcpu ?? s.vcpu,
    memoryGiB: s.containers?.memoryGiB ?? s.memoryGiB,
  };
}

/** Strategy 1: one VM per replica, each on the cheapest size that fits the replica and its guest OS. */
export function planVmPerReplica(services: Service[], cat: Catalogue, ov: Overheads, opts: PlanOptions): PerReplicaVm[] {
  const sizes = sizesFor(cat, opts, opts.vmSize, 'vmSize');
  const vms: PerReplicaVm[] = [];
  for (const s of services) {
    const needV = s.vcpu + ov.vm.vcpu;
    const needM = s.memoryGiB + ov.vm.memoryGiB;
    const size = sizes.find((z) => z.vcpus + EPS >= needV && z.memoryGiB + EPS >= needM);
    if (!size) {
      throw new PlanError(
        `services.${s.name}: a replica needs ${round(needV)} vCPU and ${round(needM)} GiB with its guest OS; no ${opts.vmSize ? `${opts.vmSize}` : 'catalogue size'} is that large`,
      );
    }
    for (let r = 1; r <= s.replicas; r++) vms.push({ size: size.name, service: s.name, replica: r, vcpuUsed: needV, memoryUsedGiB: needM });
  }
  return vms;
}

interface Item {
  service: string;
  replica: number;
  vcpu: number;
  memoryGiB: number;
}

/** Strategy 2 on one host size: first-fit decreasing with the spread rule; undefined if a container cannot fit. */
export function packOnSize(services: Service[], size: VmSize, ov: Overheads, opts: PlanOptions): HostVm[] | undefined {
  const capV = size.vcpus * (1 - opts.headroom);
  const capM = size.memoryGiB * (1 - opts.headroom);
  const items: Item[] = [];
  for (const s of services) {
    const sh = containerShape(s);
    for (let r = 1; r <= sh.replicas; r++) items.push({ service: s.name, replica: r, vcpu: sh.vcpu, memoryGiB: sh.memoryGiB });
  }
  const share = (i: Item) => Math.max((i.vcpu + ov.container.vcpu) / capV, (i.memoryGiB + ov.container.memoryGiB) / capM);
  items.sort((a, b) => share(b) - share(a) || a.service.localeCompare(b.service) || a.replica - b.replica);
  const hosts: HostVm[] = [];
  for (const it of items) {
    const v = it.vcpu + ov.container.vcpu;
    const m = it.memoryGiB + ov.container.memoryGiB;
    if (ov.vm.vcpu + v > capV + EPS || ov.vm.memoryGiB + m > capM + EPS) return undefined;
    let host = hosts.find(
      (h) =>
        h.vcpuUsed + v <= capV + EPS &&
        h.memoryUsedGiB + m <= capM + EPS &&
        h.containers.filter((c) => c.service === it.service).length < opts.maxReplicasPerVm,
    );
    if (!host) {
      host = { index: hosts.length + 1, size: size.name, containers: [], vcpuUsed: ov.vm.vcpu, memoryUsedGiB: ov.vm.memoryGiB, vcpuLoad: 0, memoryLoad: 0 };
      hosts.push(host);
    }
    host.containers.push({ service: it.service, replica: it.replica, vcpu: it.vcpu, memoryGiB: it.memoryGiB });
    host.vcpuUsed += v;
    host.memoryUsedGiB += m;
  }
  for (const h of hosts) {
    h.vcpuLoad = h.vcpuUsed / size.vcpus;
    h.memoryLoad = h.memoryUsedGiB / size.memoryGiB;
  }
  return hosts;
}

function totals(
  sizes: { name: string; instances: number }[],
  cat: Catalogue,
  demandV: number,
  demandM: number,
  overheadM: number,
  overheadD: number,
  guestOs: number,
): StrategyTotals {
  const bySize: Record<string, number> = {};
  let vcpus = 0;
  let mem = 0;
  let cost = 0;
  let instances = 0;
  for (const s of sizes) {
    const z = cat.sizes.find((x) => x.name === s.name)!;
    bySize[s.name] = (bySize[s.name] ?? 0) + 1;
    vcpus += z.vcpus;
    mem += z.memoryGiB;
    cost += monthly(z.pricePerHour, cat);
    instances += s.instances;
  }
  return {
    vmCount: sizes.length,
    bySize,
    instances,
    vcpus,
    memoryGiB: mem,
    demandVcpu: demandV,
    demandMemoryGiB: demandM,
    utilization: { vcpu: vcpus ? demandV / vcpus : 0, memory: mem ? demandM / mem : 0 },
    overheadMemoryGiB: overheadM,
    overheadDiskGiB: overheadD,
    guestOsCopies: guestOs,
    monthlyCost: cost,
  };
}

/** Both strategies and what changed between them. */
export function planConsolidation(services: Service[], cat: Catalogue, ov: Overheads, opts: PlanOptions): ConsolidationPlan {
  const names = new Set<string>();
  for (const s of services) {
    if (names.has(s.name)) throw new PlanError(`services: the name ${s.name} appears twice; give each service its own name`);
    names.add(s.name);
  }
  if (!(opts.headroom >= 0 && opts.headroom < 1)) throw new PlanError('headroom must be at least 0 and below 1 (0.25 keeps a quarter of each VM free)');

  const perReplica = planVmPerReplica(services, cat, ov, opts);
  const dV1 = services.reduce((a, s) => a + s.vcpu * s.replicas, 0);
  const dM1 = services.reduce((a, s) => a + s.memoryGiB * s.replicas, 0);
  const t1 = totals(
    perReplica.map((v) => ({ name: v.size, instances: 1 })),
    cat,
    dV1,
    dM1,
    perReplica.length * ov.vm.memoryGiB,
    perReplica.length * ov.vm.diskGiB,
    perReplica.length,
  );

  const tried: { size: string; vmCount: number; monthlyCost: number; hosts: HostVm[] }[] = [];
  for (const size of sizesFor(cat, opts, opts.hostSize, 'hostSize')) {
    const hosts = packOnSize(services, size, ov, opts);
    if (hosts) tried.push({ size: size.name, vmCount: hosts.length, monthlyCost: hosts.length * monthly(size.pricePerHour, cat), hosts });
  }
  if (tried.length === 0) {
    throw new PlanError(
      `${opts.hostSize ? `hostSize ${opts.hostSize}` : 'no catalogue size'} can hold the largest container with its overhead under headroom ${opts.headroom}; lower the headroom or choose a larger size`,
    );
  }
  tried.sort((a, b) => a.monthlyCost - b.monthlyCost || a.vmCount - b.vmCount || a.size.localeCompare(b.size));
  const best = tried[0];
  const shapes = services.map(containerShape);
  const nContainers = shapes.reduce((a, s) => a + s.replicas, 0);
  const dV2 = shapes.reduce((a, s) => a + s.vcpu * s.replicas, 0);
  const dM2 = shapes.reduce((a, s) => a + s.memoryGiB * s.replicas, 0);
  const t2 = totals(
    best.hosts.map((h) => ({ name: h.size, instances: h.containers.length })),
    cat,
    dV2,
    dM2,
    best.hosts.length * ov.vm.memoryGiB + nContainers * ov.container.memoryGiB,
    best.hosts.length * ov.vm.diskGiB + nContainers * ov.container.diskGiB,
    best.hosts.length,
  );

  return {
    vmPerReplica: { vms: perReplica, totals: t1 },
    containers: { hostSize: best.size, vms: best.hosts, totals: t2, triedSizes: tried.map(({ size, vmCount, monthlyCost }) => ({ size, vmCount, monthlyCost })) },
    changes: {
      vms: [t1.vmCount, t2.vmCount],
      instances: [t1.instances, t2.instances],
      monthlyCost: [t1.monthlyCost, t2.monthlyCost],
      savingsPct: t1.monthlyCost > 0 ? (100 * (t1.monthlyCost - t2.monthlyCost)) / t1.monthlyCost : 0,
      guestOsCopies: [t1.guestOsCopies, t2.guestOsCopies],
      overheadMemoryGiB: [t1.overheadMemoryGiB, t2.overheadMemoryGiB],
      overheadDiskGiB: [t1.overheadDiskGiB, t2.overheadDiskGiB],
      utilizationVcpu: [t1.utilization.vcpu, t2.utilization.vcpu],
      utilizationMemory: [t1.utilization.memory, t2.utilization.memory],
    },
    currency: cat.currency,
    indicativePrices: cat.indicative,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
