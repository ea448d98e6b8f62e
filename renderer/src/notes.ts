import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isNoteCode, type Note } from '../../shared/notes';
import { useFormat, type Formatters } from './format';

/**
 * A note in the reader's language, from its code and parameters (shared/notes.ts): the words are in
 * locales/<lang>/notes.json, one key per code; numbers are formatted for the language. A note saved before notes
 * had codes only has English text: it is shown as such, and said to be.
 */
export function noteWords(t: TFunction, f: Formatters, n: Note): string {
  if (n.code === 'text') return t('notes:legacy', { text: n.text });
  if (!isNoteCode(n.code)) return t('notes:unknown', { text: n.text || n.code });
  const p: Record<string, string> = {};
  for (const [k, v] of Object.entries(n.params)) {
    if (typeof v === 'string') p[k] = v;
    else if (typeof v === 'number') p[k] = /Ms$/.test(k) ? f.ms(v) : Number.isInteger(v) ? f.int(v) : f.num(v, 1);
  }
  if (typeof n.params.model === 'string' && n.params.baseline === true) p.model = t('notes:baselineOf', { model: n.params.model });
  const context = n.code === 'vm-qemu-pss' && n.params.guestMiB !== undefined ? 'guest' : undefined;
  return t(`notes:${n.code}`, { ...p, context });
}

export function useNoteWords(): (n: Note) => string {
  const { t } = useTranslation();
  const f = useFormat();
  return (n) => noteWords(t, f, n);
}
