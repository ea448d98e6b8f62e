import { diskTierFor, isBurstable, monthly, type Catalogue, type VmSize } from './catalogue';
import type { Overheads } from './overheads';

/**
 * The consolidation planner: the same services, with the same demand, run one VM per replica or as containers
 * packed onto VMs.
 *
 * How the numbers are derived (the Learn page cites this):
 *
 * 1. Demand. A service asks for `replicas` x (`vcpu`, `memoryGiB`): that total is the application's demand, and
 *    both plans must serve exactly it. As containers a service usually runs more, smaller replicas
 *    (`containers.replicas`); each then gets an even share of the same total. Neither plan counts its
 *    isolation's overhead as demand: that overhead is what the comparison is about.
 * 2. Headroom, the same on both sides: every VM, whatever it runs, may fill only (1 - headroom) of its vCPUs and
 *    of its memory. Overheads count against that: guest OS + contents <= (1 - headroom) x size.
 * 3. One VM per replica. Each replica needs its own guest OS: vCPU = replica vCPU + guest OS vCPU and memory =
 *    replica memory + guest OS memory, within the headroom. It gets the cheapest catalogue size that fits (ties:
 *    fewer vCPUs, then less memory). Burstable sizes are left out unless allowed: their vCPUs run at a fraction
 *    of a core on sustained load.
 * 4. Containers packed onto VMs. Every container host is a VM of one size (a homogeneous pool, like a node pool)
 *    carrying one guest OS; each container adds the per-container overhead. Replicas of one service are spread:
 *    at most `maxReplicasPerVm` of them on one VM (1: every replica on a distinct VM, so losing a VM loses at
 *    most one replica of each service). Packing starts first-fit decreasing: containers sorted by their
 *    largest share of a host (vCPU or memory), biggest first, each placed on the first open VM where it fits and
 *    the spread rule allows, else on a new VM; then a bounded search looks for a packing on fewer VMs. Unless the scenario names the host size, every size that can hold the
 *    largest container is tried and the cheapest plan is kept (ties: fewer VMs).
 * 5. Disks. Every VM has an OS disk holding its guest OS (and, on a container host, the containers' disk
 *    overhead), billed at the smallest catalogue disk tier that holds it. Data disks serve the application's
 *    data, equal on both sides, and are left out of both.
 * 6. Utilization is the demand divided by what the VMs offer, per resource. Monthly cost is compute (hourly
 *    price x hoursPerMonth, 730) plus OS disks (price per month). Prices are indicative unless refreshed.
 */

interface ServiceShape {
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
  /** The OS disk's tier, when the catalogue prices disks. */
  disk?: string;
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
  /** What the OS disk holds: the guest OS and the containers' disk overhead. */
  diskGiB: number;
  disk?: string;
}

interface StrategyTotals {
  vmCount: number;
  bySize: Record<string, number>;
  instances: number;
  /** What the VMs offer. */
  vcpus: number;
  memoryGiB: number;
  /** What the services ask for, without overheads: the same on both sides. */
  demandVcpu: number;
  demandMemoryGiB: number;
  /** What the isolation adds: guest OS copies, per-container overheads. */
  overheadVcpu: number;
  overheadMemoryGiB: number;
  overheadDiskGiB: number;
  utilization: { vcpu: number; memory: number };
  guestOsCopies: number;
  /** OS disks by tier, and what they provision. */
  disksByTier: Record<string, number>;
  diskGiB: number;
  computeMonthlyCost: number;
  diskMonthlyCost: number;
  monthlyCost: number;
}

export interface ConsolidationPlan {
  vmPerReplica: { vms: PerReplicaVm[]; totals: StrategyTotals };
  containers: { hostSize: string; vms: HostVm[]; totals: StrategyTotals; triedSizes: { size: string; vmCount: number; monthlyCost: number }[] };
  changes: {
    vms: [number, number];
    instances: [number, number];
    demandVcpu: [number, number];
    demandMemoryGiB: [number, number];
    computeMonthlyCost: [number, number];
    diskMonthlyCost: [number, number];
    monthlyCost: [number, number];
    savingsPct: number;
    guestOsCopies: [number, number];
    overheadMemoryGiB: [number, number];
    overheadDiskGiB: [number, number];
    utilizationVcpu: [number, number];
    utilizationMemory: [number, number];
  };
  headroom: number;
  currency: string;
  /** The disk type priced, or undefined when the catalogue has no disk tiers (disks then cost nothing here). */
  diskType?: string;
}

export class ConsolidationError extends Error {
  override name = 'ConsolidationError';
}

const EPS = 1e-9;

function byPrice(a: VmSize, b: VmSize): number {
  return a.pricePerHour - b.pricePerHour || a.vcpus - b.vcpus || a.memoryGiB - b.memoryGiB || a.name.localeCompare(b.name);
}

function sizesFor(cat: Catalogue, opts: PlanOptions, forced: string | undefined, what: string): VmSize[] {
  if (forced) {
    const s = cat.sizes.find((x) => x.name === forced);
    if (!s) throw new ConsolidationError(`${what}: no VM size named ${forced} in the catalogue; known sizes: ${cat.sizes.map((x) => x.name).join(', ')}`);
    return [s];
  }
  const usable = cat.sizes.filter((s) => opts.allowBurstable || !isBurstable(s)).sort(byPrice);
  if (usable.length === 0) throw new ConsolidationError('the catalogue has only burstable sizes; set allowBurstable: true or add sizes');
  return usable;
}

/** A service as containers: its replica count there, each an even share of the same total demand unless given. */
function containerShape(s: Service): ServiceShape {
  const replicas = s.containers?.replicas ?? s.replicas;
  return {
    replicas,
    vcpu: s.containers?.vcpu ?? (s.vcpu * s.replicas) / replicas,
    memoryGiB: s.containers?.memoryGiB ?? (s.memoryGiB * s.replicas) / replicas,
  };
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Why a service's container shape asks for another demand than its VM shape, or undefined when they match. */
export function demandMismatch(s: Service): string | undefined {
  const c = containerShape(s);
  const [v1, m1, v2, m2] = [s.replicas * s.vcpu, s.replicas * s.memoryGiB, c.replicas * c.vcpu, c.replicas * c.memoryGiB];
  if (same(v1, v2) && same(m1, m2)) return undefined;
  return (
    `as VMs it asks for ${round(v1)} vCPU and ${round(m1)} GiB in total (${s.replicas} x ${s.vcpu} vCPU, ${s.memoryGiB} GiB), as containers ` +
    `${round(v2)} vCPU and ${round(m2)} GiB (${c.replicas} x ${round(c.vcpu)} vCPU, ${round(c.memoryGiB)} GiB); both plans must serve the same demand: ` +
    `give containers.replicas alone (each container then gets an even share) or a shape with the same totals, and put what a container adds in overheads.container`
  );
}

/** Strategy 1: one VM per replica, each on the cheapest size that fits the replica and its guest OS within the headroom. */
export function planVmPerReplica(services: Service[], cat: Catalogue, ov: Overheads, opts: PlanOptions): PerReplicaVm[] {
  const sizes = sizesFor(cat, opts, opts.vmSize, 'vmSize');
  const fill = 1 - opts.headroom;
  const disk = osDisk(cat, ov.vm.diskGiB);
  const vms: PerReplicaVm[] = [];
  for (const s of services) {
    const needV = s.vcpu + ov.vm.vcpu;
    const needM = s.memoryGiB + ov.vm.memoryGiB;
    const size = sizes.find((z) => z.vcpus * fill + EPS >= needV && z.memoryGiB * fill + EPS >= needM);
    if (!size) {
      throw new ConsolidationError(
        `services.${s.name}: a replica needs ${round(needV)} vCPU and ${round(needM)} GiB with its guest OS, and the VM keeps ${round(100 * opts.headroom)}% headroom; no ${opts.vmSize ? `${opts.vmSize}` : 'catalogue size'} is that large`,
      );
    }
    for (let r = 1; r <= s.replicas; r++) vms.push({ size: size.name, service: s.name, replica: r, vcpuUsed: needV, memoryUsedGiB: needM, disk: disk?.name });
  }
  return vms;
}

/** The OS disk tier for `gib`, undefined when the catalogue prices no disks. */
function osDisk(cat: Catalogue, gib: number) {
  if (!cat.disks) return undefined;
  const tier = diskTierFor(cat, gib);
  if (!tier) throw new ConsolidationError(`an OS disk of ${round(gib)} GiB is larger than every disk tier in the catalogue (largest ${Math.max(...cat.disks.tiers.map((t) => t.sizeGiB))} GiB)`);
  return tier;
}

interface Item {
  service: string;
  replica: number;
  vcpu: number;
  memoryGiB: number;
}

/**
 * Strategy 2 on one host size: the fewest hosts that hold every container under the headroom and the spread
 * rule; undefined if a container cannot fit. First-fit decreasing alone can open a host too many (9 VMs of the
 * classic example on D8s_v5 where 6 hold them), so: first-fit decreasing, then a bounded search for a packing
 * with fewer hosts (branch and bound over the same order, stopped at the lower bound or after SEARCH_NODES).
 */
export function packOnSize(services: Service[], size: VmSize, ov: Overheads, opts: PlanOptions): HostVm[] | undefined {
  const capV = size.vcpus * (1 - opts.headroom);
  const capM = size.memoryGiB * (1 - opts.headroom);
  const items: Item[] = [];
  for (const s of services) {
    const sh = containerShape(s);
    for (let r = 1; r <= sh.replicas; r++) items.push({ service: s.name, replica: r, vcpu: sh.vcpu, memoryGiB: sh.memoryGiB });
  }
  const v = (i: Item) => i.vcpu + ov.container.vcpu;
  const m = (i: Item) => i.memoryGiB + ov.container.memoryGiB;
  if (items.some((i) => ov.vm.vcpu + v(i) > capV + EPS || ov.vm.memoryGiB + m(i) > capM + EPS)) return undefined;
  const share = (i: Item) => Math.max(v(i) / (capV - ov.vm.vcpu || EPS), m(i) / (capM - ov.vm.memoryGiB || EPS));
  items.sort((a, b) => share(b) - share(a) || a.service.localeCompare(b.service) || a.replica - b.replica);

  const bins = firstFit(items, { capV, capM, v, m, vmV: ov.vm.vcpu, vmM: ov.vm.memoryGiB, spread: opts.maxReplicasPerVm });
  const better = fewerBins(items, bins.length, { capV, capM, v, m, vmV: ov.vm.vcpu, vmM: ov.vm.memoryGiB, spread: opts.maxReplicasPerVm });
  return (better ?? bins).map((bin, k) => {
    const host: HostVm = { index: k + 1, size: size.name, containers: [], vcpuUsed: ov.vm.vcpu, memoryUsedGiB: ov.vm.memoryGiB, vcpuLoad: 0, memoryLoad: 0, diskGiB: ov.vm.diskGiB };
    for (const it of bin) {
      host.containers.push({ service: it.service, replica: it.replica, vcpu: it.vcpu, memoryGiB: it.memoryGiB });
      host.vcpuUsed += v(it);
      host.memoryUsedGiB += m(it);
      host.diskGiB += ov.container.diskGiB;
    }
    host.vcpuLoad = host.vcpuUsed / size.vcpus;
    host.memoryLoad = host.memoryUsedGiB / size.memoryGiB;
    return host;
  });
}

interface Fit {
  capV: number;
  capM: number;
  v(i: Item): number;
  m(i: Item): number;
  vmV: number;
  vmM: number;
  spread: number;
}

/** Nodes the exact search may visit per host size: keeps the planner interactive (well under 100 ms). */
const SEARCH_NODES = 200_000;

function fits(bin: Item[], it: Item, f: Fit): boolean {
  const usedV = bin.reduce((a, x) => a + f.v(x), f.vmV);
  const usedM = bin.reduce((a, x) => a + f.m(x), f.vmM);
  return usedV + f.v(it) <= f.capV + EPS && usedM + f.m(it) <= f.capM + EPS && bin.filter((x) => x.service === it.service).length < f.spread;
}

function firstFit(items: Item[], f: Fit): Item[][] {
  const bins: Item[][] = [];
  for (const it of items) {
    const bin = bins.find((b) => fits(b, it, f));
    if (bin) bin.push(it);
    else bins.push([it]);
  }
  return bins;
}

/** No packing can use fewer hosts than this: total demand over what one host holds, and the spread rule. */
function lowerBound(items: Item[], f: Fit): number {
  const perService = new Map<string, number>();
  for (const it of items) perService.set(it.service, (perService.get(it.service) ?? 0) + 1);
  return Math.max(
    1,
    Math.ceil(items.reduce((a, i) => a + f.v(i), 0) / (f.capV - f.vmV) - EPS),
    Math.ceil(items.reduce((a, i) => a + f.m(i), 0) / (f.capM - f.vmM) - EPS),
    ...[...perService.values()].map((n) => Math.ceil(n / f.spread)),
  );
}

/** A packing into fewer than `known` hosts, found by a bounded depth-first search, or undefined. */
function fewerBins(items: Item[], known: number, f: Fit): Item[][] | undefined {
  const floor = lowerBound(items, f);
  let best: Item[][] | undefined;
  let limit = known - 1; // looking for at most this many hosts
  let nodes = 0;
  const bins: Item[][] = [];
  const place = (k: number): boolean => {
    if (++nodes > SEARCH_NODES) return true; // give up: keep what was found
    if (k === items.length) {
      best = bins.map((b) => [...b]);
      limit = bins.length - 1;
      return limit < floor; // the lower bound reached: nothing better exists
    }
    const it = items[k];
    const seen = new Set<string>();
    for (const bin of bins) {
      // Two hosts holding the same services lead to the same subtrees: try one of them.
      const key = bin.map((x) => x.service).sort().join();
      if (seen.has(key) || !fits(bin, it, f)) continue;
      seen.add(key);
      bin.push(it);
      const stop = place(k + 1);
      bin.pop();
      if (stop) return true;
    }
    if (bins.length < limit) {
      bins.push([it]);
      const stop = place(k + 1);
      bins.pop();
      if (stop) return true;
    }
    return false;
  };
  if (floor < known) place(0);
  return best;
}

interface PricedVm {
  size: string;
  instances: number;
  diskGiB: number;
}

function totals(
  vms: PricedVm[],
  cat: Catalogue,
  demand: { vcpu: number; memoryGiB: number },
  overhead: { vcpu: number; memoryGiB: number; diskGiB: number },
  guestOs: number,
): StrategyTotals {
  const bySize: Record<string, number> = {};
  const disksByTier: Record<string, number> = {};
  let vcpus = 0;
  let mem = 0;
  let compute = 0;
  let disks = 0;
  let diskGiB = 0;
  let instances = 0;
  for (const v of vms) {
    const z = cat.sizes.find((x) => x.name === v.size)!;
    bySize[v.size] = (bySize[v.size] ?? 0) + 1;
    vcpus += z.vcpus;
    mem += z.memoryGiB;
    compute += monthly(z.pricePerHour, cat);
    instances += v.instances;
    const tier = osDisk(cat, v.diskGiB);
    if (tier) {
      disksByTier[tier.name] = (disksByTier[tier.name] ?? 0) + 1;
      disks += tier.pricePerMonth;
      diskGiB += tier.sizeGiB;
    } else diskGiB += v.diskGiB;
  }
  return {
    vmCount: vms.length,
    bySize,
    instances,
    vcpus,
    memoryGiB: mem,
    demandVcpu: demand.vcpu,
    demandMemoryGiB: demand.memoryGiB,
    overheadVcpu: overhead.vcpu,
    overheadMemoryGiB: overhead.memoryGiB,
    overheadDiskGiB: overhead.diskGiB,
    utilization: { vcpu: vcpus ? demand.vcpu / vcpus : 0, memory: mem ? demand.memoryGiB / mem : 0 },
    guestOsCopies: guestOs,
    disksByTier,
    diskGiB,
    computeMonthlyCost: compute,
    diskMonthlyCost: disks,
    monthlyCost: compute + disks,
  };
}

/** Both strategies and what changed between them. */
export function planConsolidation(services: Service[], cat: Catalogue, ov: Overheads, opts: PlanOptions): ConsolidationPlan {
  const names = new Set<string>();
  for (const s of services) {
    if (names.has(s.name)) throw new ConsolidationError(`services: the name ${s.name} appears twice; give each service its own name`);
    names.add(s.name);
    const mismatch = demandMismatch(s);
    if (mismatch) throw new ConsolidationError(`services.${s.name}: ${mismatch}`);
  }
  if (!(opts.headroom >= 0 && opts.headroom < 1)) throw new ConsolidationError('headroom must be at least 0 and below 1 (0.25 keeps a quarter of each VM free)');

  const demand = {
    vcpu: services.reduce((a, s) => a + s.vcpu * s.replicas, 0),
    memoryGiB: services.reduce((a, s) => a + s.memoryGiB * s.replicas, 0),
  };
  const perReplica = planVmPerReplica(services, cat, ov, opts);
  const n1 = perReplica.length;
  const t1 = totals(
    perReplica.map((v) => ({ size: v.size, instances: 1, diskGiB: ov.vm.diskGiB })),
    cat,
    demand,
    { vcpu: n1 * ov.vm.vcpu, memoryGiB: n1 * ov.vm.memoryGiB, diskGiB: n1 * ov.vm.diskGiB },
    n1,
  );

  const asPriced = (hosts: HostVm[]): PricedVm[] => hosts.map((h) => ({ size: h.size, instances: h.containers.length, diskGiB: h.diskGiB }));
  const tried: { size: string; vmCount: number; monthlyCost: number; hosts: HostVm[] }[] = [];
  for (const size of sizesFor(cat, opts, opts.hostSize, 'hostSize')) {
    const hosts = packOnSize(services, size, ov, opts);
    if (hosts) tried.push({ size: size.name, vmCount: hosts.length, monthlyCost: totals(asPriced(hosts), cat, demand, { vcpu: 0, memoryGiB: 0, diskGiB: 0 }, 0).monthlyCost, hosts });
  }
  if (tried.length === 0) {
    throw new ConsolidationError(
      `${opts.hostSize ? `hostSize ${opts.hostSize}` : 'no catalogue size'} can hold the largest container with its overhead under headroom ${opts.headroom}; lower the headroom or choose a larger size`,
    );
  }
  tried.sort((a, b) => a.monthlyCost - b.monthlyCost || a.vmCount - b.vmCount || a.size.localeCompare(b.size));
  const best = tried[0];
  for (const h of best.hosts) h.disk = osDisk(cat, h.diskGiB)?.name;
  const nHosts = best.hosts.length;
  const nContainers = best.hosts.reduce((a, h) => a + h.containers.length, 0);
  const t2 = totals(
    asPriced(best.hosts),
    cat,
    demand,
    {
      vcpu: nHosts * ov.vm.vcpu + nContainers * ov.container.vcpu,
      memoryGiB: nHosts * ov.vm.memoryGiB + nContainers * ov.container.memoryGiB,
      diskGiB: nHosts * ov.vm.diskGiB + nContainers * ov.container.diskGiB,
    },
    nHosts,
  );

  const pair = (f: (t: StrategyTotals) => number): [number, number] => [f(t1), f(t2)];
  return {
    vmPerReplica: { vms: perReplica, totals: t1 },
    containers: { hostSize: best.size, vms: best.hosts, totals: t2, triedSizes: tried.map(({ size, vmCount, monthlyCost }) => ({ size, vmCount, monthlyCost })) },
    changes: {
      vms: pair((t) => t.vmCount),
      instances: pair((t) => t.instances),
      demandVcpu: pair((t) => t.demandVcpu),
      demandMemoryGiB: pair((t) => t.demandMemoryGiB),
      computeMonthlyCost: pair((t) => t.computeMonthlyCost),
      diskMonthlyCost: pair((t) => t.diskMonthlyCost),
      monthlyCost: pair((t) => t.monthlyCost),
      savingsPct: t1.monthlyCost > 0 ? (100 * (t1.monthlyCost - t2.monthlyCost)) / t1.monthlyCost : 0,
      guestOsCopies: pair((t) => t.guestOsCopies),
      overheadMemoryGiB: pair((t) => t.overheadMemoryGiB),
      overheadDiskGiB: pair((t) => t.overheadDiskGiB),
      utilizationVcpu: pair((t) => t.utilization.vcpu),
      utilizationMemory: pair((t) => t.utilization.memory),
    },
    headroom: opts.headroom,
    currency: cat.currency,
    diskType: cat.disks?.type,
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
