import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MODEL_STACKS } from '../../../shared/learn/content';
import { ISOLATION_SOURCES } from '../../../shared/learn/sources';
import { StackDiagram, type ActiveLayer } from './StackDiagram';

/** The four models side by side, and one panel that explains the layer under the pointer or the focus. */
export function Diagrams() {
  const { t } = useTranslation('learn');
  const [active, setActive] = useState<ActiveLayer>({ model: 'container', layer: 'hostKernel' });
  const key = `layers.${active.model}.${active.layer}`;
  return (
    <section className="card learn-diagrams" aria-labelledby="learn-diagrams-title">
      <h2 id="learn-diagrams-title">{t('diagrams.title')}</h2>
      <p className="muted">{t('diagrams.hint')}</p>
      <div className="stacks">
        {MODEL_STACKS.map((m) => (
          <div key={m.id} className="stack-cell">
            <StackDiagram model={m} active={active} onSelect={setActive} />
            <p className="small">{t(`models.${m.id}.blurb`)}</p>
          </div>
        ))}
      </div>
      <div className="layer-detail" aria-live="polite" data-testid="layer-detail">
        <h3>
          {t(`models.${active.model}.name`)} · {t(`${key}.name`)}
        </h3>
        <dl>
          <div>
            <dt>{t('diagrams.shares')}</dt>
            <dd>{t(`${key}.shares`)}</dd>
          </div>
          <div>
            <dt>{t('diagrams.isolates')}</dt>
            <dd>{t(`${key}.isolates`)}</dd>
          </div>
        </dl>
      </div>
      <details className="learn-sources small" data-testid="learn-sources">
        <summary>{t('sources.summary', { count: ISOLATION_SOURCES.length })}</summary>
        <ul>
          {ISOLATION_SOURCES.map((s) => (
            <li key={s.id}>
              <cite>{s.source}</cite> <span className="muted mono">{s.url}</span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
