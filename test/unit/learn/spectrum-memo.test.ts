import { describe, expect, it, vi } from 'vitest';
import type { Run } from '../../../shared/run';

// Counts the statistics behind each run's startup: the Learn table's reads must not redo them for a document
// they have seen (the engine's stores hand out one frozen document per unchanged file).
const calls = vi.hoisted(() => ({ summarize: 0 }));
vi.mock('../../../shared/stats', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../shared/stats')>();
  return {
    ...real,
    summarize: (...args: Parameters<typeof real.summarize>) => {
      calls.summarize++;
      return real.summarize(...args);
    },
  };
});
const { buildSpectrum } = await import('../../../shared/learn/spectrum');

const ENV = { host: { os: 'linux', kernel: '6', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' };
const vmRun = (): Run => ({
  schema: 'isolab.run/1',
  id: 'vm-run',
  kind: 'bench',
  model: 'vm:qemu-tcg',
  status: 'complete',
  startedAt: '2026-03-01T10:00:00.000Z',
  environment: ENV,
  plan: {},
  phaseOrder: ['spawn', 'ssh'],
  samples: [2400, 2500, 2450, 2480, 2420].map((m, i) => ({ iteration: i + 1, warmup: false, phases: { ssh: m }, marks: { spawn: 1, ssh: m }, totalMs: m })),
  summary: {},
  notes: [],
});
const startup = (run: Run) => buildSpectrum({ runs: [run], comparisons: [], figures: [] }).layers.flatMap((l) => l.rows).find((r) => r.model.startsWith('vm:qemu'))?.startup;

describe("the Learn table's startup figures", () => {
  it('are computed once per frozen document, each time for one that could still change, and read the same', () => {
    const frozen = Object.freeze(vmRun());
    const before = calls.summarize;
    const first = startup(frozen);
    const again = startup(frozen);
    expect(calls.summarize - before).toBe(1);
    expect(again).toEqual(first);
    expect(first?.value).toBe(2450);

    const open = vmRun();
    const mid = calls.summarize;
    expect(startup(open)).toEqual(first);
    expect(startup(open)).toEqual(first);
    expect(calls.summarize - mid).toBe(2);
  });
});
