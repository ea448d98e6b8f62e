import type { EngineEventLog } from '../remote/engine-events';
import type { BenchPlan } from '../../../shared/api';
import type { StartupClock } from '../../../shared/compare';
import type { ResolvedWorkload } from '../../../shared/plan';
import type { EngineConnection } from '../docker/engine';
import type { SshConnection } from '../remote/connect';
import type { HostFs } from '../footprint/host-fs';
import type { BenchTargets } from '../runner';
import type { Target } from '../targets/target';
import type { DensityResult as VmDensityResult } from '../vm/density';
import type { InstanceDriver } from '../workloads/instance';

/** What a model can be measured for. Faces read these instead of guessing from the model's name. */
export interface Capabilities {
  /** Cold starts, request to ready (the lifecycle benchmark). */
  startup: boolean;
  /** Memory per idle instance (host, cgroup, PSS of the model's helpers). */
  footprint: boolean;
  /** How many instances fit before a limit. */
  density: boolean;
  /** Live facts of the kernel an instance sees (Learn). */
  facts: boolean;
  /** Can run on the workshop's race track. */
  race: boolean;
  /** Changes the engine's state, so it runs only with the user's consent (Swarm). */
  needsConsent?: boolean;
}

/**
 * Why a model cannot run here, as data: a stable code and its parameters for the faces to word in their own
 * language, and an English sentence kept beside for the CLI and old readers.
 */
export interface Unavailable {
  code: UnavailableCode;
  params: Record<string, string | number>;
  text: string;
}

/** Every reason code; each face words each one (renderer/src/locales/{en,fr}/compare.json, key reason.CODE). */
export const UNAVAILABLE_CODES = [
  /** The tool is not on this host (params: tool, install). */
  'not-installed',
  /** The tool is here but isolab has no driver for it yet (params: tool, path). */
  'no-driver',
  /** No container engine answered (params: error). */
  'no-engine',
  /** It needs root on the (remote) host, and the user is not root there and sudo asks for a password (params: tool, user). */
  'needs-root',
  /** The host cannot run it as isolab would (not Linux, not root, no machine type, no kernel …) (params: reason). */
  'host-cannot-run',
  /** The engine is in no swarm and isolab may not create one without consent (params: command). */
  'swarm-needs-consent',
  /** The engine's swarm is in a state isolab cannot use (params: state). */
  'swarm-unusable',
  /** Measured by its own command, not inside a comparison (params: command). */
  'own-command',
  /** Finding out whether the host can run it failed, e.g. a remote probe got no answer (params: error). */
  'discovery-failed',
  /** Listed, but getting it ready failed here (params: error); set by the comparison. */
  'prepare-failed',
  /** Ready, but its very first start failed: this host cannot run it (params: error); set by the comparison. */
  'first-start-failed',
  /** Asked for by the plan, not a model of this host (params: model); set by the comparison. */
  'not-on-host',
] as const;
export type UnavailableCode = (typeof UNAVAILABLE_CODES)[number];

/** One model discovered on this host: runnable (a factory) or listed with why it cannot run. */
export interface ModelEntry {
  /** "process", "container:runc", "oci:runsc", "vm:microvm" … */
  model: string;
  unavailable?: Unavailable;
  /** An instance driver for a workload: startup, footprint and density all build on it. */
  driver?(workload: ResolvedWorkload, runId: string): InstanceDriver;
  /**
   * A model that times its own lifecycle (a VM, the floor on a remote host) gives a target: its startup figures come
   * from it. With a driver beside it (the floor), footprint and density come from the driver. `concurrency`: the
   * plan's starts at once (the floor falls back to isolab's spawn for more than one).
   */
  target?(runId: string, workload: ResolvedWorkload, concurrency: number): Target;
  /** Which clock timed its starts and what SSH adds (read once its starts are over): a remote host's models, this machine's floor. */
  clock?(workload: ResolvedWorkload): StartupClock | undefined;
  /** Such a model's own density curve (VMs booted side by side, one at a time, up to `count`), for the comparison. */
  density?(o: { runId: string; count: number; signal: AbortSignal; log?: (line: string) => void }): Promise<VmDensityResult>;
}

/**
 * The remote host a comparison runs on (`isolab compare --host`): its one SSH connection, kept for the whole
 * comparison. Every command and engine channel goes through it.
 */
export interface RemoteHost {
  /** The name the user gave (a saved host, an alias, user@host[:port]). */
  name: string;
  conn: SshConnection;
  /** The host's /proc and cgroups over the same connection (SFTP, else exec), for footprint and density. */
  fs?: HostFs;
}

/**
 * What discovery may use: the data dir and the engine (connected on first use, may fail). With `remote`, the
 * models are the remote host's: `docker()` is that host's engine and each registration answers through
 * `discoverRemote` (a family without it offers nothing there).
 */
export interface ModelContext {
  root: string;
  docker(): Promise<EngineConnection>;
  log?(line: string): void;
  remote?: RemoteHost;
  /**
   * A comparison's engine event stream (this machine's engine, or with `remote` that host's, on a channel of its
   * own): opened on the first call, closed when the comparison ends. Container phases are timed on the engine's
   * clock from it. Absent outside a comparison (`isolab bench`).
   */
  engineEvents?(): Promise<EngineEventLog>;
}

/** `isolab bench` of one model: which plans it answers, how its run is named, and its targets. */
export interface BenchEntry {
  matches(plan: BenchPlan): boolean;
  /** The model the run is named for until its target says what it really is. */
  model(plan: BenchPlan): string;
  /** Prefix of the run id ("process", "vm", "container-runc"). */
  runPrefix(plan: BenchPlan): string;
  targets(plan: BenchPlan, runId: string, ctx: ModelContext): Promise<BenchTargets>;
}

/** One model (or one family whose members the host decides, like container:RUNTIME): registered once. */
export interface ModelRegistration {
  /** "process", "container:*", "vm:microvm" … ("*": one model per runtime the host offers). */
  id: string;
  family: 'process' | 'container' | 'oci' | 'vm' | 'swarm' | 'host' | 'absent';
  capabilities: Capabilities;
  /** This host's models of this registration, runnable or not; [] when it has none to list. */
  discover(ctx: ModelContext): Promise<ModelEntry[]>;
  /** What it offers on a remote host (ctx.remote is set): runnable over the SSH connection, or listed with why not. */
  discoverRemote?(ctx: ModelContext & { remote: RemoteHost }): Promise<ModelEntry[]>;
  bench?: BenchEntry;
}

export function unavailable(code: UnavailableCode, params: Record<string, string | number>, text: string): Unavailable {
  return { code, params, text };
}
