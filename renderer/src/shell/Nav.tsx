import { useTranslation } from 'react-i18next';
import type { PageEntry } from '../pages';
import { href } from '../router';
import { AppVersion } from './AppVersion';
import { Icon } from './Icon';

export function Nav({ pages, current }: { pages: PageEntry[]; current: string }) {
  const { t } = useTranslation();
  return (
    <nav className="nav" aria-label={t('common:nav.label')}>
      <ul>
        {pages.map((p) => (
          <li key={p.id}>
            <a href={href(p.id)} aria-current={p.id === current ? 'page' : undefined}>
              <Icon d={p.icon} />
              <span>{t(p.label)}</span>
            </a>
          </li>
        ))}
      </ul>
      <AppVersion />
    </nav>
  );
}
