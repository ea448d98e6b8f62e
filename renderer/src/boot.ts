import { isAudience, labClient } from './api';
import { prefetchRoute } from './lab/early';
import { pageFor } from './pages';
import { currentRoute } from './router';

// Imported first by main.tsx, so this runs before i18n and React: the page's chunk and its first data (the
// WebSocket, the engine reading the document) start now, side by side, instead of one after the other.
const route = currentRoute();
// A chunk that fails to load is shown by the page's error boundary when it renders.
pageFor(route.page, isAudience())
  .page.preload()
  .catch(() => undefined);
prefetchRoute(labClient(), route);
