import { useTranslation } from 'react-i18next';
import { useLab } from '../lab/LabContext';
import { EngineStatus } from './EngineStatus';
import { Icon } from './Icon';
import { icons } from './icons';
import { LanguageSwitch } from './LanguageSwitch';
import { ThemeToggle } from './ThemeToggle';

export function Header() {
  const { t } = useTranslation();
  const { readOnly } = useLab();
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon d={icons.box} size={20} />
        </span>
        <span className="brand-name">isolab</span>
        <span className="brand-tagline">{t('common:tagline')}</span>
      </div>
      <div className="header-tools">
        {readOnly && <span className="pill">{t('common:readOnly')}</span>}
        <EngineStatus />
        <LanguageSwitch />
        <ThemeToggle />
      </div>
    </header>
  );
}
