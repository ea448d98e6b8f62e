// Boot first: it starts the page's chunk and data before the rest of this module graph is evaluated.
import './boot';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// i18n and theme before the App: both set attributes on <html> before the first paint.
import './i18n';
import './theme';
import './styles/theme.css';
import './styles/app.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
