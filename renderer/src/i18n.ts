import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { firstLanguages, loadLanguage, STORAGE_KEY, type Language, type Words } from './language';

/**
 * One namespace per feature: renderer/src/locales/<lang>/<ns>.json, bundled per language (renderer/src/language.ts),
 * so a new feature adds its own JSON files and never edits this one. Every language ships with the app: it works
 * offline and from file:// in Electron; only the reader's is loaded.
 *
 * Resolves once i18next has the reader's language and English: the App renders after it (boot.ts started the
 * loads, so they are usually in by then).
 */
export const i18nReady: Promise<void> = (async () => {
  const languages = firstLanguages();
  const resources: Record<string, Words> = {};
  // A language chunk that cannot be loaded leaves its keys showing rather than a blank page.
  await Promise.all(languages.map((lng) => loadLanguage(lng).then((words) => (resources[lng] = words), () => undefined)));
  await i18n.use(initReactI18next).init({
    resources,
    lng: languages[0],
    fallbackLng: 'en',
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'common',
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  });
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
})();

/** Switch language (its words loaded first, so nothing shows half translated) and remember the choice. */
export async function setLanguage(lng: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, lng);
  const words = await loadLanguage(lng);
  for (const [ns, keys] of Object.entries(words)) if (!i18n.hasResourceBundle(lng, ns)) i18n.addResourceBundle(lng, ns, keys);
  await i18n.changeLanguage(lng);
}
