import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IsolationFacts, IsolationView } from '../../../shared/learn/facts';
import { engineHardening } from '../../../shared/learn/hardening';
import type { EngineView, KernelVerdict } from '../../../shared/learn/verdict';
import { useFormat } from '../format';
import { useLab } from '../lab/LabContext';
import { sharedKernel, useVerdictText } from './KernelVerdictText';
import { useBytes } from './units';

const NAMESPACES = ['pid', 'mnt', 'net', 'uts', 'ipc', 'user', 'cgroup', 'time'];

/** Host, probe container and VM side by side: the same questions, three answers. */
export function LiveFacts() {
  const { t } = useTranslation('learn');
  const f = useFormat();
  const { api, readOnly, info } = useLab();
  const engine = info?.docker.ok ? info.docker.engine : undefined;
  const [facts, setFacts] = useState<IsolationFacts>();
  // The probe's runtime: the engine's default, or one it lists (runsc shows gVisor's own kernel and kernel log).
  const [runtime, setRuntime] = useState('');
  const [busy, setBusy] = useState<'read' | 'boot'>();
  const [error, setError] = useState<string>();
  const read = async (bootVm: boolean) => {
    setBusy(bootVm ? 'boot' : 'read');
    setError(undefined);
    try {
      setFacts(await api.isolationFacts({ bootVm, runtime: runtime || undefined }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className="card" id="learn-facts" aria-labelledby="learn-facts-title" tabIndex={-1}>
      <div className="section-head">
        <h2 id="learn-facts-title">{t('facts.title')}</h2>
        {!readOnly && (
          <div className="facts-actions">
            {(engine?.runtimes?.length ?? 0) > 1 && (
              <label className="facts-runtime">
                <span>{t('facts.runtime')}</span>
                <select value={runtime} disabled={!!busy} onChange={(e) => setRuntime(e.target.value)} data-testid="facts-runtime">
                  <option value="">{engine?.defaultRuntime ? t('facts.runtimeDefault', { name: engine.defaultRuntime }) : t('facts.runtimeDefaultUnknown')}</option>
                  {engine!.runtimes!.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" className="button button-primary" disabled={!!busy} onClick={() => void read(false)} data-testid="read-facts">
              {busy === 'read' ? t('facts.reading') : t('facts.read')}
            </button>
            <button type="button" className="button" disabled={!!busy} onClick={() => void read(true)} data-testid="boot-facts">
              {busy === 'boot' ? t('facts.booting') : t('facts.boot')}
            </button>
          </div>
        )}
      </div>
      <p className="muted">{readOnly ? t('facts.readOnly') : t('facts.intro')}</p>
      <div aria-live="polite">
        {error && <p className="field-error" role="alert">{error}</p>}
        {facts && (
          <>
            <ul className="facts-verdicts" data-testid="facts-verdicts">
              {facts.containerKernel && <KernelVerdictLine v={facts.containerKernel} />}
              {facts.container.engine && <HardeningLine engine={facts.container.engine} />}
              {facts.vm.kernel && <li className="verdict-own">{t('facts.vmOwnKernel', { release: facts.vm.kernel.release, host: facts.host.kernel?.release })}</li>}
              {facts.sharedNamespaces.length > 0 && <li>{t('facts.sharedNamespaces', { list: facts.sharedNamespaces.join(', ') })}</li>}
            </ul>
            <div className="table-wrap">
              <table className="table facts-table" data-testid="facts-table">
                <caption className="visually-hidden">{t('facts.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col"></th>
                    <th scope="col">{t('facts.host')}</th>
                    <th scope="col">{t('facts.container')}</th>
                    <th scope="col">{t('facts.vm')}</th>
                  </tr>
                </thead>
                <tbody>
                  <FactRow label={t('facts.kernel')} facts={facts} cell={(v) => <code data-kernel={v.side}>{v.kernel?.release ?? '–'}</code>} />
                  <FactRow label={t('facts.kernelVersion')} facts={facts} cell={(v) => <span className="small mono">{v.kernel?.version ?? '–'}</span>} />
                  <FactRow label={t('facts.dmesg')} facts={facts} cell={(v) => (v.dmesg?.length ? <pre className="small mono facts-dmesg" data-dmesg={v.side}>{v.dmesg.join('\n')}</pre> : '–')} />
                  {NAMESPACES.map((ns) => (
                    <FactRow
                      key={ns}
                      row={`ns-${ns}`}
                      label={`${t('facts.namespaces')}: ${ns}`}
                      facts={facts}
                      cell={(v) => <Namespace v={v} ns={ns} host={facts.host} />}
                    />
                  ))}
                  <FactRow label={t('facts.seccomp')} facts={facts} cell={(v) => (v.seccomp === undefined ? '–' : `${v.seccomp} (${t(`facts.seccompMode.${v.seccomp}`)})`)} />
                  <FactRow
                    label={t('facts.capabilities')}
                    facts={facts}
                    cell={(v) =>
                      v.capabilities ? (
                        <details>
                          <summary>
                            {t('facts.capCount', { count: v.capabilities.length })} <code className="small">{v.capEff}</code>
                          </summary>
                          <p className="small mono cap-list">{v.capabilities.map((c) => c.replace(/^CAP_/, '')).join(' ')}</p>
                        </details>
                      ) : (
                        '–'
                      )
                    }
                  />
                  <FactRow label={t('facts.cgroup')} facts={facts} cell={(v) => <code className="small">{v.cgroupPath ?? '–'}</code>} />
                  <FactRow label={t('facts.limits')} facts={facts} cell={(v) => (howKey(v) === 'vmKit' ? '–' : <Limits v={v} />)} />
                  <FactRow label={t('facts.how')} facts={facts} cell={(v) => <span className="small muted" title={v.source}>{v.error ? t('facts.error', { error: v.error }) : t(`facts.howBy.${howKey(v)}`)}</span>} />
                </tbody>
              </table>
            </div>
            {Object.keys(facts.vm.namespaces).length > 0 && <p className="small muted">{t('facts.vmNsNote')}</p>}
            <p className="small muted">{t('facts.gatheredAt', { date: f.date(facts.gatheredAt) })}</p>
          </>
        )}
      </div>
    </section>
  );
}

/** Which kernel answers the container: the host's and the engine VM's are shared by every container, the others not. */
function KernelVerdictLine({ v }: { v: KernelVerdict }) {
  const text = useVerdictText();
  return (
    <li className={sharedKernel(v) ? 'verdict-shared' : 'verdict-own'} data-verdict={v.code}>
      {text(v)}
    </li>
  );
}

/** What the engine turns on for every container (its security options), and what it leaves off. */
function HardeningLine({ engine }: { engine: EngineView }) {
  const { t } = useTranslation('learn');
  const h = engineHardening(engine.securityOptions);
  const part = (k: string, p?: Record<string, string>) => t(`facts.hardeningPart.${k}`, p);
  const on: string[] = [];
  const off: string[] = [];
  if (h.seccomp === 'unconfined') off.push(part('seccompUnconfined'));
  else if (h.seccomp) on.push(part('seccomp', { profile: h.seccomp }));
  else off.push('seccomp');
  for (const k of ['apparmor', 'selinux', 'userns', 'rootless'] as const) (h[k] ? on : off).push(part(k));
  return (
    <li data-testid="engine-hardening">
      {t('facts.hardening', { on: on.length ? on.join(', ') : part('none'), off: off.length ? off.join(', ') : part('none') })}
    </li>
  );
}

/** Which of the ways of reading the facts a column used (the engine's own line is the cell's title). */
function howKey(v: IsolationView): 'host' | 'container' | 'vmBooted' | 'vmKit' {
  if (v.side !== 'vm') return v.side;
  return v.kernel?.version || Object.keys(v.namespaces).length ? 'vmBooted' : 'vmKit';
}

function FactRow({ label, facts, cell, row }: { label: string; facts: IsolationFacts; cell(v: IsolationView): React.ReactNode; row?: string }) {
  return (
    <tr data-row={row}>
      <th scope="row">{label}</th>
      {[facts.host, facts.container, facts.vm].map((v) => (
        <td key={v.side}>{v.error && !v.kernel ? '–' : cell(v)}</td>
      ))}
    </tr>
  );
}

function Namespace({ v, ns, host }: { v: IsolationView; ns: string; host: IsolationView }) {
  const { t } = useTranslation('learn');
  const link = v.namespaces[ns];
  if (!link) return <span className="muted">–</span>;
  const id = link.replace(/^\w+:/, '');
  if (v.side === 'host') return <code className="small">{id}</code>;
  const same = v.side === 'container' && host.namespaces[ns] === link;
  return (
    <span>
      <code className="small">{id}</code> <span className={`tag ${same ? 'tag-same' : 'tag-own'}`}>{same ? t('facts.sameNs') : t('facts.ownNs')}</span>
    </span>
  );
}

function Limits({ v }: { v: IsolationView }) {
  const { t } = useTranslation('learn');
  const f = useFormat();
  const bytes = useBytes();
  const parts: string[] = [];
  if (v.limits.memoryBytes !== undefined) parts.push(t('facts.memoryLimit', { value: bytes(v.limits.memoryBytes) }));
  if (v.limits.pids !== undefined) parts.push(t('facts.pidsLimit', { value: f.int(v.limits.pids) }));
  if (v.limits.cpus !== undefined) parts.push(t('facts.cpuLimit', { value: f.num(v.limits.cpus, 2) }));
  return <span>{parts.length ? parts.join(' · ') : <span className="muted">{t('facts.noLimits')}</span>}</span>;
}
