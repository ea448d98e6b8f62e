import { useTranslation } from 'react-i18next';
import type { Comparison, ModelResult } from '../../../shared/compare';
import { hostBytesBelowNoise } from '../../../shared/host-memory';
import { useFormat } from '../format';
import { href } from '../router';
import { MiB } from './data';
import { usePrecisionWords } from './PrecisionSection';

const TONE: Record<ModelResult['status'], string> = { ok: 'ok', unavailable: 'muted', failed: 'danger', cancelled: 'warn', skipped: 'muted' };

/** Every model side by side: startup with its interval, the ratio to the floor, memory, CPU, disk, or why not. */
export function ModelsTable({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const reached = usePrecisionWords();
  const mib = (v: number | undefined) => (v === undefined ? '–' : `${f.num(v / MiB)}\u202fMiB`);
  return (
    <div className="table-wrap">
      <table className="table compare-table" data-testid="models-table">
        <thead>
          <tr>
            <th scope="col">{t('col.model')}</th>
            <th scope="col" className="num">{t('col.ready')}</th>
            <th scope="col" className="num">{t('col.ratio', { floor: c.floor })}</th>
            <th scope="col" className="num">{t('col.lifecycle')}</th>
            <th scope="col" className="num">{t('col.host')}</th>
            <th scope="col" className="num">{t('col.cgroup')}</th>
            <th scope="col" className="num">{t('col.helpers')}</th>
            <th scope="col" className="num">{t('col.cpu')}</th>
            <th scope="col" className="num">{t('col.disk')}</th>
          </tr>
        </thead>
        <tbody>
          {c.models.map((m) => {
            const s = m.startup;
            const fp = m.footprint;
            const sf = m.adaptive?.figures.find((x) => x.figure === 'startup');
            return (
              <tr key={m.model} data-model={m.model}>
                <th scope="row">
                  {m.runId ? <a className="mono" href={href('runs', m.runId)}>{m.model}</a> : <span className="mono">{m.model}</span>}
                  {m.aliases?.length ? <div className="muted small mono" data-testid="aliases">{t('aliases', { names: m.aliases.join(', ') })}</div> : <br />}
                  <span className={`badge badge-${TONE[m.status]}`}>{t(`status.${m.status}`)}</span>
                </th>
                {!s && (
                  // A model that did not run: its one-line reason across the figures it has none of.
                  <td colSpan={8} className="small compare-error" data-reason={m.reason?.code}>
                    {m.reason ? t(`reason.${m.reason.code}`, { ...m.reason.params, defaultValue: m.error ?? '–' }) : (m.error ?? '–')}
                  </td>
                )}
                {s && (<>
                <td className="num mono">
                  {s ? f.ms(s.ready.median) : '–'}
                  {s && <div className="muted small">{f.ms(s.ready.ci95[0])}–{f.ms(s.ready.ci95[1])}</div>}
                  {sf && (
                    <div className="muted small" data-testid="startup-precision">
                      {t('precision.short', { n: sf.count, reached: reached(sf) })} · {t(`stopReason.${sf.stopReason}`)}
                    </div>
                  )}
                  {s?.startCallLag && (
                    // Ready is the workload's own line; the engine's answer to the start call is its own moment.
                    <div className="muted small" data-testid="start-call-lag" title={t('startCallTitle', { k: s.startCallLag.readyFirst, n: s.startCallLag.n })}>
                      {t(s.startCallLag.medianMs >= 0 ? 'startCallAfter' : 'startCallBefore', { lag: f.ms(Math.abs(s.startCallLag.medianMs)) })}
                    </div>
                  )}
                </td>
                <td className="num mono">
                  {m.ratios?.ready ? f.ratio(m.ratios.ready.ratio) : '–'}
                  {m.ratios?.ready && m.model !== c.floor && <div className="muted small">{f.ratio(m.ratios.ready.ci95[0])}–{f.ratio(m.ratios.ready.ci95[1])}</div>}
                </td>
                <td className="num mono">{s ? f.ms(s.summary.total?.median) : '–'}</td>
                <td className="num mono">
                  {fp && hostBytesBelowNoise(fp.memory) ? (
                    <span className="muted" title={t('belowNoiseTitle', { value: mib(fp.memory.hostBytes) })}>{t('belowNoise')}</span>
                  ) : (
                    mib(fp?.memory.hostBytes)
                  )}
                  {fp?.memory.hostBytes !== undefined && <div className="muted small">{t('perN', { n: fp.instances })}</div>}
                  {(fp?.memory.hostBytesRounds?.length ?? 0) > 1 && (
                    <div className="muted small">{t('rounds', { lo: mib(Math.min(...fp!.memory.hostBytesRounds!)), hi: mib(Math.max(...fp!.memory.hostBytesRounds!)) })}</div>
                  )}
                </td>
                <td className="num mono">{mib(fp?.memory.cgroupBytes ?? fp?.memory.processPssBytes)}</td>
                <td className="num mono" title={fp?.helperProcesses?.join(', ')}>{mib(fp?.memory.helperPssBytes)}</td>
                <td className="num mono">
                  {fp ? f.ms(fp.cpu.startupMs ?? fp.cpu.hostStartupMs) : '–'}
                  {fp?.cpu.hostStartupMs !== undefined && <div className="muted small">{t('wholeHost', { ms: f.ms(fp.cpu.hostStartupMs) })}</div>}
                </td>
                <td className="num mono">
                  {fp?.disk.imageBytes !== undefined ? mib(fp.disk.imageBytes) : mib(fp?.disk.rootFsBytes)}
                  {fp?.disk.writableLayerBytes !== undefined && <div className="muted small">{t('writable', { size: mib(fp.disk.writableLayerBytes) })}</div>}
                </td>
                </>)}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
