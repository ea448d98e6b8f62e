import { useTranslation } from 'react-i18next';
import type { Ratio } from '../../../shared/compare';
import type { PhaseSummary } from '../../../shared/run';
import { TASK_STAGES, type SwarmDoc } from '../../../shared/swarm';
import { useFormat } from '../format';
import { Notes } from '../result/Notes';

type Clock = 'isolab' | 'engine';
interface Row {
  key: string;
  label: string;
  summary?: PhaseSummary;
  clock: Clock;
  sub?: boolean;
}

/**
 * A swarm bench's figures, the same the CLI prints (shared/swarm.ts SwarmSummary): stage medians with their 95%
 * intervals, each naming its clock, then what the orchestrator adds (service over bare containers, with intervals).
 */
export function SwarmResult({ doc }: { doc: SwarmDoc }) {
  const { t } = useTranslation('swarm');
  const f = useFormat();
  const r = doc.request as { replicas?: number; scaleTo?: number; rounds?: number };
  const n = r.replicas ?? 0;
  const m = r.scaleTo;
  const s = doc.summary;
  const rows: Row[] = s
    ? [
        { key: 'task', label: t('stage.taskCreateToRunning'), summary: s.service.taskCreateToRunning, clock: 'engine' },
        ...TASK_STAGES.map((st) => ({ key: st.name, label: t(`stage.${st.name}`, { from: st.from, to: st.to }), summary: s.service.stages[st.name], clock: 'engine' as Clock, sub: true })),
        { key: 'create', label: t('stage.createAll', { n }), summary: s.service.allRunning, clock: 'isolab' },
        { key: 'createEngine', label: t('stage.createAllEngine'), summary: s.service.allRunningEngine, clock: 'engine', sub: true },
        ...(s.scale && m ? [{ key: 'scale', label: t('stage.scale', { n, m }), summary: s.scale.allRunning, clock: 'isolab' as Clock }] : []),
        { key: 'rm', label: t('stage.serviceRm'), summary: s.cleanup, clock: 'isolab' },
        ...(s.bare
          ? [
              { key: 'bare', label: t('stage.bare', { n }), summary: s.bare.allRunning, clock: 'isolab' as Clock },
              { key: 'bareEach', label: t('stage.bareEach'), summary: s.bare.createdToStarted, clock: 'engine' as Clock, sub: true },
              { key: 'bareRm', label: t('stage.bareRm'), summary: s.bare.cleanup, clock: 'isolab' as Clock, sub: true },
            ]
          : []),
      ]
    : [];
  const ratios: { key: string; label: string; ratio?: Ratio; clock: Clock }[] = s?.ratios
    ? [
        { key: 'allRunning', label: t('ratio.allRunning', { n }), ratio: s.ratios.allRunning, clock: 'isolab' },
        { key: 'perInstance', label: t('ratio.perInstance'), ratio: s.ratios.perInstance, clock: 'engine' },
        { key: 'cleanup', label: t('ratio.cleanup'), ratio: s.ratios.cleanup, clock: 'isolab' },
      ]
    : [];
  return (
    <section className="card" data-testid="swarm-result">
      <h2>{t('result.title')}</h2>
      <p className="muted">
        {t('result.summary', { status: t(`status.${doc.status}`), rounds: r.rounds ?? 0, n, network: doc.network })}
        {m ? ` ${t('result.scaled', { m })}` : ''}
      </p>
      {doc.error && (
        <div className="banner banner-danger" role="alert" data-testid="swarm-error">
          <p className="banner-text">{doc.error}</p>
        </div>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table num-table" data-testid="swarm-stages">
            <caption>{t('result.stages')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.stage')}</th>
                <th scope="col">{t('col.median')}</th>
                <th scope="col">{t('col.ci95')}</th>
                <th scope="col">{t('col.n')}</th>
                <th scope="col">{t('col.clock')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} data-stage={row.key}>
                  <th scope="row" className={row.sub ? 'swarm-sub' : undefined}>
                    {row.label}
                  </th>
                  <td className="strong">{row.summary?.n ? f.ms(row.summary.median) : '–'}</td>
                  <td>{row.summary?.n ? `${f.num(row.summary.ci95[0])}–${f.num(row.summary.ci95[1])}` : '–'}</td>
                  <td>{f.int(row.summary?.n ?? 0)}</td>
                  <td className="muted">{t(`clock.${row.clock}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ratios.length > 0 && (
        <div className="table-wrap">
          <table className="table num-table" data-testid="swarm-ratios">
            <caption>{t('result.ratios')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.what')}</th>
                <th scope="col">{t('col.ratio')}</th>
                <th scope="col">{t('col.ci95')}</th>
                <th scope="col">{t('col.clock')}</th>
              </tr>
            </thead>
            <tbody>
              {ratios.map((x) => (
                <tr key={x.key} data-ratio={x.key}>
                  <th scope="row">{x.label}</th>
                  <td className="strong">{x.ratio ? f.ratio(x.ratio.ratio) : '–'}</td>
                  <td>{x.ratio ? `${f.ratio(x.ratio.ci95[0])}–${f.ratio(x.ratio.ci95[1])}` : '–'}</td>
                  <td className="muted">{t(`clock.${x.clock}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {s && !s.ratios && <p className="muted">{t('result.noRatios')}</p>}
      <Notes notes={doc.notes} />
    </section>
  );
}
