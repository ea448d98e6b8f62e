import { useEffect, useState } from 'react';
import type { TradeoffTable } from '../../../shared/learn/tradeoffs';
import { early } from '../lab/early';
import { useLab } from '../lab/LabContext';

/**
 * The engine's table of this machine's measured values (the classic tradeoffs and the spectrum), read once and
 * again each time a run finishes (a comparison's models each finish one).
 */
export function useTradeoffs(): { table?: TradeoffTable; error?: string } {
  const { api } = useLab();
  const [table, setTable] = useState<TradeoffTable>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const load = () =>
      early(api, 'tradeoffs').then(
        (t) => {
          if (!live) return;
          setTable(t);
          setError(undefined);
        },
        (e: Error) => live && setError(e.message),
      );
    void load();
    const off = api.onEvent((e) => (e.type === 'run-finished' ? void load() : undefined));
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return { table, error };
}
