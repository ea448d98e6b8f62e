import { useTranslation } from 'react-i18next';
import '../learn/learn.css';
import { Diagrams } from '../learn/Diagrams';
import { LiveFacts } from '../learn/LiveFacts';
import { TradeoffTable } from '../learn/TradeoffTable';
import type { PageProps } from '.';

/** Why, not only how much: the models as diagrams, the tradeoffs with this machine's numbers, live facts. */
export function LearnPage(_: PageProps) {
  const { t } = useTranslation('learn');
  return (
    <div className="page learn">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </div>
      <Diagrams />
      <TradeoffTable />
      <LiveFacts />
    </div>
  );
}
