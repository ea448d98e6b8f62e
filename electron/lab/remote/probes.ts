import type { BootTimeline, HostProbe, IdleFootprint, Virtualization } from '../../../shared/api-hosts';
import type { HostFacts } from '../../../shared/run';
import { parseAnalyzeTime, parseBlame, parseCloudInitBlame, parseCloudInitShow, parseCriticalChain, waterfall } from './bootParse';
import type { ExecResult } from './connect';
import { note, type Note } from '../../../shared/notes';
import { machineIdOf } from '../machine';

/** Runs one command on the host. The probes pass only the constants below: nothing the user typed. */
export type Exec = (command: string) => Promise<ExecResult>;

/**
 * The probe commands. Constants, POSIX sh, each section announced by an @@name line so one round trip
 * answers a whole group. Missing tools print nothing for their section (a container, busybox, no systemd).
 */
export const FACTS_COMMAND =
  'echo @@os; cat /etc/os-release 2>/dev/null; echo @@kernel; uname -r; echo @@arch; uname -m; ' +
  "echo @@cpus; getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo; " +
  "echo @@cpumodel; grep -m1 'model name' /proc/cpuinfo 2>/dev/null; " +
  'echo @@meminfo; cat /proc/meminfo; echo @@hostname; cat /proc/sys/kernel/hostname; ' +
  'echo @@bootid; cat /proc/sys/kernel/random/boot_id; ' +
  // Read here, hashed here (machine.ts): the raw id is never stored.
  'echo @@machineid; cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id 2>/dev/null; echo @@end';

export const VIRT_COMMAND =
  'echo @@virt; systemd-detect-virt 2>/dev/null; ' +
  'echo @@vendor; cat /sys/class/dmi/id/sys_vendor 2>/dev/null; ' +
  'echo @@product; cat /sys/class/dmi/id/product_name 2>/dev/null; ' +
  'echo @@assettag; cat /sys/class/dmi/id/chassis_asset_tag 2>/dev/null; echo @@end';

export const BOOT_COMMAND =
  'echo @@bootid; cat /proc/sys/kernel/random/boot_id; ' +
  'echo @@time; systemd-analyze time 2>&1; ' +
  'echo @@blame; systemd-analyze blame --no-pager 2>/dev/null | head -n 60; ' +
  'echo @@chain; systemd-analyze critical-chain --no-pager 2>/dev/null; ' +
  'echo @@cloudinit; command -v cloud-init >/dev/null 2>&1 && echo present; ' +
  'echo @@cishow; command -v cloud-init >/dev/null 2>&1 && cloud-init analyze show 2>/dev/null | tail -n 200; ' +
  'echo @@ciblame; command -v cloud-init >/dev/null 2>&1 && cloud-init analyze blame 2>/dev/null | head -n 60; ' +
  'echo @@waagent; stat -c %Y /var/lib/waagent/provisioned 2>/dev/null; echo @@end';

export const FOOTPRINT_COMMAND =
  'echo @@meminfo; cat /proc/meminfo; echo @@df; df -P -k / 2>/dev/null; ' +
  'echo @@procs; ls -d /proc/[0-9]* 2>/dev/null | grep -c .; echo @@load; cat /proc/loadavg; echo @@end';

export const BOOT_ID_COMMAND = 'cat /proc/sys/kernel/random/boot_id';

/** Azure's DMI chassis asset tag. Only a host that shows it is asked for its Instance Metadata. */
export const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

/** Asked on the host itself (IMDS answers only from inside the VM), and only after the asset tag matched. */
export const IMDS_COMMAND =
  "curl -s -m 5 --noproxy '*' -H Metadata:true 'http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01'";

/** How IMDS is asked: injectable, so tests prove when it is and is not called without any network. */
export type ImdsClient = () => Promise<string>;
export const remoteImds = (exec: Exec, env = process.env): ImdsClient => async () => {
  // A second lock for tests and air-gapped use: even an Azure asset tag does not send the query then.
  if (env.ISOLAB_IMDS === 'off') throw new Error('not asked: ISOLAB_IMDS=off');
  const r = await exec(IMDS_COMMAND);
  if (r.code !== 0) throw new Error(`curl exited with ${r.code}${r.stderr ? `: ${r.stderr.trim()}` : ''} (is curl installed?)`);
  return r.stdout;
};

function sections(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let cur: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^@@(\w+)$/.exec(line.trim());
    if (m) {
      cur = m[1];
      out[cur] = '';
    } else if (cur) out[cur] += line + '\n';
  }
  for (const k of Object.keys(out)) out[k] = out[k].trim();
  return out;
}

async function run(exec: Exec, command: string, what: string): Promise<Record<string, string>> {
  const r = await exec(command);
  const s = sections(r.stdout);
  if (!('end' in s)) throw new Error(`the ${what} probe did not finish (exit ${r.code}): ${r.stderr.trim().slice(0, 200) || 'no output'}`);
  return s;
}

function meminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(\w+):\s+(\d+)\s*kB/gm)) out[m[1]] = Number(m[2]) * 1024;
  return out;
}

async function probeFacts(exec: Exec): Promise<HostFacts & { bootId?: string }> {
  const s = await run(exec, FACTS_COMMAND, 'facts');
  const os = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(s.os ?? '')?.[1] ?? 'Linux';
  const mem = meminfo(s.meminfo ?? '');
  return {
    os,
    kernel: s.kernel ?? '',
    arch: s.arch ?? '',
    cpus: Number.parseInt(s.cpus ?? '', 10) || 0,
    cpuModel: /:\s*(.*)$/.exec(s.cpumodel ?? '')?.[1]?.trim() || undefined,
    memoryBytes: mem.MemTotal ?? 0,
    hostname: s.hostname || undefined,
    machineId: machineIdOf(s.machineid),
    bootId: s.bootid || undefined,
  };
}

/** DMI and systemd-detect-virt; IMDS only behind Azure's asset tag, through the injected client. */
export async function probeVirtualization(exec: Exec, imds: ImdsClient = remoteImds(exec)): Promise<Virtualization> {
  const s = await run(exec, VIRT_COMMAND, 'virtualization');
  const v: Virtualization = {
    detectVirt: s.virt || undefined,
    sysVendor: s.vendor || undefined,
    productName: s.product || undefined,
    chassisAssetTag: s.assettag || undefined,
  };
  if (v.chassisAssetTag === AZURE_ASSET_TAG) {
    try {
      const doc = JSON.parse(await imds()) as { vmSize?: string; location?: string };
      v.azure = { vmSize: doc.vmSize, location: doc.location };
    } catch (err) {
      v.azure = { error: `the Instance Metadata Service did not answer: ${(err as Error).message}` };
    }
  }
  return v;
}

export async function probeBoot(exec: Exec): Promise<BootTimeline> {
  const s = await run(exec, BOOT_COMMAND, 'boot');
  const notes: Note[] = [];
  const systemd = parseAnalyzeTime(s.time ?? '');
  if (!systemd) notes.push(/not yet finished/i.test(s.time ?? '') ? note('boot-unfinished') : note('boot-no-systemd'));
  const criticalChain = parseCriticalChain(s.chain ?? '');
  const cloudInit = s.cloudinit === 'present' ? { stages: parseCloudInitShow(s.cishow ?? ''), blame: parseCloudInitBlame(s.ciblame ?? '') } : undefined;
  const mtime = Number(s.waagent);
  return {
    bootId: s.bootid || undefined,
    systemd,
    blame: parseBlame(s.blame ?? ''),
    criticalChain,
    cloudInit,
    waagentProvisionedAt: s.waagent && Number.isFinite(mtime) ? new Date(mtime * 1000).toISOString() : undefined,
    waterfall: waterfall(systemd, criticalChain),
    notes,
  };
}

async function probeFootprint(exec: Exec): Promise<IdleFootprint> {
  const s = await run(exec, FOOTPRINT_COMMAND, 'footprint');
  const mem = meminfo(s.meminfo ?? '');
  const df = (s.df ?? '').split('\n')[1]?.trim().split(/\s+/);
  const total = mem.MemTotal ?? 0;
  // MemAvailable is what the kernel could hand out without swapping; total minus it is what the OS holds.
  const available = mem.MemAvailable ?? (mem.MemFree ?? 0) + (mem.Buffers ?? 0) + (mem.Cached ?? 0);
  return {
    memoryTotalBytes: total,
    memoryUsedBytes: Math.max(0, total - available),
    diskTotalBytes: df ? Number(df[1]) * 1024 : undefined,
    diskUsedBytes: df ? Number(df[2]) * 1024 : undefined,
    processes: Number.parseInt(s.procs ?? '0', 10) || 0,
    load1: s.load ? Number(s.load.split(/\s+/)[0]) : undefined,
  };
}

export async function probeAll(exec: Exec, opts: { imds?: ImdsClient; onStep?: (step: 'facts' | 'virtualization' | 'boot' | 'footprint') => void } = {}): Promise<Omit<HostProbe, 'reboot'>> {
  opts.onStep?.('facts');
  const { bootId, ...facts } = await probeFacts(exec);
  opts.onStep?.('virtualization');
  const virtualization = await probeVirtualization(exec, opts.imds ?? remoteImds(exec));
  facts.virtualization = virtualization.detectVirt ?? ([virtualization.sysVendor, virtualization.productName].filter(Boolean).join(' ') || undefined);
  opts.onStep?.('boot');
  const boot = await probeBoot(exec);
  boot.bootId ??= bootId;
  opts.onStep?.('footprint');
  const footprint = await probeFootprint(exec);
  return { facts, virtualization, boot, footprint };
}
