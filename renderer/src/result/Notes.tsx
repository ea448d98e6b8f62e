import { useTranslation } from 'react-i18next';
import { uniqueNotes, type Note } from '../../../shared/notes';
import { useNoteWords } from '../notes';

/** The runner's caveats (spread, few iterations, cold caches, outliers): each one a reason a number may mislead. */
export function Notes({ notes }: { notes: Note[] }) {
  const { t } = useTranslation('result');
  const words = useNoteWords();
  if (!notes.length) return null;
  return (
    <section className="banner banner-warn" aria-labelledby="notes-title" data-testid="notes">
      <div>
        <strong id="notes-title">{t('notes')}</strong>
        <ul className="notes">
          {uniqueNotes(notes).map((n, i) => (
            <li key={i} data-code={n.code}>
              {words(n)}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
