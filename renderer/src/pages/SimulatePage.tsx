import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MachineFigures } from '../../../shared/sim';
import { useLab } from '../lab/LabContext';
import { MachinePicker } from '../machines/MachinePicker';
import { BurstPanel } from '../sim/BurstPanel';
import { ConsolidationPanel } from '../sim/ConsolidationPanel';
import '../sim/sim.css';
import type { PageProps } from '.';

type Tab = 'consolidate' | 'burst';

/** #/simulate: what the measurements mean beyond one host. #/simulate/burst opens the scale-out tab. */
export function SimulatePage({ params }: PageProps) {
  const { t } = useTranslation('sim');
  const { api } = useLab();
  const [tab, setTab] = useState<Tab>(params[0] === 'burst' ? 'burst' : 'consolidate');
  const tabs: Tab[] = ['consolidate', 'burst'];
  /** The machine whose measured figures replace the defaults (none: the built-in and cited figures). */
  const [machine, setMachine] = useState<MachineFigures>();
  return (
    <div className="page sim-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <p className="muted">{t('intro')}</p>
        <p className="small sim-legend">
          <span className="badge badge-ok">{t('source.measured')}</span> {t('legend.measured')}{' '}
          <span className="badge badge-muted">{t('source.reference')}</span> {t('legend.reference')}{' '}
          <span className="badge badge-warn">{t('source.assumption')}</span> {t('legend.assumption')}
        </p>
      </div>
      <MachinePicker onChange={setMachine} />
      <div className="tabs" role="tablist" aria-label={t('title')}>
        {tabs.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`sim-tab-${k}`}
            aria-selected={tab === k}
            aria-controls={`sim-panel-${k}`}
            className={`tab${tab === k ? ' tab-active' : ''}`}
            onClick={() => setTab(k)}
            data-testid={`tab-${k}`}
          >
            {t(`tabs.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`sim-panel-${tab}`} aria-labelledby={`sim-tab-${tab}`}>
        <p className="muted">{t(`about.${tab}`)}</p>
        {tab === 'consolidate' ? <ConsolidationPanel api={api} machine={machine} /> : <BurstPanel api={api} machine={machine} />}
      </div>
    </div>
  );
}
