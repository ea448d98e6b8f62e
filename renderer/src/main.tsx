import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// i18n and theme first: both set attributes on <html> before the first paint.
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
