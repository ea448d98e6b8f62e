import { useTranslation } from 'react-i18next';
import { setTheme, useTheme } from '../theme';
import { icons } from './icons';
import { Icon } from './Icon';

export function ThemeToggle() {
  const { t } = useTranslation();
  const theme = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="icon-button" onClick={() => setTheme(next)} aria-label={t(`common:theme.switchTo.${next}`)} title={t(`common:theme.switchTo.${next}`)} data-testid="theme-toggle">
      <Icon d={theme === 'dark' ? icons.sun : icons.moon} />
    </button>
  );
}
