import { useEffect, useState } from 'react';
import type { Comparison } from '../../../shared/compare';
import { useLab } from '../lab/LabContext';

/** How many comparisons are read to find the machines: the newest ones; older ones stay in the saved list. */
const MACHINE_SCAN_LIMIT = 60;

export interface MachineComparisons {
  comparisons?: Comparison[];
  /** This engine's machine, to mark it "this machine". */
  currentMachineId?: string;
  error?: string;
  /** Comparisons left out because there were more than MACHINE_SCAN_LIMIT. */
  leftOut: number;
}

/**
 * The comparisons on file, read whole (the Machines view and the simulator need their environment and figures):
 * the newest finished or partial ones, each fetched once. One that cannot be read is skipped, not fatal.
 */
export function useMachineComparisons(): MachineComparisons {
  const { api, info } = useLab();
  const [state, setState] = useState<Omit<MachineComparisons, 'currentMachineId'>>({ leftOut: 0 });
  useEffect(() => {
    let live = true;
    api
      .listComparisons()
      .then(async (items) => {
        const usable = items.filter((c) => c.status !== 'failed' && c.models.some((m) => m.status === 'ok')).sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
        const docs = await Promise.all(usable.slice(0, MACHINE_SCAN_LIMIT).map((c) => api.getComparison(c.id).catch(() => undefined)));
        if (live) setState({ comparisons: docs.filter((d): d is Comparison => !!d), leftOut: Math.max(0, usable.length - MACHINE_SCAN_LIMIT) });
      })
      .catch((err: Error) => live && setState({ error: err.message, leftOut: 0 }));
    return () => {
      live = false;
    };
  }, [api]);
  return { ...state, currentMachineId: info?.host.machineId };
}
