import { useLayoutEffect, useState } from 'react';

/** Work done per slice before the page gets the main thread back: about half a frame. */
const SLICE_MS = 8;

/**
 * The result of a computation that pauses (a generator that yields between steps), computed without freezing
 * the page: a slice before the first paint, so small inputs show their result at once, then a slice per
 * macrotask until done. Undefined until then, and when there is nothing to compute (`start` undefined). The caller
 * memoises `start` (useMemo): a new one drops the old computation and starts anew.
 */
export function useSteps<T>(start: (() => Generator<unknown, T>) | undefined): T | undefined {
  const [result, setResult] = useState<{ start: () => Generator<unknown, T>; value: T }>();
  // Layout effect: a slice that finishes is rendered before the browser paints, so nothing flickers.
  useLayoutEffect(() => {
    if (!start) return;
    const steps = start();
    let stopped = false;
    const channel = new MessageChannel(); // a macrotask without setTimeout's 4 ms clamp
    const slice = () => {
      if (stopped) return;
      const until = performance.now() + SLICE_MS;
      let step = steps.next();
      while (!step.done && performance.now() < until) step = steps.next();
      if (step.done) setResult({ start, value: step.value });
      else channel.port2.postMessage(null);
    };
    channel.port1.onmessage = slice;
    slice();
    return () => {
      stopped = true;
      channel.port1.close();
    };
  }, [start]);
  return start && result?.start === start ? result.value : undefined;
}
