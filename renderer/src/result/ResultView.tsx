import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../shared/run';
import { useFormat } from '../format';
import { href } from '../router';
import { DistributionGrid } from './DistributionGrid';
import { EnvironmentCard } from './EnvironmentCard';
import { Notes } from './Notes';
import { RatioCard } from './RatioCard';
import { ReadyCard } from './ReadyCard';
import { StatusBadge } from './StatusBadge';
import { SummaryCard } from './SummaryCard';

/** One run, whole: what was measured, how it is spread, how it compares with the floor, and what to doubt. */
export function ResultView({ run, showOpenLink = false }: { run: Run; showOpenLink?: boolean }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const warmups = run.samples.filter((s) => s.warmup).length;
  const timed = run.samples.length - warmups;
  // The bootstrap intervals (seconds of resampling for a large run, in slices) wait for the charts: their slices would
  // otherwise come between the charts' tasks and hold each chart up.
  const [drawnFor, setDrawnFor] = useState<string>();
  const wait = timed > 0 && drawnFor !== run.id;
  return (
    <article className="result" data-testid="result" aria-labelledby="result-title">
      <header className="card result-head">
        <div>
          <h2 id="result-title" className="mono">
            {run.model}
          </h2>
          <p className="muted small mono">{run.id}</p>
        </div>
        <StatusBadge status={run.status} />
        <dl className="result-facts">
          <div>
            <dt>{t('started')}</dt>
            <dd>{f.date(run.startedAt)}</dd>
          </div>
          <div>
            <dt>{t('iterations')}</dt>
            <dd className="mono">{t('iterationsValue', { timed: f.int(timed), warmup: f.int(warmups) })}</dd>
          </div>
          <div>
            <dt>{t('median')}</dt>
            <dd className="mono strong">{f.ms(run.summary.total?.median)}</dd>
          </div>
        </dl>
        {showOpenLink && (
          <a className="button" href={href('runs', run.id)}>
            {t('open')}
          </a>
        )}
      </header>
      {run.error && (
        <div className="banner banner-danger" role="alert">
          <div>
            <strong>{t('error')}</strong>
            <p className="banner-text">{run.error}</p>
          </div>
        </div>
      )}
      <ReadyCard run={run} wait={wait} />
      <RatioCard run={run} wait={wait} />
      <Notes notes={run.notes} />
      {timed === 0 ? (
        <p className="card muted">{t('noSamples')}</p>
      ) : (
        <>
          <DistributionGrid run={run} onDrawn={setDrawnFor} />
          <SummaryCard run={run} />
        </>
      )}
      <EnvironmentCard env={run.environment} />
    </article>
  );
}
