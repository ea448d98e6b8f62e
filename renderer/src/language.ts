/**
 * The reader's language and its words, without i18next: boot.ts imports this to start loading the words with the
 * page's chunk and data, and i18n.ts hands them to i18next. Each language is one chunk (renderer/src/locales/<lang>.ts
 * bundles its namespaces, renderer/src/locales/<lang>/<ns>.json), so a reader loads one language, not every one.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Namespace → its keys, as i18next takes them. */
export type Words = Record<string, Record<string, unknown>>;

export const STORAGE_KEY = 'isolab.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  return navigator.language?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const chunks: Record<Language, () => Promise<{ default: Record<string, Record<string, unknown>> }>> = {
  en: () => import('./locales/en'),
  fr: () => import('./locales/fr'),
};
const loading = new Map<Language, Promise<Words>>();

/** A language's namespaces, loaded once (a failed load is tried again on the next call). */
export function loadLanguage(lng: Language): Promise<Words> {
  let words = loading.get(lng);
  if (!words) {
    words = chunks[lng]().then(
      (m) => {
        const byNs: Words = {};
        for (const [file, content] of Object.entries(m.default)) {
          const ns = /\/([^/]+)\.json$/.exec(file)?.[1];
          if (ns) byNs[ns] = content;
        }
        return byNs;
      },
      (err: unknown) => {
        loading.delete(lng);
        throw err;
      },
    );
    loading.set(lng, words);
  }
  return words;
}

/** The languages the first render needs: the reader's, and English, the fallback for a missing key. */
export function firstLanguages(): Language[] {
  const lng = initialLanguage();
  return lng === 'en' ? ['en'] : [lng, 'en'];
}
