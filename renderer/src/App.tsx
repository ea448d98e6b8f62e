import { useTranslation } from 'react-i18next';
import { isAudience } from './api';
import { LabProvider } from './lab/LabContext';
import { pages } from './pages';
import { useRoute } from './router';
import { EngineBanner } from './shell/EngineBanner';
import { Header } from './shell/Header';
import { Nav } from './shell/Nav';

export function App() {
  return (
    <LabProvider>
      <Shell />
    </LabProvider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const route = useRoute();
  const shown = isAudience() ? pages.filter((p) => p.audience !== false) : pages;
  const page = shown.find((p) => p.id === route.page) ?? shown[0];
  const Page = page.component;
  return (
    <div className="app">
      {/* Not a #main link: the hash is the router's. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t('common:skipToContent')}
      </button>
      <Header />
      <div className="body">
        <Nav pages={shown} current={page.id} />
        <main id="main" className="main" tabIndex={-1}>
          <EngineBanner />
          <Page key={page.id} params={route.params} />
        </main>
      </div>
    </div>
  );
}
