import { useMemo } from 'react';
import { useTheme } from '../theme';

/**
 * The theme's colours as values: recharts writes them into SVG attributes, where var(--x) is not reliable,
 * so they are read from the computed style again whenever the theme changes.
 */
export function useChartColors() {
  const theme = useTheme();
  return useMemo(() => {
    const css = getComputedStyle(document.documentElement);
    const v = (name: string) => css.getPropertyValue(name).trim();
    return { theme, fg: v('--fg'), muted: v('--muted'), border: v('--border'), card: v('--card'), series: [v('--c1'), v('--c2'), v('--c3'), v('--c4'), v('--c5'), v('--c6')] };
  }, [theme]);
}
