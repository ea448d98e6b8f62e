/**
 * The explanatory model behind the Learn page's diagrams: for each way of isolating, the layers from the
 * hardware up to the application, and whether each layer is one shared by every tenant or one per tenant.
 * Words live in the renderer's learn.json (layers.<model>.<layer>.{name,shares,isolates}); this is structure.
 */
export type Tone = 'hardware' | 'hypervisor' | 'kernel' | 'guestKernel' | 'boundary' | 'sandbox' | 'app';

export interface Layer {
  id: string;
  /** One layer under every tenant (true) or one copy per tenant (false). */
  shared: boolean;
  tone: Tone;
}

export type ModelId = 'vm' | 'container' | 'sandbox' | 'vmContainer';

export interface ModelStack {
  id: ModelId;
  /** Bottom (hardware) first. */
  layers: Layer[];
  /** Products that work this way. */
  examples: string[];
}

export const MODEL_STACKS: ModelStack[] = [
  {
    id: 'vm',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hypervisor', shared: true, tone: 'hypervisor' },
      { id: 'guestKernel', shared: false, tone: 'guestKernel' },
      { id: 'app', shared: false, tone: 'app' },
    ],
    examples: ['QEMU/KVM', 'Hyper-V', 'VMware ESXi', 'Xen'],
  },
  {
    id: 'vmContainer',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hostKernel', shared: true, tone: 'kernel' },
      { id: 'microVm', shared: false, tone: 'hypervisor' },
      { id: 'guestKernel', shared: false, tone: 'guestKernel' },
      { id: 'app', shared: false, tone: 'app' },
    ],
    examples: ['Kata Containers', 'Firecracker', 'Hyper-V isolation'],
  },
  {
    id: 'sandbox',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hostKernel', shared: true, tone: 'kernel' },
      { id: 'userKernel', shared: false, tone: 'sandbox' },
      { id: 'app', shared: false, tone: 'app' },
    ],
    examples: ['gVisor (runsc)'],
  },
  {
    id: 'container',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hostKernel', shared: true, tone: 'kernel' },
      { id: 'boundary', shared: false, tone: 'boundary' },
      { id: 'app', shared: false, tone: 'app' },
    ],
    examples: ['runc', 'crun', 'Windows Server containers'],
  },
];

/** True when the tenants' system calls reach the one host kernel that runs everything (directly or via a sandbox). */
export function sharesHostKernel(model: ModelStack): boolean {
  return !model.layers.some((l) => l.tone === 'guestKernel');
}

/** The parts of the container boundary the live facts show. */
export const BOUNDARY_PARTS = ['namespaces', 'cgroups', 'seccomp', 'capabilities'] as const;
