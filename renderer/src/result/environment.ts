import type { TFunction } from 'i18next';
import type { Environment } from '../../../shared/run';
import type { Formatters } from '../format';

/**
 * The environment card's rows, [label, value], empty values left out. A remote run that never reached its host
 * (environment.remote.reached false) has empty host facts: it says so instead of "0 × ?" CPUs and 0 GiB.
 */
export function environmentRows(env: Environment, t: TFunction, f: Formatters): [string, string][] {
  const h = env.host;
  const e = env.engine;
  const reached = (env.remote as { reached?: unknown } | undefined)?.reached !== false;
  const rows: [string, string | undefined][] = [
    [t('env.host'), reached ? [h.hostname, h.os, h.arch].filter(Boolean).join(' · ') : t('env.notReached')],
    [t('env.kernel'), h.kernel],
    // The derived id (not the raw /etc/machine-id): which runs came from the same machine.
    [t('env.machine'), h.machineId],
    // The model is unknown on some hosts (no "model name" in /proc/cpuinfo): then the count alone, not "2 × ?".
    [t('env.cpu'), reached && h.cpus > 0 ? (h.cpuModel ? `${h.cpus} × ${h.cpuModel}` : t('env.cpuCount', { count: h.cpus })) : undefined],
    [t('env.memory'), reached && h.memoryBytes > 0 ? f.bytes(h.memoryBytes) : undefined],
    [t('env.virtualization'), h.virtualization],
    [t('env.engine'), e && `${e.name} ${e.version}${e.apiVersion ? ` (API ${e.apiVersion})` : ''}`],
    [t('env.runtime'), e?.runtime ?? e?.defaultRuntime],
    [t('env.storage'), e?.storageDriver],
    [t('env.cgroup'), e?.cgroupVersion && `v${e.cgroupVersion}${e.cgroupDriver ? ` (${e.cgroupDriver})` : ''}`],
    [t('env.accelerator'), env.accelerator],
    [t('env.isolab'), `${env.isolabVersion}${env.node ? ` · Node ${env.node}` : ''}`],
  ];
  return rows.filter((r): r is [string, string] => !!r[1]);
}
