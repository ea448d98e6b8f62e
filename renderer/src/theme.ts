import { useSyncExternalStore } from 'react';

/**
 * Light or dark. With no saved choice the system's prefers-color-scheme decides, and follows it live; a click
 * on the toggle saves an explicit choice in localStorage. The resolved theme sits on <html data-theme>, which
 * theme.css keys on.
 */
export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'isolab.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function saved(): Theme | undefined {
  const v = localStorage.getItem(STORAGE_KEY);
  return v === 'light' || v === 'dark' ? v : undefined;
}

function currentTheme(): Theme {
  return saved() ?? (media.matches ? 'dark' : 'light');
}

function apply(): void {
  const theme = currentTheme();
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  for (const l of listeners) l();
}

export function setTheme(theme: Theme): void {
  localStorage.setItem(STORAGE_KEY, theme);
  apply();
}

media.addEventListener('change', apply);
apply();

export function useTheme(): Theme {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    currentTheme,
  );
}
