/** Local VMs: a real QEMU guest, booted and measured the way containers are. */
export { QemuTarget } from './target';
export { ensureVmKit, type VmKit } from './kit';
export { detectAccelerator } from './accel';
export { sweepVms } from './sweep';
export { vmDensity } from './density';
export { VM_PHASES } from './guest';
