import { useTranslation } from 'react-i18next';

/** The runner's caveats (spread, few iterations, cold caches, outliers): each one a reason a number may mislead. */
export function Notes({ notes }: { notes: string[] }) {
  const { t } = useTranslation('result');
  if (!notes.length) return null;
  return (
    <section className="banner banner-warn" aria-labelledby="notes-title" data-testid="notes">
      <div>
        <strong id="notes-title">{t('notes')}</strong>
        <ul className="notes">
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}
