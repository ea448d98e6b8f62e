import { useTranslation } from 'react-i18next';
import type { Environment } from '../../../shared/run';
import { useFormat } from '../format';

/** Where the numbers came from: without the host, kernel, engine and runtime they cannot be compared. */
export function EnvironmentCard({ env }: { env: Environment }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const h = env.host;
  const e = env.engine;
  const rows: [string, string | undefined][] = [
    [t('env.host'), [h.hostname, h.os, h.arch].filter(Boolean).join(' · ')],
    [t('env.kernel'), h.kernel],
    [t('env.cpu'), `${h.cpus} × ${h.cpuModel ?? '?'}`],
    [t('env.memory'), f.bytes(h.memoryBytes)],
    [t('env.virtualization'), h.virtualization],
    [t('env.engine'), e && `${e.name} ${e.version}${e.apiVersion ? ` (API ${e.apiVersion})` : ''}`],
    [t('env.runtime'), e?.runtime ?? e?.defaultRuntime],
    [t('env.storage'), e?.storageDriver],
    [t('env.cgroup'), e?.cgroupVersion && `v${e.cgroupVersion}${e.cgroupDriver ? ` (${e.cgroupDriver})` : ''}`],
    [t('env.accelerator'), env.accelerator],
    [t('env.isolab'), `${env.isolabVersion}${env.node ? ` · Node ${env.node}` : ''}`],
  ];
  return (
    <section className="card" aria-labelledby="env-title" data-testid="environment">
      <h2 id="env-title">{t('env.title')}</h2>
      <dl className="facts">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="mono">{v}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
