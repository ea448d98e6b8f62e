import { useTranslation } from 'react-i18next';
import type { Provenance } from '../../../shared/sim';

const BADGE: Record<Provenance['kind'], string> = { measured: 'badge-ok', reference: 'badge-muted', assumption: 'badge-warn', input: 'badge-muted' };

/** Where a number came from, at a glance: measured here, a cited reference, an assumption, or the user's input. */
export function SourceBadge({ p }: { p: Provenance }) {
  const { t } = useTranslation('sim');
  return (
    <span className={`badge sim-badge ${BADGE[p.kind]}`} data-source={p.kind}>
      {t(`source.${p.kind}`)}
    </span>
  );
}

/** The full trail: every input with its badge, its value and its source or run. */
export function SourceList({ items }: { items: { label: string; p: Provenance }[] }) {
  const { t } = useTranslation('sim');
  return (
    <ul className="sim-sources">
      {items.map(({ label, p }, i) => (
        <li key={i}>
          <SourceBadge p={p} />
          <span className="strong">{label}</span> <span>{p.detail}</span>
          {p.kind === 'measured' && !p.comparisonId && <span className="muted small mono"> {t('source.run', { id: p.runId, model: p.model })}</span>}
          {p.kind === 'measured' && p.comparisonId && <span className="muted small mono"> {t('source.comparison', { id: p.comparisonId, model: p.model })}</span>}
          {(p.kind === 'reference' || p.kind === 'assumption') && <span className="muted small"> — {p.source}</span>}
        </li>
      ))}
    </ul>
  );
}
