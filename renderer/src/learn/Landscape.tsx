import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LANDSCAPE, LANDSCAPE_ENTRIES } from '../../../shared/learn/landscape';
import { localeFor } from '../format';

/** A date of the file's (2020-01-31, or a bare year) in the reader's language; the file's dates are days, not instants. */
function useDay(): (d: string) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const fmt = new Intl.DateTimeFormat(localeFor(i18n.language), { dateStyle: 'long', timeZone: 'UTC' });
    return (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? fmt.format(new Date(`${d}T00:00:00Z`)) : d);
  }, [i18n.language]);
}

/**
 * What became of the orchestrators and products the seed article names, from shared/reference/landscape.json:
 * cited history, each with its source, and a date taken from a secondary quote said to be so.
 */
export function Landscape() {
  const { t } = useTranslation('learn');
  const day = useDay();
  return (
    <section className="card" id="learn-landscape" aria-labelledby="learn-landscape-title">
      <h2 id="learn-landscape-title">{t('landscape.title')}</h2>
      <p className="muted">{t('landscape.intro', { date: day(LANDSCAPE.asOf) })}</p>
      <div className="table-wrap">
        <table className="table landscape" data-testid="landscape">
          <caption className="visually-hidden">{t('landscape.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('landscape.columns.name')}</th>
              <th scope="col">{t('landscape.columns.kind')}</th>
              <th scope="col">{t('landscape.columns.fate')}</th>
              <th scope="col">{t('landscape.columns.source')}</th>
            </tr>
          </thead>
          <tbody>
            {LANDSCAPE_ENTRIES.map((e) => (
              <tr key={e.id} data-entry={e.id} data-verified={e.verified}>
                <th scope="row">{e.name}</th>
                <td>{t(`landscape.entries.${e.id}.kind`, { defaultValue: e.kind })}</td>
                <td>
                  <strong>{t(`landscape.entries.${e.id}.status`, { defaultValue: e.status })}</strong>
                  {e.date && <span> · {t('landscape.date', { date: day(e.date) })}</span>}
                  {e.date && !e.verified && <span className="tag tag-after tag-warn" data-testid="landscape-unverified">{t('landscape.unverified')}</span>}
                  {e.successor && <div className="small">{t('landscape.successor', { name: e.successor })}</div>}
                </td>
                <td>
                  <cite className="small">{e.source}</cite>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">{t('landscape.note')}</p>
    </section>
  );
}
