import { useTranslation } from 'react-i18next';
import type { Spectrum } from '../../../shared/learn/spectrum';
import { useFormat } from '../format';
import { sharedKernel, useVerdictText } from '../learn/KernelVerdictText';
import { useTradeoffs } from '../learn/useTradeoffs';
import { useBytes } from '../learn/units';
import { containerVerdictOf, type KernelTriple } from './kernels';

/** Three cards, one kernel each, the container's described by the verdict; then the spectrum in one line per layer. */
export function SharedDemo({ kernels, busy, onAsk, readOnly }: { kernels?: KernelTriple; busy: boolean; onAsk(): void; readOnly: boolean }) {
  const { t } = useTranslation('workshop');
  const verdictText = useVerdictText();
  const cv = kernels && containerVerdictOf(kernels);
  const { table } = useTradeoffs();
  const cards: { key: 'host' | 'container' | 'vm'; release?: string }[] = [
    { key: 'host', release: kernels?.host },
    { key: 'container', release: kernels?.container },
    { key: 'vm', release: kernels?.vm },
  ];
  const label = (key: 'container' | 'vm') => {
    if (key === 'vm') return { text: t('shared.own'), tone: 'verdict-own' };
    if (!cv) return undefined;
    const tone = sharedKernel(cv.verdict) ? 'verdict-shared' : cv.verdict.code === 'unknownKernel' ? 'verdict-unknown' : 'verdict-own';
    return { text: t(`shared.card.${cv.verdict.code}`), tone };
  };
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
              const l = c.key !== 'host' && c.release ? label(c.key) : undefined;
              return (
                <div key={c.key} className={`kernel-card is-${c.key}`}>
                  <span className="figure-label">{t(`shared.${c.key}`)}</span>
                  <code className="kernel-release" data-testid={`kernel-${c.key}`}>{c.release ?? '–'}</code>
                  {l && (
                    <span className={l.tone} data-verdict={c.key === 'container' ? cv?.verdict.code : undefined}>
                      {l.text}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
          {cv && (
            <p className="small" data-testid="shared-verdict">
              {cv.fromEngine || cv.verdict.code === 'hostKernel' ? verdictText(cv.verdict) : t('shared.releaseOnly')}
            </p>
          )}
          <p className="small muted">{kernels.vmFrom === 'kit' ? t('shared.vmKit') : t('shared.fromRace')}</p>
        </>
      )}
      {table && <SpectrumStrip spectrum={table.spectrum} />}
    </section>
  );
}

/**
 * The spectrum in one line per layer, for a room: what the instances share, and this machine's fastest measured
 * model with its startup and memory (only what a document holds; the Learn page has the rest and the sources).
 */
function SpectrumStrip({ spectrum }: { spectrum: Spectrum }) {
  const { t } = useTranslation('workshop');
  const { t: tl } = useTranslation('learn');
  const f = useFormat();
  const bytes = useBytes();
  return (
    <div className="spectrum-strip" data-testid="shared-spectrum">
      <h3>{t('shared.spectrumTitle')}</h3>
      <ol>
        {spectrum.layers.map((l) => {
          const best = l.rows.find((r) => r.state === 'measured' && r.startup);
          const blocked = l.rows.find((r) => r.state === 'unavailable');
          return (
            <li key={l.id} data-layer={l.id}>
              <strong>{tl(`spectrum.layers.${l.id}.name`)}</strong>{' '}
              <span className={`chip ${l.sharing.kernel === 'own' ? 'is-own' : 'is-shared'}`}>{tl(`spectrum.sharing.kernel.${l.sharing.kernel}`)}</span>{' '}
              {l.sharing.hypervisor === 'shared' && <span className="chip">{tl('spectrum.sharing.hypervisor.shared')}</span>}{' '}
              {best?.startup ? (
                <span className="spectrum-strip-figure">
                  <code>{best.model}</code> {f.ms(best.startup.value)}
                  {best.memory && <> · {bytes(best.memory.value)}</>}
                  {best.accel === 'tcg' && <> · {tl('spectrum.accel.tcg')}</>}
                </span>
              ) : blocked ? (
                <span className="muted small">{t('shared.cannotRun', { model: blocked.model })}</span>
              ) : (
                <span className="muted small">{t('shared.notMeasured')}</span>
              )}
            </li>
          );
        })}
      </ol>
      <p className="small muted">{t('shared.spectrumNote')}</p>
    </div>
  );
}
