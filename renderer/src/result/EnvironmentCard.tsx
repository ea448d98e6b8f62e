import { useTranslation } from 'react-i18next';
import type { Environment } from '../../../shared/run';
import { useFormat } from '../format';
import { environmentRows } from './environment';

/** Where the numbers came from: without the host, kernel, engine and runtime they cannot be compared. */
export function EnvironmentCard({ env }: { env: Environment }) {
  const { t } = useTranslation('result');
  const f = useFormat();
  const rows = environmentRows(env, t, f);
  return (
    <section className="card" aria-labelledby="env-title" data-testid="environment">
      <h2 id="env-title">{t('env.title')}</h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="mono">{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
