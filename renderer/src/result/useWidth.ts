import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The width of an element in px, followed as it changes: read once when it mounts (before the first paint, so the
 * chart draws at once at its size) and then from a ResizeObserver, which hands each new size over without a
 * layout read of its own.
 */
export function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width] as const;
}
