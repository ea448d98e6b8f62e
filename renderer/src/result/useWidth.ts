import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The width of an element in px, followed as it changes: read once when it mounts (before the first paint, so the
 * chart draws at once at its size) and then from a ResizeObserver, which hands each new size over without a
 * layout read of its own. With a `known` width (a sibling of the same width measured it), nothing is read at mount
 * (a read there lays the page out at once); the observer's first report corrects it if it was wrong.
 */
export function useWidth<T extends HTMLElement>(known = 0) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(known);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!known) setWidth(el.clientWidth);
    const ro = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
    // Read at mount only: a later hint changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return [ref, width] as const;
}
