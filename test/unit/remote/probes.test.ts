import { describe, expect, it } from 'vitest';
import { parseAnalyzeTime, parseBlame, parseCloudInitBlame, parseCloudInitShow, parseCriticalChain, parseSpan, waterfall } from '../../../electron/lab/remote/bootParse';
import type { ExecResult } from '../../../electron/lab/remote/connect';
import {
  AZURE_ASSET_TAG,
  BOOT_COMMAND,
  FACTS_COMMAND,
  FOOTPRINT_COMMAND,
  IMDS_COMMAND,
  probeAll,
  probeVirtualization,
  remoteImds,
  VIRT_COMMAND,
} from '../../../electron/lab/remote/probes';

/** A fake host: answers the constant probe commands with canned output, and records every command it got. */
function fakeHost(o: { assetTag?: string; imdsBody?: string }) {
  const calls: string[] = [];
  const out = (stdout: string, code = 0): ExecResult => ({ stdout, stderr: '', code, ms: 1 });
  const exec = async (cmd: string): Promise<ExecResult> => {
    calls.push(cmd);
    if (cmd === FACTS_COMMAND)
      return out('@@os\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n@@kernel\n6.8.0-1015-azure\n@@arch\nx86_64\n@@cpus\n4\n@@cpumodel\nmodel name\t: AMD EPYC 7763 64-Core Processor\n@@meminfo\nMemTotal:       16384000 kB\nMemAvailable:   15000000 kB\n@@hostname\nvm1\n@@bootid\nb-1\n@@end\n');
    if (cmd === VIRT_COMMAND) return out(`@@virt\nmicrosoft\n@@vendor\nMicrosoft Corporation\n@@product\nVirtual Machine\n@@assettag\n${o.assetTag ?? ''}\n@@end\n`);
    if (cmd === BOOT_COMMAND)
      return out(
        '@@bootid\nb-1\n@@time\nStartup finished in 1.5s (firmware) + 500ms (loader) + 2.1s (kernel) + 3.2s (initrd) + 1min 1.250s (userspace) = 1min 8.550s\ngraphical.target reached after 1min 1.1s in userspace.\n' +
          '@@blame\n 30.112s cloud-init.service\n  5.004s walinuxagent.service\n    812ms ssh.service\n' +
          '@@chain\ngraphical.target @1min 1.100s\n└─multi-user.target @1min 1.099s\n  └─ssh.service @10.287s +812ms\n    └─network.target @10.100s\n' +
          '@@cloudinit\npresent\n@@cishow\nFinished stage: (init-local) 00.80 seconds\nFinished stage: (init-network) 03.14 seconds\n@@ciblame\n     00.51600s (init-network/config-ssh)\n@@waagent\n1732600000\n@@end\n',
      );
    if (cmd === FOOTPRINT_COMMAND)
      return out('@@meminfo\nMemTotal:       16384000 kB\nMemAvailable:   15000000 kB\n@@df\nFilesystem 1024-blocks Used Available Capacity Mounted on\n/dev/root 30298176 2097152 28000000 7% /\n@@procs\n142\n@@load\n0.08 0.03 0.01 1/200 999\n@@end\n');
    if (cmd === IMDS_COMMAND) return out(o.imdsBody ?? '{"vmSize":"Standard_D4s_v5","location":"westeurope"}');
    return out('', 127);
  };
  return { exec, calls };
}

describe('Azure Instance Metadata: only behind the DMI asset tag', () => {
  it('is never queried when the asset tag is absent', async () => {
    const host = fakeHost({});
    let imdsAsked = 0;
    const probe = await probeAll(host.exec, { imds: async () => (imdsAsked++, '{}') });
    expect(imdsAsked).toBe(0);
    expect(probe.virtualization.azure).toBeUndefined();
    expect(host.calls.some((c) => c.includes('169.254'))).toBe(false);
  });

  it('is never queried for another asset tag, even on Microsoft Hyper-V', async () => {
    const host = fakeHost({ assetTag: 'No Asset Tag' });
    const v = await probeVirtualization(host.exec);
    expect(v.sysVendor).toBe('Microsoft Corporation');
    expect(v.azure).toBeUndefined();
    expect(host.calls).toEqual([VIRT_COMMAND]);
  });

  it('with the tag: asks IMDS for vmSize and location through the injected client', async () => {
    const host = fakeHost({ assetTag: AZURE_ASSET_TAG });
    const asked: string[] = [];
    const v = await probeVirtualization(host.exec, async () => (asked.push('x'), '{"vmSize":"Standard_B2s","location":"eastus","other":1}'));
    expect(asked).toHaveLength(1);
    expect(v.azure).toEqual({ vmSize: 'Standard_B2s', location: 'eastus' });
  });

  it('the default client runs the constant curl on the host itself', async () => {
    const host = fakeHost({ assetTag: AZURE_ASSET_TAG });
    const v = await probeVirtualization(host.exec, remoteImds(host.exec));
    expect(host.calls).toEqual([VIRT_COMMAND, IMDS_COMMAND]);
    expect(v.azure).toEqual({ vmSize: 'Standard_D4s_v5', location: 'westeurope' });
  });

  it('ISOLAB_IMDS=off keeps even an Azure host from being asked', async () => {
    const host = fakeHost({ assetTag: AZURE_ASSET_TAG });
    const v = await probeVirtualization(host.exec, remoteImds(host.exec, { ISOLAB_IMDS: 'off' }));
    expect(host.calls).toEqual([VIRT_COMMAND]);
    expect(v.azure?.error).toMatch(/ISOLAB_IMDS=off/);
  });

  it('an IMDS failure is reported, not fatal', async () => {
    const host = fakeHost({ assetTag: AZURE_ASSET_TAG });
    const v = await probeVirtualization(host.exec, async () => {
      throw new Error('timed out');
    });
    expect(v.azure?.error).toMatch(/timed out/);
  });
});

describe('probes', () => {
  it('facts, boot timeline, cloud-init, waagent marker and idle footprint from one fake host', async () => {
    const p = await probeAll(fakeHost({}).exec, { imds: async () => '{}' });
    expect(p.facts).toMatchObject({ os: 'Ubuntu 24.04.1 LTS', kernel: '6.8.0-1015-azure', arch: 'x86_64', cpus: 4, memoryBytes: 16384000 * 1024, cpuModel: 'AMD EPYC 7763 64-Core Processor', virtualization: 'microsoft' });
    expect(p.boot.systemd).toEqual({ firmware: 1500, loader: 500, kernel: 2100, initrd: 3200, userspace: 61250, total: 68550 });
    expect(p.boot.blame[0]).toEqual({ unit: 'cloud-init.service', ms: 30112 });
    expect(p.boot.criticalChain).toContainEqual({ unit: 'ssh.service', atMs: 10287, tookMs: 812 });
    expect(p.boot.cloudInit?.stages).toEqual([{ name: 'init-local', ms: 800 }, { name: 'init-network', ms: 3140 }]);
    expect(p.boot.waagentProvisionedAt).toBe(new Date(1732600000 * 1000).toISOString());
    expect(p.footprint).toEqual({ memoryTotalBytes: 16384000 * 1024, memoryUsedBytes: 1384000 * 1024, diskTotalBytes: 30298176 * 1024, diskUsedBytes: 2097152 * 1024, processes: 142, load1: 0.08 });
  });

  it('a probe that stops half way says so', async () => {
    await expect(probeAll(async () => ({ stdout: '@@os\n', stderr: 'sh: broken', code: 2, ms: 1 }))).rejects.toThrow(/facts probe did not finish.*broken/);
  });
});

describe('systemd and cloud-init parsers', () => {
  it('time spans', () => {
    expect(parseSpan('1min 2.345s')).toBeCloseTo(62345);
    expect(parseSpan('345ms')).toBe(345);
    expect(parseSpan('12us')).toBeCloseTo(0.012);
    expect(parseSpan('n/a')).toBeUndefined();
  });
  it('systemd-analyze time without firmware (a VM without UEFI)', () => {
    expect(parseAnalyzeTime('Startup finished in 1.203s (kernel) + 4.112s (userspace) = 5.315s')).toEqual({ kernel: 1203, userspace: 4112, total: 5315 });
    expect(parseAnalyzeTime('Bootup is not yet finished')).toBeUndefined();
  });
  it('blame and critical chain skip lines that are not units', () => {
    expect(parseBlame('garbage\n 1.5s a.service\n')).toEqual([{ unit: 'a.service', ms: 1500 }]);
    expect(parseCriticalChain('The time when unit became active...\n\ngraphical.target @5s\n')).toEqual([{ unit: 'graphical.target', atMs: 5000, tookMs: 0 }]);
    expect(parseCloudInitShow('nothing')).toEqual([]);
    expect(parseCloudInitBlame('  01.00000s (modules-final/config-scripts-user)\n')).toEqual([{ name: 'modules-final/config-scripts-user', ms: 1000 }]);
  });
  it('the waterfall: phases end to end, then units at their place after firmware and loader', () => {
    const bars = waterfall({ firmware: 1000, loader: 500, kernel: 2000, userspace: 3000 }, [
      { unit: 'graphical.target', atMs: 4900, tookMs: 0 },
      { unit: 'ssh.service', atMs: 4000, tookMs: 800 },
    ]);
    expect(bars.filter((b) => b.group === 'phase').map((b) => [b.label, b.startMs])).toEqual([['firmware', 0], ['loader', 1000], ['kernel', 1500], ['userspace', 3500]]);
    expect(bars.find((b) => b.label === 'ssh.service')).toEqual({ label: 'ssh.service', startMs: 1500 + 3200, durationMs: 800, group: 'unit' });
  });
});

describe('commands are constants', () => {
  it('no probe command has a placeholder a value could be spliced into', () => {
    for (const c of [FACTS_COMMAND, VIRT_COMMAND, BOOT_COMMAND, FOOTPRINT_COMMAND, IMDS_COMMAND]) {
      expect(c).not.toMatch(/\$\{|%s|undefined/);
    }
  });
});
