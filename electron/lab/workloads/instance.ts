import type { Environment } from '../../../shared/run';
import type { ResolvedWorkload } from '../../../shared/plan';
import type { CgroupRef } from '../footprint/proc';
import type { Marks } from '../targets/target';
import type { Note } from '../../../shared/notes';

/** One running (or finished) instance of a workload under one isolation model. */
export interface Instance {
  /** Container id, runtime container id or host pid as a string. */
  id: string;
  /** The workload's first process on the host (for /proc and cgroup reads); absent once it has exited. */
  pid?: number;
  cgroup?: CgroupRef;
  /** ms from the start request at which each start phase ended (the driver's `phases`). */
  marks: Marks;
  /** CPU time the instance's own cgroup used to get ready, when the model has one. */
  cgroupCpuMs?: number;
}

/**
 * How one isolation model runs a workload: start an instance and wait until it is ready (by the workload's
 * readiness rule), then stop and remove it. Footprint, density and the lifecycle benchmark are all built on
 * this, so every model is measured the same way.
 */
export interface InstanceDriver {
  readonly model: string;
  /**
   * Phases of a start in their usual order, `ready` among them (last, unless the workload can be ready before the
   * engine answers the start call: a sample keeps its marks in the order they happened).
   */
  readonly phases: readonly string[];
  /** Name of the phase that `stop` times ("remove", "delete", "reap"). */
  readonly stopPhase: string;
  readonly workload: ResolvedWorkload;
  prepare(signal: AbortSignal): Promise<void>;
  environment(): Promise<Partial<Environment>>;
  start(signal: AbortSignal): Promise<Instance>;
  /** Stops and removes the instance; resolves when nothing of it is left. */
  stop(instance: Instance): Promise<void>;
  /**
   * Host processes that serve the instance but live outside its cgroup: the containerd shim, gVisor's sandbox
   * and gofer, a VMM. Their PSS is the model's overhead beyond the workload's own memory.
   */
  helperPids?(instance: Instance): Promise<number[]>;
  /** Disk the model uses: image size, shared and unique layers, the writable layer. */
  disk?(instance: Instance): Promise<Record<string, number>>;
  /**
   * The sample's marks on another clock than this machine's (a remote engine's events), once the instance is gone:
   * `local` holds its marks as measured here, the stop phase's included. Waiting for them is outside every interval.
   */
  settleMarks?(instance: Instance, local: Marks, warmup: boolean): Promise<Marks>;
  /** Instances still alive (for the cleanup check). */
  liveCount(): number;
  notes?(): Note[];
  dispose(): Promise<void>;
}

/** `{port}` in a command becomes this instance's port. */
export function withPort(command: string[], port: number | undefined): string[] {
  return port === undefined ? command : command.map((a) => a.split('{port}').join(String(port)));
}

export function needsPort(w: ResolvedWorkload): boolean {
  return w.command.some((a) => a.includes('{port}'));
}
