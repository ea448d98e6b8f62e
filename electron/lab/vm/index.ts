/** Local VMs: a real QEMU guest, booted and measured the way containers are. */
export { QemuTarget, vmModelName, type QemuTargetOptions } from './target';
export { ensureVmKit, type VmKit, type EnsureKitOptions } from './kit';
export { detectAccelerator, type AccelChoice, type AccelRequest } from './accel';
export { sweepVms } from './sweep';
export { vmDensity, type DensityOptions, type DensityResult } from './density';
export { VM_PHASES } from './guest';
export { DEFAULT_MACHINE, MACHINES, type Accel, type Machine } from './qemu';
export { vmModelProvider } from './provider';
