import { useEffect, useRef, useState } from 'react';
import { applyRaceEvent, type RaceState } from '../../../shared/learn/race';
import { useLab } from '../lab/LabContext';

/**
 * The race as every face sees it: the engine's state on arrival (a late audience catches up), then each
 * broadcast event folded in, with a clock that runs while the race does so the timeline can grow smoothly.
 */
export function useRace(): { race?: RaceState; elapsedMs: number } {
  const { api } = useLab();
  const [race, setRace] = useState<RaceState>();
  const [elapsedMs, setElapsed] = useState(0);
  const t0 = useRef<number>(undefined);

  useEffect(() => {
    let alive = true;
    const off = api.onEvent((e) => {
      if (!e.type.startsWith('race-')) return;
      if (e.type === 'race-started') t0.current = performance.now();
      setRace((s) => applyRaceEvent(s, e));
    });
    api.raceState().then(
      (s) => {
        if (!alive || !s) return;
        setRace((cur) => cur ?? s);
        if (s.status === 'running') t0.current = performance.now() - Math.max(0, ...s.marks.map((m) => m.atMs));
      },
      () => undefined,
    );
    return () => {
      alive = false;
      off();
    };
  }, [api]);

  const running = race?.status === 'running';
  useEffect(() => {
    if (!running) return;
    let frame = 0;
    let last = 0;
    const tick = (now: number) => {
      if (now - last > 50 && t0.current !== undefined) {
        last = now;
        setElapsed(now - t0.current);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [running]);

  // While it runs, the clock; once it ended, the time of its last mark.
  return { race, elapsedMs: running || !race ? elapsedMs : Math.max(0, ...race.marks.map((m) => m.atMs)) };
}
