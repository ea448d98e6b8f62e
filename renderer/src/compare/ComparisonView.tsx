import { useTranslation } from 'react-i18next';
import type { Comparison } from '../../../shared/compare';
import { useFormat } from '../format';
import { uniqueNotes } from '../../../shared/notes';
import { useNoteWords } from '../notes';
import { StatusBadge } from '../result/StatusBadge';
import { DensityChart, MemoryChart, PhaseBreakdownChart, StartupChart } from './charts';
import { ExportButtons } from './ExportButtons';
import { ReportButtons } from '../transfer/ReportButtons';
import { ModelsTable } from './ModelsTable';
import { PrecisionSection } from './PrecisionSection';
import './compare.css';

export function ComparisonView({ c }: { c: Comparison }) {
  const { t } = useTranslation('compare');
  const f = useFormat();
  const h = c.environment.host;
  const e = c.environment.engine;
  const notes = uniqueNotes([...c.notes, ...c.models.flatMap((m) => [...m.notes, ...(m.footprint?.notes ?? [])])]);
  const words = useNoteWords();
  return (
    <article className="compare" data-testid="comparison">
      <header className="result-head">
        <h2>
          {typeof c.plan.name === 'string' ? c.plan.name : t('untitled')} <StatusBadge status={c.status} />
        </h2>
        <ExportButtons id={c.id} />
        <ReportButtons ids={[c.id]} />
      </header>
      <p className="muted small mono">
        {c.id} · {f.date(c.startedAt)} · {h.os}, {h.kernel}, {h.cpus} CPU{e ? ` · ${e.name} ${e.version} ${e.storageDriver ?? ''} cgroup v${e.cgroupVersion ?? '?'}` : ''}
      </p>
      <p>{t('floorExplained', { floor: c.floor })}</p>
      <ModelsTable c={c} />
      <div className="compare-charts">
        <StartupChart c={c} />
        <PhaseBreakdownChart c={c} />
        <MemoryChart c={c} />
        <DensityChart c={c} />
      </div>
      <PrecisionSection c={c} />
      {notes.length > 0 && (
        <section className="card">
          <h3>{t('notes')}</h3>
          <ul className="notes">
            {notes.map((n, i) => (
              <li key={i} data-code={n.code}>
                {words(n)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
