import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { useFormat } from '../format';
import { useNoteWords } from '../notes';
import { BootWaterfall } from './BootWaterfall';
import { hostRunView } from './hostRun';

/** One host's probe: what the machine is, how it booted (waterfall), what it holds at idle, SSH latency. */
export function HostResult({ run }: { run: Run }) {
  const { t } = useTranslation('hosts');
  const f = useFormat();
  const words = useNoteWords();
  const v = hostRunView(run);
  const h = run.environment.host;
  const virt = v.virtualization;
  const facts: [string, string | undefined][] = [
    [t('facts.reached'), v.resolved],
    [t('facts.os'), h.os],
    [t('facts.kernel'), `${h.kernel} · ${h.arch}`],
    [t('facts.cpus'), `${h.cpus}${h.cpuModel ? ` · ${h.cpuModel}` : ''}`],
    [t('facts.memory'), f.bytes(h.memoryBytes)],
    [t('facts.virt'), virt?.detectVirt],
    [t('facts.dmi'), [virt?.sysVendor, virt?.productName].filter(Boolean).join(' · ') || undefined],
    [t('facts.azure'), virt?.azure ? (virt.azure.error ?? `${virt.azure.vmSize ?? '?'} · ${virt.azure.location ?? '?'}`) : undefined],
  ];
  const idle: [string, string | undefined][] = [
    [t('idle.memory'), v.memoryUsed !== undefined ? `${f.bytes(v.memoryUsed)} / ${f.bytes(v.memoryTotal ?? 0)}` : undefined],
    [t('idle.disk'), v.diskUsed !== undefined ? f.bytes(v.diskUsed) : undefined],
    [t('idle.processes'), v.processes !== undefined ? f.int(v.processes) : undefined],
  ];
  const lat: [string, string | undefined][] = [
    [t('latency.connect'), run.summary.connect ? f.ms(run.summary.connect.median) : undefined],
    [t('latency.exec'), run.summary.exec ? f.ms(run.summary.exec.median) : undefined],
    [t('latency.reboot'), v.reboot ? f.ms(v.reboot.rebootToSshMs) : undefined],
  ];
  const dl = (rows: [string, string | undefined][]) => (
    <dl className="facts">
      {rows
        .filter(([, x]) => x)
        .map(([k, x]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{x}</dd>
          </div>
        ))}
    </dl>
  );
  return (
    <div className="hosts-result" data-testid="host-result">
      <div className="hosts-result-grid">
        <section className="card">
          <h2>{t('facts.title')}</h2>
          {dl(facts)}
        </section>
        <section className="card">
          <h2>{t('idle.title')}</h2>
          {dl(idle)}
          <h2>{t('latency.title')}</h2>
          {dl(lat)}
          <p className="muted small">{t('latency.note', { n: run.summary.connect?.n ?? 0 })}</p>
        </section>
      </div>
      <section className="card">
        <h2>{t('boot.title')}</h2>
        {v.boot?.systemd?.total !== undefined && <p>{t('boot.total', { total: f.ms(v.boot.systemd.total) })}</p>}
        <BootWaterfall bars={v.boot?.waterfall ?? []} />
        {v.boot?.cloudInit && v.boot.cloudInit.stages.length > 0 && (
          <p className="small">
            {t('boot.cloudInit')}: {v.boot.cloudInit.stages.map((s) => `${s.name} ${f.ms(s.ms)}`).join(' · ')}
          </p>
        )}
        {v.boot?.waagentProvisionedAt && <p className="small">{t('boot.waagent', { at: f.date(v.boot.waagentProvisionedAt) })}</p>}
        {run.notes.length > 0 && (
          <ul className="notes">
            {run.notes.map((n, i) => (
              <li key={i} data-code={n.code}>
                {words(n)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
