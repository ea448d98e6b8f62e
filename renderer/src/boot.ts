import { isAudience, labClient } from './api';
import { prewarmFormatters } from './formatters';
import { firstLanguages, loadLanguage } from './language';
import { prefetchRoute } from './lab/early';
import { pageFor } from './pages';
import { currentRoute } from './router';

// Imported first by main.tsx, so this runs before React DOM and i18n load: the page's chunk, its first data (the
// WebSocket, the engine reading the document) and the reader's language start now, side by side.
const route = currentRoute();
// A chunk that fails to load is shown by the page's error boundary when it renders.
pageFor(route.page, isAudience())
  .page.preload()
  .catch(() => undefined);
prefetchRoute(labClient(), route);
// The reader's words too (i18n.ts waits for them before the first render; a failure shows there).
for (const lng of firstLanguages()) loadLanguage(lng).catch(() => undefined);
// Then, while the code and data are on their way, the reader's number and date formats (the first date format
// loads its locale's data: tens of ms that the first render would otherwise spend).
setTimeout(() => prewarmFormatters(firstLanguages()[0]), 0);
