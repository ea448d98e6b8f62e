import { useTranslation } from 'react-i18next';
import type { Measured, PublishedFigure, TradeoffRow, TradeoffTable as Table } from '../../../shared/learn/tradeoffs';
import { useFormat } from '../format';
import { href } from '../router';
import { useBytes } from './units';

/** Cited figures shown at once per row; the rest fold away. */
const SHOWN = 4;

const COMMANDS: Record<string, { container: string; vm: string }> = {
  startup: { container: 'isolab bench containers', vm: 'isolab bench vm' },
  memory: { container: 'isolab compare', vm: 'isolab bench vm' },
  density: { container: 'isolab compare', vm: 'isolab bench vm' },
  disk: { container: 'isolab compare', vm: 'isolab bench vm' },
};

/** The classic comparison, each row with this machine's latest values (and the run behind each) beside cited figures. */
export function TradeoffTable({ table, error }: { table?: Table; error?: string }) {
  const { t } = useTranslation('learn');
  return (
    <section className="card" aria-labelledby="learn-table-title">
      <h2 id="learn-table-title">{t('table.title')}</h2>
      <p className="muted">{t('table.intro')}</p>
      {error && <p className="field-error" role="alert">{error}</p>}
      {!table && !error && <p className="muted">{t('table.loading')}</p>}
      {table && (
        <>
          <div className="table-wrap">
            <table className="table tradeoffs" data-testid="tradeoffs">
              <caption className="visually-hidden">{t('table.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('table.aspect')}</th>
                  <th scope="col">{t('table.containers')}</th>
                  <th scope="col">{t('table.vms')}</th>
                  <th scope="col">{t('table.references')}</th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <Row key={r.id} row={r} />
                ))}
              </tbody>
            </table>
          </div>
          {table.caveats.length > 0 && (
            <ul className="notes small">
              {table.caveats.map((c) => (
                <li key={c}>{t(`table.caveats.${c}`)}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Row({ row }: { row: TradeoffRow }) {
  const { t } = useTranslation('learn');
  const measurable = row.id in COMMANDS;
  return (
    <tr data-row={row.id}>
      <th scope="row">{t(`table.rows.${row.id}.name`)}</th>
      {(['container', 'vm'] as const).map((side) => (
        <td key={side} data-side={side}>
          <p>{t(`table.rows.${row.id}.${side}`)}</p>
          {row.id === 'security' && side === 'container' && (
            <p className="small">
              <a href="#learn-facts">{t('table.rows.security.measured')}</a>
            </p>
          )}
          {measurable && <MeasuredCell m={row[side]} command={COMMANDS[row.id][side]} />}
        </td>
      ))}
      <td className="refs">
        {row.references.length ? (
          <>
            <ul>
              {row.references.slice(0, SHOWN).map((f, i) => (
                <Reference key={i} f={f} />
              ))}
            </ul>
            {row.references.length > SHOWN && (
              <details>
                <summary className="small">{t('table.moreReferences', { count: row.references.length - SHOWN })}</summary>
                <ul>
                  {row.references.slice(SHOWN).map((f, i) => (
                    <Reference key={i} f={f} />
                  ))}
                </ul>
              </details>
            )}
          </>
        ) : (
          <span className="muted small">{t('table.noReference')}</span>
        )}
      </td>
    </tr>
  );
}

function MeasuredCell({ m, command }: { m?: Measured; command: string }) {
  const { t } = useTranslation('learn');
  const f = useFormat();
  const bytes = useBytes();
  if (!m) {
    return (
      <p className="measured is-missing small">
        {t('table.notMeasured')}. {t('table.howToMeasure')} <code>{command}</code>
      </p>
    );
  }
  const value = m.unit === 'ms' ? f.ms(m.value) : m.unit === 'bytes' ? bytes(m.value) : t('table.fits', { value: f.int(m.value) });
  const link = m.source.kind === 'run' ? href('runs', m.source.id) : href('compare', m.source.id);
  return (
    <div className="measured" data-testid="measured">
      <strong>{t('table.onYourMachine', { value })}</strong>
      <span className="small muted">
        {' '}
        ({t(`table.what.${m.source.what}`)}
        {m.n ? `, ${t('table.samples', { n: m.n })}` : ''})
      </span>
      <br />
      <a className="small" href={link}>
        {t('table.source', { kind: t(`table.kind.${m.source.kind}`), id: m.source.id })}
      </a>
      <span className="small muted"> · {m.source.model} · {f.date(m.source.at)}</span>
    </div>
  );
}

export function Reference({ f }: { f: PublishedFigure }) {
  const { t } = useTranslation('learn');
  const fmt = useFormat();
  return (
    <li>
      <span className="ref-value">
        {fmt.num(f.value, Number.isInteger(f.value) ? 0 : 1)} {f.unit}
      </span>{' '}
      <span>{f.model}</span> <span className="muted">— {f.metric}</span>
      <br />
      <cite className="small muted" title={f.url}>
        {f.source}
        {!f.verified && <span className="tag tag-after">{t('table.unverified')}</span>}
      </cite>
    </li>
  );
}
