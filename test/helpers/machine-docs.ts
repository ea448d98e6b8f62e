import { Comparison } from '../../shared/compare';
import type { HostFacts, PhaseSummary } from '../../shared/run';

/**
 * Built Comparison documents for the Machines view (issue 15 §3): the measurement paths are tested elsewhere,
 * these only have to be valid documents with known figures. Each model: its median to ready (ms), its ratio to
 * the floor, and optionally memory per instance and a density line.
 */
interface BuiltModel {
  model: string;
  readyMs: number;
  ratio?: [number, number, number];
  hostBytes?: number;
  /** Start latency at 0, 1, 2, 3 running: readyMs + slope × running. */
  latencySlopeMs?: number;
}

export interface BuiltComparison {
  id: string;
  startedAt: string;
  machineId?: string;
  hostname?: string;
  cpus?: number;
  memoryBytes?: number;
  isolabVersion?: string;
  workload?: string;
  concurrency?: number;
  footprintInstances?: number;
  budgetMs?: number;
  remote?: { target: string; azure?: { vmSize: string; location: string } };
  imported?: boolean;
  models: BuiltModel[];
}

const summary = (ms: number): PhaseSummary => ({
  n: 10,
  mean: ms,
  median: ms,
  p95: ms * 1.1,
  p99: ms * 1.2,
  min: ms * 0.9,
  max: ms * 1.2,
  stddev: ms * 0.05,
  mad: ms * 0.03,
  ci95: [ms * 0.95, ms * 1.05],
  outliers: [],
});

export function builtComparison(b: BuiltComparison): Comparison {
  const host: HostFacts = {
    os: 'linux',
    kernel: '6.1.0-test',
    arch: 'x64',
    cpus: b.cpus ?? 2,
    memoryBytes: b.memoryBytes ?? 8 * 2 ** 30,
    hostname: b.hostname ?? 'lab',
    ...(b.machineId ? { machineId: b.machineId } : {}),
  };
  return Comparison.parse({
    schema: 'isolab.comparison/1',
    id: b.id,
    status: 'complete',
    startedAt: b.startedAt,
    finishedAt: b.startedAt,
    environment: {
      host,
      isolabVersion: b.isolabVersion ?? '0.1.0',
      ...(b.remote ? { remote: { target: b.remote.target, reached: true, virtualization: b.remote.azure ? { azure: { vmSize: b.remote.azure.vmSize, location: b.remote.azure.location } } : {} } } : {}),
    },
    plan: {
      name: `built ${b.id}`,
      workload: { kind: b.workload ?? 'true' },
      startup: { iterations: 10, warmup: 2, concurrency: b.concurrency ?? 1 },
      footprint: { instances: b.footprintInstances ?? 10, settleMs: 1500, rounds: 3 },
    },
    floor: 'process',
    models: b.models.map((m) => ({
      model: m.model,
      status: 'ok',
      runId: `${b.id}-${m.model.replace(/[^a-z0-9]/gi, '-')}`,
      startup: {
        phaseOrder: ['ready'],
        summary: { ready: summary(m.readyMs) },
        readyMs: Array.from({ length: 10 }, (_, i) => m.readyMs * (0.95 + i / 100)),
        ready: summary(m.readyMs),
        totalMs: Array.from({ length: 10 }, () => m.readyMs * 1.5),
      },
      ratios: { ready: { ratio: m.ratio?.[0] ?? 1, ci95: [m.ratio?.[1] ?? 1, m.ratio?.[2] ?? 1] } },
      ...(m.hostBytes
        ? { footprint: { instances: b.footprintInstances ?? 10, memory: { hostBytes: m.hostBytes, hostBytesRounds: [m.hostBytes, m.hostBytes * 1.02] }, cpu: {}, disk: {}, startupMs: [] } }
        : {}),
      ...(m.latencySlopeMs !== undefined
        ? {
            density: {
              concurrency: 1,
              points: [0, 1, 2, 3].map((running) => ({ running, latencyMs: m.readyMs + m.latencySlopeMs! * running })),
              steps: [1, 2, 4].map((count) => ({ count, medianLatencyMs: m.readyMs, memAvailableDropBytes: count * (m.hostBytes ?? 2 ** 20), memPerNewInstanceBytes: m.hostBytes ?? 2 ** 20, elapsedMs: 100 })),
              stoppedBy: 'count',
              leftBehind: 0,
            },
          }
        : {}),
      notes: [],
    })),
    notes: [],
    ...(b.budgetMs
      ? {
          adaptive: {
            version: 1,
            order: 'pilot-first',
            budget: { ms: b.budgetMs, marginMs: 0, spentMs: b.budgetMs / 2, exhausted: false },
            startupRule: { minCount: 5, maxCount: 60, target: 0.05, level: 0.95, lookGrowth: 1.5, warmup: 2 },
          },
        }
      : {}),
    ...(b.imported ? { imported: { file: `${b.id}.json`, at: b.startedAt, machineId: b.machineId } } : {}),
  });
}
