import { Suspense, useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import { isAudience } from './api';
import { LabProvider } from './lab/LabContext';
import { pageFor } from './pages';
import { PageFallback } from './shell/PageFallback';
import { PageErrorBoundary } from './shell/PageErrorBoundary';
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
  // The page shown follows the address once its chunk is there: the page before stays until then (no blank, no
  // spinner for a chunk that takes 50 ms); the navigation marks the new page at once. The Suspense boundary is
  // not keyed: a boundary already shown keeps its content during a deferred render, a new one would fall back.
  const shownRoute = useDeferredValue(route);
  const { shown, page: current } = pageFor(route.page, isAudience());
  const { page } = pageFor(shownRoute.page, isAudience());
  const Page = page.component;
  return (
    <div className="app">
      {/* Not a #main link: the hash is the router's. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        {t('common:skipToContent')}
      </button>
      <Header />
      <div className="body">
        <Nav pages={shown} current={current.id} />
        <main id="main" className="main" tabIndex={-1}>
          <EngineBanner />
          <PageErrorBoundary page={page.id}>
            <Suspense fallback={<PageFallback />}>
              <Page key={page.id} params={shownRoute.params} />
            </Suspense>
          </PageErrorBoundary>
        </main>
      </div>
    </div>
  );
}
