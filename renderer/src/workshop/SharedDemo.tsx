import { useTranslation } from 'react-i18next';
import type { Kernels, RaceSummary } from '../../../shared/learn/race';

export interface KernelTriple {
  host?: string;
  container?: string;
  vm?: string;
  /** Where the VM's came from: the race (a booted guest) or the kit's kernel image. */
  vmFrom: 'race' | 'kit';
}

/** The engine's answer when asked (it prefers the race's booted guest for the VM), else the last race's. */
export function kernelsFrom(summary?: RaceSummary, asked?: Kernels): KernelTriple | undefined {
  if (asked) return { host: asked.host, container: asked.container, vm: asked.vm, vmFrom: asked.vmBooted ? 'race' : 'kit' };
  if (!summary?.vmKernel) return undefined;
  return { host: summary.hostKernel, container: summary.containerKernel, vm: summary.vmKernel, vmFrom: 'race' };
}

/** Three cards, one kernel each: the container's is the host's, the VM's is its own. */
export function SharedDemo({ kernels, busy, onAsk, readOnly }: { kernels?: KernelTriple; busy: boolean; onAsk(): void; readOnly: boolean }) {
  const { t } = useTranslation('workshop');
  const cards: { key: 'host' | 'container' | 'vm'; release?: string }[] = [
    { key: 'host', release: kernels?.host },
    { key: 'container', release: kernels?.container },
    { key: 'vm', release: kernels?.vm },
  ];
  return (
    <section className="demo" aria-labelledby="shared-title" data-testid="shared-demo">
      <h2 id="shared-title">{t('shared.title')}</h2>
      <p className="muted">{t('shared.lead')}</p>
      {!readOnly && (
        <div className="demo-controls">
          <button type="button" className="button button-primary" disabled={busy} onClick={onAsk} data-testid="shared-ask">
            {busy ? t('shared.asking') : t('shared.ask')}
          </button>
        </div>
      )}
      {kernels && (
        <>
          <div className="kernel-cards">
            {cards.map((c) => {
              const same = c.key !== 'host' && c.release !== undefined && c.release === kernels.host && c.key === 'container';
              return (
                <div key={c.key} className={`kernel-card is-${c.key}`}>
                  <span className="figure-label">{t(`shared.${c.key}`)}</span>
                  <code className="kernel-release" data-testid={`kernel-${c.key}`}>{c.release ?? '–'}</code>
                  {c.key !== 'host' && c.release && <span className={same ? 'verdict-shared' : 'verdict-own'}>{same ? t('shared.same') : t('shared.own')}</span>}
                </div>
              );
            })}
          </div>
          <p className="small muted">{kernels.vmFrom === 'kit' ? t('shared.vmKit') : t('shared.fromRace')}</p>
        </>
      )}
    </section>
  );
}
