import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// i18n before the App: it sets <html lang> and the words of the first render.
import './i18n';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
