import { useEffect, useState } from 'react';
import type { LabApi } from '../../../shared/api';
import type { Run, RunListItem } from '../../../shared/run';

/** Complete runs the simulator can take figures from (the newest first), or [] while unknown or offline. */
export function useCompleteRuns(api: LabApi): { runs: RunListItem[]; error?: string } {
  const [state, setState] = useState<{ runs: RunListItem[]; error?: string }>({ runs: [] });
  useEffect(() => {
    let live = true;
    api.listRuns().then(
      (items) => live && setState({ runs: items.filter((r) => r.status === 'complete') }),
      (err: Error) => live && setState({ runs: [], error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}

/** The chosen runs' documents, fetched once each; the map grows as the user picks runs. */
export function useRunDocs(api: LabApi, ids: string[]): Map<string, Run> {
  const [docs, setDocs] = useState<Map<string, Run>>(new Map());
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    const missing = key ? key.split(',').filter((id) => !docs.has(id)) : [];
    if (missing.length === 0) return;
    Promise.all(missing.map((id) => api.getRun(id).then((r) => [id, r] as const, () => undefined))).then((got) => {
      if (!live) return;
      setDocs((prev) => {
        const next = new Map(prev);
        for (const g of got) if (g) next.set(g[0], g[1]);
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [api, key]); // eslint-disable-line react-hooks/exhaustive-deps
  return docs;
}
