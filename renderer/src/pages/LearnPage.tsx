import { useTranslation } from 'react-i18next';
import '../learn/learn.css';
import { Diagrams } from '../learn/Diagrams';
import { Landscape } from '../learn/Landscape';
import { LiveFacts } from '../learn/LiveFacts';
import { Spectrum } from '../learn/Spectrum';
import { TradeoffTable } from '../learn/TradeoffTable';
import { useTradeoffs } from '../learn/useTradeoffs';
import type { PageProps } from '.';

/**
 * Why, not only how much: the models as diagrams, the spectrum and the tradeoffs with this machine's numbers,
 * live facts, and what became of the products the article named.
 */
export function LearnPage(_: PageProps) {
  const { t } = useTranslation('learn');
  const measured = useTradeoffs();
  return (
    <div className="page learn">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
      </div>
      <Diagrams />
      <Spectrum {...measured} />
      <TradeoffTable {...measured} />
      <LiveFacts />
      <Landscape />
    </div>
  );
}
