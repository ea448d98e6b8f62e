import type { Kernels, RaceSummary } from '../../../shared/learn/race';
import { kernelVerdict, type KernelVerdict } from '../../../shared/learn/verdict';

export interface KernelTriple {
  host?: string;
  container?: string;
  vm?: string;
  /** Where the VM's came from: the race (a booted guest) or the kit's kernel image. */
  vmFrom: 'race' | 'kit';
  /** The engine's verdict on the container's kernel, when it gave one. */
  verdict?: KernelVerdict;
}

/** The engine's answer when asked (it prefers the race's booted guest for the VM), else the last race's. */
export function kernelsFrom(summary?: RaceSummary, asked?: Kernels): KernelTriple | undefined {
  if (asked) return { host: asked.host, container: asked.container, vm: asked.vm, vmFrom: asked.vmBooted ? 'race' : 'kit', verdict: asked.containerVerdict };
  if (!summary?.vmKernel) return undefined;
  return { host: summary.hostKernel, container: summary.containerKernel, vm: summary.vmKernel, vmFrom: 'race' };
}

/**
 * Which kernel answers the container: the engine's verdict (it knows Docker Desktop's VM, gVisor, VM runtimes);
 * without one, only what the two releases tell: the same release is the host's kernel, another one is unexplained
 * (not "its own": under Docker Desktop every container shares the engine VM's kernel).
 */
export function containerVerdictOf(k: KernelTriple): { verdict: KernelVerdict; fromEngine: boolean } | undefined {
  if (k.verdict) return { verdict: k.verdict, fromEngine: true };
  if (!k.container) return undefined;
  const v = kernelVerdict({ kernel: k.host ? { release: k.host } : undefined }, { kernel: { release: k.container } });
  return v && { verdict: v, fromEngine: false };
}
