import { z } from 'zod';
import { EngineView, KernelVerdict, kernelVerdict } from './verdict';

/**
 * Live isolation facts: what one process sees of its own isolation (namespaces, seccomp, capabilities, cgroup
 * limits, kernel), read the same way on the host, in a probe container and in the VM guest, so the three can
 * stand side by side. The probe script below runs with busybox applets only (sh, ls, grep, cat, uname).
 */
export const IsolationSide = z.enum(['host', 'container', 'vm']);
export type IsolationSide = z.infer<typeof IsolationSide>;

export const IsolationView = z.object({
  side: IsolationSide,
  /** How the facts were gathered, in one line (shown under the column). */
  source: z.string(),
  kernel: z.object({ release: z.string(), version: z.string().optional(), machine: z.string().optional() }).optional(),
  /** The host's platform as Node names it (linux, darwin, win32): a Linux container on darwin runs in a VM. */
  platform: z.string().optional(),
  /** The first lines of the kernel log, where the side may read it (gVisor's sandbox answers with its own). */
  dmesg: z.array(z.string()).optional(),
  /** Container side: what the engine said of itself and of the runtime the probe ran under. */
  engine: EngineView.optional(),
  /** Namespace name → its inode link, e.g. pid → "pid:[4026531836]". */
  namespaces: z.record(z.string(), z.string()).default({}),
  /** 0 off, 1 strict, 2 filter (seccomp-bpf). */
  seccomp: z.number().int().optional(),
  noNewPrivs: z.boolean().optional(),
  /** CapEff as the kernel prints it (hex), and the names it decodes to. */
  capEff: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  /** The cgroup path of the memory controller (v1) or the unified one (v2). */
  cgroupPath: z.string().optional(),
  /** memory, pids, cpu: "max"/"unlimited" or a figure with its unit in the key (memoryBytes, cpuQuota). */
  limits: z.object({ memoryBytes: z.number().optional(), pids: z.number().optional(), cpus: z.number().optional() }).default({}),
  error: z.string().optional(),
});
export type IsolationView = z.infer<typeof IsolationView>;

export const IsolationRequest = z.object({
  /** Also boot the VM guest and read its facts over SSH (a few seconds under TCG); else the kit's kernel only. */
  bootVm: z.boolean().default(false),
  /** The engine runtime the probe container runs under (runsc shows gVisor's kernel); the engine's default when left out. */
  runtime: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'a runtime name as the engine lists it').optional(),
});
export type IsolationRequest = z.input<typeof IsolationRequest>;

export const IsolationFacts = z.object({
  gatheredAt: z.string(),
  host: IsolationView,
  container: IsolationView,
  vm: IsolationView,
  /** The container's kernel release equals the host's (it is the same kernel). */
  containerSharesKernel: z.boolean().optional(),
  /** Which kernel answers the container, and why: the host's, the engine VM's, its own VM's, a user-space one. */
  containerKernel: KernelVerdict.optional(),
  vmSharesKernel: z.boolean().optional(),
  /** Namespaces whose inode is the same inside the container as on the host (not isolated). */
  sharedNamespaces: z.array(z.string()).default([]),
});
export type IsolationFacts = z.infer<typeof IsolationFacts>;

/** Prints the facts in sections; the same text is parsed whatever side ran it. */
export const FACTS_SCRIPT = [
  'echo @ns; ls -l /proc/self/ns',
  'echo @status; grep -E "^(Seccomp|NoNewPrivs|CapEff):" /proc/self/status',
  'echo @cgroup; cat /proc/self/cgroup 2>/dev/null',
  'echo @limits; for f in memory.max pids.max cpu.max memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us; do if [ -r /sys/fs/cgroup/$f ]; then echo "$f $(cat /sys/fs/cgroup/$f)"; fi; done',
  'echo @uname; uname -r; uname -v; uname -m',
  // Refused in an ordinary container (no CAP_SYSLOG, seccomp); gVisor's sandbox answers with its own log.
  'echo @dmesg; (dmesg 2>/dev/null || busybox dmesg 2>/dev/null) | head -n 3',
  'echo @end',
].join('; ');

/** The kernel's own "no limit" for memory.limit_in_bytes on 64-bit (rounded to the page): anything this big is none. */
const UNLIMITED_BYTES = 2 ** 60;

/** Parses the script's output into a view (side and source filled in by the caller). */
export function parseFactsOutput(text: string, side: IsolationSide, source: string): IsolationView {
  const sections = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^@(\w+)$/.exec(line.trim());
    if (m) {
      cur = [];
      sections.set(m[1], cur);
      continue;
    }
    cur?.push(line);
  }
  if (!sections.has('end')) throw new Error(`the facts script did not finish; its output was: ${text.trim().replace(/\s*\n\s*/g, ' | ').slice(0, 200) || '(nothing)'}`);

  const namespaces: Record<string, string> = {};
  for (const l of sections.get('ns') ?? []) {
    const m = /\s(\w+) -> (\w+:\[\d+\])\s*$/.exec(l);
    if (m) namespaces[m[1]] = m[2];
  }
  const status = statusFields((sections.get('status') ?? []).join('\n'));
  const cgroupPath = cgroupPathOf((sections.get('cgroup') ?? []).join('\n'));
  const files: Record<string, string> = {};
  for (const l of sections.get('limits') ?? []) {
    const i = l.indexOf(' ');
    if (i > 0) files[l.slice(0, i)] = l.slice(i + 1).trim();
  }
  const [release, version, machine] = (sections.get('uname') ?? []).map((s) => s.trim()).filter(Boolean);
  const dmesg = (sections.get('dmesg') ?? []).map((s) => s.trim()).filter(Boolean);
  return {
    side,
    source,
    kernel: release ? { release, version, machine } : undefined,
    ...(dmesg.length ? { dmesg } : {}),
    namespaces,
    ...status,
    cgroupPath,
    limits: limitsFrom(files),
  };
}

/** Seccomp, NoNewPrivs and CapEff from /proc/PID/status text. */
export function statusFields(text: string): Pick<IsolationView, 'seccomp' | 'noNewPrivs' | 'capEff' | 'capabilities'> {
  const get = (k: string) => new RegExp(`^${k}:\\s*(\\S+)`, 'm').exec(text)?.[1];
  const seccomp = get('Seccomp');
  const nnp = get('NoNewPrivs');
  const capEff = get('CapEff');
  return {
    seccomp: seccomp !== undefined ? Number(seccomp) : undefined,
    noNewPrivs: nnp !== undefined ? nnp === '1' : undefined,
    capEff,
    capabilities: capEff !== undefined ? decodeCapabilities(capEff) : undefined,
  };
}

/** The memory controller's path (v1) or the unified path (v2) from /proc/PID/cgroup. */
export function cgroupPathOf(text: string): string | undefined {
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[2].split(',').includes('memory')) return m[3];
    if (m[1] === '0' && m[2] === '') unified = m[3];
  }
  return unified;
}

/** cgroup v2 (memory.max, pids.max, cpu.max) or v1 (limit_in_bytes, pids.max, cfs quota/period) files → limits. */
export function limitsFrom(files: Record<string, string>): IsolationView['limits'] {
  const out: IsolationView['limits'] = {};
  const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const mem = num(files['memory.max']) ?? num(files['memory/memory.limit_in_bytes']);
  if (mem !== undefined && mem < UNLIMITED_BYTES) out.memoryBytes = mem;
  const pids = num(files['pids.max']) ?? num(files['pids/pids.max']);
  if (pids !== undefined) out.pids = pids;
  const [q2, p2] = (files['cpu.max'] ?? '').split(/\s+/);
  const quota = num(q2) ?? (files['cpu/cpu.cfs_quota_us'] && files['cpu/cpu.cfs_quota_us'] !== '-1' ? num(files['cpu/cpu.cfs_quota_us']) : undefined);
  const period = num(p2) ?? num(files['cpu/cpu.cfs_period_us']);
  if (quota !== undefined && period) out.cpus = quota / period;
  return out;
}

/** Linux capability numbers (include/uapi/linux/capability.h). */
const CAPABILITY_NAMES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID',
  'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK',
  'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;

export function decodeCapabilities(hex: string): string[] {
  let v: bigint;
  try {
    v = BigInt('0x' + hex.replace(/^0x/i, ''));
  } catch {
    return [];
  }
  const out: string[] = [];
  for (let i = 0; i < 64; i++) if ((v >> BigInt(i)) & 1n) out.push(CAPABILITY_NAMES[i] ?? `CAP_${i}`);
  return out;
}

/** Joins the three views: does each share the host's kernel, and which namespaces the container shares with the host. */
export function compareFacts(host: IsolationView, container: IsolationView, vm: IsolationView, gatheredAt: string): IsolationFacts {
  const same = (a?: IsolationView['kernel'], b?: IsolationView['kernel']) =>
    a && b ? a.release === b.release && (a.version === undefined || b.version === undefined || a.version === b.version) : undefined;
  const sharedNamespaces = Object.keys(container.namespaces).filter(
    (n) => !n.endsWith('_for_children') && host.namespaces[n] !== undefined && host.namespaces[n] === container.namespaces[n],
  );
  return {
    gatheredAt,
    host,
    container,
    vm,
    containerSharesKernel: same(host.kernel, container.kernel),
    containerKernel: kernelVerdict(host, container, container.engine),
    // A guest always runs its own kernel instance, even one of the same release: shown beside the two unames.
    vmSharesKernel: vm.kernel ? false : undefined,
    sharedNamespaces,
  };
}
