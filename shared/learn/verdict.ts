import { z } from 'zod';

/**
 * Which kernel answers a container's system calls, and why. Comparing `uname -r` inside the container with the
 * host's is not enough: under Docker Desktop (a Linux VM on macOS, Windows or even Linux) every container shares
 * the VM's kernel, not the host's; a VM-based runtime (Kata, Hyper-V isolation, krun) boots a kernel per
 * container; gVisor's user-space kernel reports a version of its own. The engine says which of these it is
 * (`docker info`: OperatingSystem, KernelVersion, runtimes, isolation); the container's own answers (uname,
 * dmesg) confirm it. Pure: the UI turns the code and its parameters into words.
 */

/** What the engine said about itself and the runtime the probe ran under (from `docker info`). */
export const EngineView = z.object({
  /** "Docker Desktop", "Debian GNU/Linux 12 (bookworm)" … */
  operatingSystem: z.string().optional(),
  /** linux or windows: the kind of containers the engine runs. */
  osType: z.string().optional(),
  /** The kernel the engine itself runs on. */
  kernelVersion: z.string().optional(),
  /** The runtime the probe ran under, its binary and its containerd shim type when the engine lists them. */
  runtime: z.string().optional(),
  runtimePath: z.string().optional(),
  runtimeType: z.string().optional(),
  /** Windows engines: process or hyperv. */
  isolation: z.string().optional(),
  /** As the engine lists them: "name=seccomp,profile=default", "name=apparmor", "name=userns" … */
  securityOptions: z.array(z.string()).default([]),
});
export type EngineView = z.infer<typeof EngineView>;

/** The subset of `docker info` read here; anything else in it is ignored, any field may be missing. */
const DockerInfo = z
  .object({
    OperatingSystem: z.string().optional(),
    OSType: z.string().optional(),
    KernelVersion: z.string().optional(),
    DefaultRuntime: z.string().optional(),
    Isolation: z.string().optional(),
    SecurityOptions: z.array(z.string()).nullish(),
    Runtimes: z.record(z.string(), z.object({ path: z.string().optional(), runtimeType: z.string().optional() }).passthrough()).nullish(),
  })
  .passthrough();

/** The engine view from a `docker info` answer and the runtime the probe was started with (else the default). */
export function engineViewFrom(info: unknown, runtime?: string): EngineView {
  const parsed = DockerInfo.safeParse(info);
  const i = parsed.success ? parsed.data : {};
  const name = runtime ?? i.DefaultRuntime;
  const entry = name ? i.Runtimes?.[name] : undefined;
  return {
    operatingSystem: i.OperatingSystem || undefined,
    osType: i.OSType || undefined,
    kernelVersion: i.KernelVersion || undefined,
    runtime: name || undefined,
    runtimePath: entry?.path || undefined,
    runtimeType: entry?.runtimeType || undefined,
    isolation: i.Isolation || undefined,
    securityOptions: i.SecurityOptions ?? [],
  };
}

export const KernelVerdictCode = z.enum([
  /** The host's own kernel: every container and the host share it. */
  'hostKernel',
  /** The kernel of the engine's Linux VM (Docker Desktop, WSL 2 …): shared by its containers, not the host's. */
  'engineVm',
  /** The kernel of another machine the engine runs on (a remote engine): shared by its containers. */
  'engineHost',
  /** A kernel of the container's own, in a VM the runtime boots for it (Kata, Hyper-V isolation, krun). */
  'vmRuntime',
  /** A kernel in user space (gVisor's Sentry) answers the calls; the host kernel sees only the sandbox's. */
  'userKernel',
  /** Another kernel than the host's and the engine's, and nothing says why. */
  'unknownKernel',
]);
export type KernelVerdictCode = z.infer<typeof KernelVerdictCode>;

export const KernelVerdict = z.object({
  code: KernelVerdictCode,
  /** The release the container reported. */
  release: z.string(),
  host: z.string().optional(),
  engineKernel: z.string().optional(),
  runtime: z.string().optional(),
  /** Which desktop VM, when one was recognised: dockerDesktop, wsl2, linuxkit, or desktopVm for any other. */
  engineVm: z.enum(['dockerDesktop', 'wsl2', 'linuxkit', 'desktopVm']).optional(),
  /** The signs the verdict rests on, as codes: runtimeName, dmesg, isolation, operatingSystem, kernelName, hostPlatform, sameRelease, engineKernel. */
  evidence: z.array(z.string()).default([]),
});
export type KernelVerdict = z.infer<typeof KernelVerdict>;

interface Side {
  kernel?: { release: string; version?: string };
  dmesg?: string[];
}

const GVISOR = /\b(runsc|gvisor)\b/i;
// Kata (kata, kata-qemu, kata-fc, io.containerd.kata.v2 …) and libkrun's krun boot a VM per container or pod.
const VM_RUNTIME = /(kata|\bkrun\b)/i;
const DESKTOP_KERNEL: [RegExp, NonNullable<KernelVerdict['engineVm']>][] = [
  [/microsoft-standard-WSL2/i, 'wsl2'],
  [/linuxkit/i, 'linuxkit'],
];

function sameKernel(a?: Side['kernel'], b?: Side['kernel']): boolean {
  return !!a && !!b && a.release === b.release && (a.version === undefined || b.version === undefined || a.version === b.version);
}

/**
 * The verdict for one container: `host` is the machine isolab runs on (its platform: process.platform),
 * `container` the probe's answers, `engine` what the engine said.
 */
export function kernelVerdict(host: Side & { platform?: string }, container: Side, engine?: EngineView): KernelVerdict | undefined {
  const release = container.kernel?.release;
  if (!release) return undefined;
  const runtimeNames = [engine?.runtime, engine?.runtimePath, engine?.runtimeType].filter((s): s is string => !!s);
  const base = { release, host: host.kernel?.release, engineKernel: engine?.kernelVersion, runtime: engine?.runtime };

  // gVisor: by the runtime's name, or by the sandbox's own kernel log (its first line is "Starting gVisor...").
  const gvisorEvidence = [
    ...(runtimeNames.some((n) => GVISOR.test(n)) ? ['runtimeName'] : []),
    ...((container.dmesg ?? []).some((l) => /Starting gVisor/i.test(l)) ? ['dmesg'] : []),
  ];
  if (gvisorEvidence.length) return { ...base, code: 'userKernel', evidence: gvisorEvidence };

  // A kernel per container in a VM. Even one that prints the host's release is another instance of it (a Hyper-V
  // isolated container often boots the host's own Windows build), as for any guest.
  const vmEvidence = [
    ...(runtimeNames.some((n) => VM_RUNTIME.test(n)) ? ['runtimeName'] : []),
    ...(engine?.isolation?.toLowerCase() === 'hyperv' ? ['isolation'] : []),
  ];
  if (vmEvidence.length) return { ...base, code: 'vmRuntime', evidence: vmEvidence };

  if (sameKernel(host.kernel, container.kernel)) return { ...base, code: 'hostKernel', evidence: ['sameRelease'] };

  // The engine runs in a Linux VM of its own on this machine (Docker Desktop, WSL 2, Colima, Rancher Desktop …).
  const desktopEvidence: string[] = [];
  let engineVm: KernelVerdict['engineVm'];
  if (engine?.operatingSystem && /^Docker Desktop\b/i.test(engine.operatingSystem)) {
    desktopEvidence.push('operatingSystem');
    engineVm = 'dockerDesktop';
  }
  for (const [re, name] of DESKTOP_KERNEL) {
    if (engine?.kernelVersion && re.test(engine.kernelVersion)) {
      desktopEvidence.push('kernelName');
      engineVm ??= name;
    }
  }
  if (host.platform && host.platform !== 'linux' && (engine?.osType ?? 'linux') === 'linux') {
    desktopEvidence.push('hostPlatform');
    engineVm ??= 'desktopVm';
  }
  const onEngineKernel = !!engine?.kernelVersion && engine.kernelVersion === release;
  if (desktopEvidence.length) return { ...base, code: 'engineVm', engineVm, evidence: [...desktopEvidence, ...(onEngineKernel ? ['engineKernel'] : [])] };
  if (onEngineKernel) return { ...base, code: 'engineHost', evidence: ['engineKernel'] };
  return { ...base, code: 'unknownKernel', evidence: [] };
}
