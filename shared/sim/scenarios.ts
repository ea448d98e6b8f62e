import type { BurstScenarioInput, ConsolidationScenarioInput } from './scenario';

/**
 * The classic example: a highly available application on 9 VMs (one VM per replica) against the same services
 * as 20 containers on shared VMs. Five services, 30 vCPU and 76 GiB of demand on both sides; as VMs, two
 * replicas each for availability (one cache); as containers, four replicas each, a quarter of the service's
 * total, one per VM. The same file is examples/sim/consolidate-9-vms.yaml.
 */
export const CLASSIC_CONSOLIDATION: ConsolidationScenarioInput = {
  kind: 'consolidation',
  name: '9 VMs, one per replica, against 20 containers on shared VMs',
  services: [
    { name: 'frontend', replicas: 2, vcpu: 3, memoryGiB: 4, containers: { replicas: 4 } },
    { name: 'api', replicas: 2, vcpu: 3, memoryGiB: 6, containers: { replicas: 4 } },
    { name: 'worker', replicas: 2, vcpu: 4, memoryGiB: 8, containers: { replicas: 4 } },
    { name: 'cache', replicas: 1, vcpu: 2, memoryGiB: 12, containers: { replicas: 4 } },
    { name: 'db', replicas: 2, vcpu: 4, memoryGiB: 14, containers: { replicas: 4 } },
  ],
  headroom: 0.25,
  spread: { maxReplicasPerVm: 1 },
};

/** A spike: ten minutes at 20 requests/s, then 200/s for five minutes; containers against VMs. */
export const SPIKE_BURST: BurstScenarioInput = {
  kind: 'burst',
  name: 'A 10x spike: containers against VMs',
  durationS: 1800,
  seed: 1,
  replications: 10,
  sampleS: 10,
  arrivals: { kind: 'spike', rate: 20, peakRate: 200, atS: 600, durationS: 300, rampS: 30 },
  service: { dist: 'lognormal', medianMs: 80, sigma: 0.5 },
  concurrency: 4,
  timeoutMs: 5000,
  autoscaler: { targetUtilization: 0.7, evaluationS: 15, cooldownS: 30, min: 2, max: 60 },
  models: [
    { name: 'container', startup: { reference: 'container (runc via containerd)' }, pricePerInstanceHour: 0.048 },
    { name: 'VM (QEMU, minimal guest)', startup: { reference: 'VM (QEMU)' }, pricePerInstanceHour: 0.096 },
    { name: 'cloud VM', startup: { reference: 'cloud VM (Azure)' }, pricePerInstanceHour: 0.096 },
  ],
};
