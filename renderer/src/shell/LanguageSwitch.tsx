import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';
import { LANGUAGES, type Language } from '../language';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('common:language.label')}</span>
      <select value={i18n.language} onChange={(e) => void setLanguage(e.target.value as Language).catch(reportError)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`common:language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
