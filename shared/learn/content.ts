/**
 * The explanatory model behind the Learn page's diagrams: for each way of isolating, the layers from the
 * hardware up to the application, and whether each layer is one shared by every tenant or one per tenant.
 * Words live in the renderer's learn.json (models.<model>.{name,blurb,examples} and
 * layers.<model>.<layer>.{name,shares,isolates}); this is structure.
 */
type Tone = 'hardware' | 'hypervisor' | 'kernel' | 'guestKernel' | 'boundary' | 'sandbox' | 'app';

export interface Layer {
  id: string;
  /** One layer under every tenant (true) or one copy per tenant (false). */
  shared: boolean;
  tone: Tone;
}

type ModelId = 'vm' | 'container' | 'sandbox' | 'vmContainer';

export interface ModelStack {
  id: ModelId;
  /** Bottom (hardware) first. */
  layers: Layer[];
}

export const MODEL_STACKS: ModelStack[] = [
  {
    // Every hypervisor runs one VMM per guest (QEMU or Firecracker for KVM, vmwp for Hyper-V, the VMX for ESXi):
    // the devices it emulates are the part of the surface that differs most from one product to the next.
    id: 'vm',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hypervisor', shared: true, tone: 'hypervisor' },
      { id: 'vmm', shared: false, tone: 'hypervisor' },
      { id: 'guestKernel', shared: false, tone: 'guestKernel' },
      { id: 'app', shared: false, tone: 'app' },
    ],
  },
  {
    // Kata runs on KVM in a Linux host's kernel; Hyper-V isolation on the Hyper-V hypervisor, beneath the Windows
    // host: the shared layer is the hypervisor, whichever it is.
    id: 'vmContainer',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hypervisor', shared: true, tone: 'hypervisor' },
      { id: 'microVm', shared: false, tone: 'hypervisor' },
      { id: 'guestKernel', shared: false, tone: 'guestKernel' },
      { id: 'app', shared: false, tone: 'app' },
    ],
  },
  {
    id: 'sandbox',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hostKernel', shared: true, tone: 'kernel' },
      { id: 'userKernel', shared: false, tone: 'sandbox' },
      { id: 'app', shared: false, tone: 'app' },
    ],
  },
  {
    // The boundary is the kernel's own fences: Linux's namespaces, cgroups, seccomp and capabilities, or Windows'
    // server silos and job objects for Windows Server containers (the layer's words say both).
    id: 'container',
    layers: [
      { id: 'hardware', shared: true, tone: 'hardware' },
      { id: 'hostKernel', shared: true, tone: 'kernel' },
      { id: 'boundary', shared: false, tone: 'boundary' },
      { id: 'app', shared: false, tone: 'app' },
    ],
  },
];

/** True when the tenants' system calls reach the one host kernel that runs everything (directly or via a sandbox). */
export function sharesHostKernel(model: ModelStack): boolean {
  return !model.layers.some((l) => l.tone === 'guestKernel');
}
