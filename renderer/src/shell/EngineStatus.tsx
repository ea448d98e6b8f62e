import { useTranslation } from 'react-i18next';
import { useLab } from '../lab/LabContext';

/** The header's one-line engine state; the full error and its fix are in <EngineBanner>. */
export function EngineStatus() {
  const { t } = useTranslation();
  const { info, connectionError } = useLab();
  if (connectionError) return <span className="pill pill-danger" data-testid="engine-status">{t('common:engine.disconnected')}</span>;
  if (!info) return <span className="pill" data-testid="engine-status">{t('common:engine.checking')}</span>;
  if (!info.docker.ok) return <span className="pill pill-danger" data-testid="engine-status">{t('common:engine.down')}</span>;
  const e = info.docker.engine;
  const facts = [e.defaultRuntime ?? e.runtime, e.storageDriver, e.cgroupVersion && t('common:engine.cgroup', { version: e.cgroupVersion })].filter(Boolean);
  return (
    <span className="pill pill-ok" data-testid="engine-status" title={e.endpoint}>
      <span className="dot" aria-hidden="true" />
      {`${e.name} ${e.version}`}
      <span className="pill-facts">{facts.join(' · ')}</span>
    </span>
  );
}
