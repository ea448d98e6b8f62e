import { useTranslation } from 'react-i18next';
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
  const page = pages.find((p) => p.id === route.page) ?? pages[0];
  const Page = page.component;
  return (
    <div className="app">
      {/* Not a #main link: the hash is the router's. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t('common:skipToContent')}
      </button>
      <Header />
      <div className="body">
        <Nav pages={pages} current={page.id} />
        <main id="main" className="main" tabIndex={-1}>
          <EngineBanner />
          <Page key={page.id} params={route.params} />
        </main>
      </div>
    </div>
  );
}
