import { useEffect, useState } from 'react';

/** Work done per slice before the page gets the main thread back: about half a frame. */
const SLICE_MS = 8;

/**
 * The result of a computation that pauses (a generator that yields between steps), computed without freezing
 * the page: the first slice once the page has painted (a frame, then a message: after that frame's paint), then
 * a slice per macrotask until done. A slice stops between steps, so a step's setup (a sort of 10,000 values) can
 * overrun it: before the first paint, that held up a large run's charts. Undefined until done, and when there is
 * nothing to compute (`start` undefined). The caller memoises `start` (useMemo): a new one drops the old
 * computation and starts anew.
 */
export function useSteps<T>(start: (() => Generator<unknown, T>) | undefined): T | undefined {
  const [result, setResult] = useState<{ start: () => Generator<unknown, T>; value: T }>();
  useEffect(() => {
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
    const frame = requestAnimationFrame(() => channel.port2.postMessage(null));
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      channel.port1.close();
    };
  }, [start]);
  return start && result?.start === start ? result.value : undefined;
}
