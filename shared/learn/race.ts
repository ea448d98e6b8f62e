import { z } from 'zod';
import { KernelVerdict } from './verdict';

/**
 * Workshop demos. The race: N containers started at once against one VM boot, all timed from one zero point,
 * streamed as events so the presenter and every audience view draw the same live timeline.
 */
export const RaceRequest = z.object({
  containers: z.number().int().min(1).max(32).default(8),
  /** Guest memory of the VM, MiB. */
  memoryMiB: z.number().int().min(64).max(4096).default(256),
  /** The engine runtime the containers start under (runc, runsc for gVisor …); the engine's default when left out. */
  runtime: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'not a runtime name').optional(),
  /** The VM's machine: q35 (the full VM) or microvm (no PCI, no firmware). */
  machine: z.enum(['q35', 'microvm']).default('q35'),
});
export type RaceRequest = z.input<typeof RaceRequest>;

const raceId = z.string().regex(/^race-[A-Za-z0-9._-]{1,100}$/, 'not a race id');
export const RaceId = raceId;

/**
 * A lane: "vm" or "c1" … "cN". Phases: containers create, ready (their first output), started (the engine answered
 * the start call), exit, remove, each marked when it happened (ready usually comes before started); the VM its
 * boot phases.
 */
export const RaceMark = z.object({ lane: z.string(), phase: z.string(), atMs: z.number() });
export type RaceMark = z.infer<typeof RaceMark>;

export const RaceSummary = z.object({
  containers: z.number().int(),
  /** Median and max of the containers' request-to-first-output, ms from the zero point. */
  containerReadyMedianMs: z.number().optional(),
  containerReadyMaxMs: z.number().optional(),
  /** All containers done (removed). */
  containersDoneMs: z.number().optional(),
  /** The VM from spawn to its first SSH command. */
  vmSshMs: z.number().optional(),
  vmAccel: z.string().optional(),
  /** What raced: the containers' runtime as the engine ran them, and the VM's machine type. */
  containerRuntime: z.string().optional(),
  vmMachine: z.string().optional(),
  /** QEMU's PSS at SSH ready, bytes. */
  vmPssBytes: z.number().optional(),
  hostKernel: z.string().optional(),
  /** uname -r from inside one of the containers, and from inside the guest over SSH. */
  containerKernel: z.string().optional(),
  vmKernel: z.string().optional(),
  /** How many containers had reached ready when the VM answered SSH. */
  containersReadyBeforeVm: z.number().int().optional(),
});
export type RaceSummary = z.infer<typeof RaceSummary>;

const RaceStatus = z.enum(['running', 'complete', 'cancelled', 'failed']);

export const RaceState = z.object({
  raceId,
  status: RaceStatus,
  startedAt: z.string(),
  containers: z.number().int(),
  marks: z.array(RaceMark),
  summary: RaceSummary.optional(),
  error: z.string().optional(),
});
export type RaceState = z.infer<typeof RaceState>;

export const raceEvents = [
  z.object({ type: z.literal('race-started'), raceId: z.string(), containers: z.number(), startedAt: z.string() }),
  z.object({ type: z.literal('race-mark'), raceId: z.string(), lane: z.string(), phase: z.string(), atMs: z.number() }),
  z.object({ type: z.literal('race-finished'), raceId: z.string(), status: RaceStatus, summary: RaceSummary.optional(), error: z.string().optional() }),
] as const;

/** Folds one event into a race state; the presenter and audience views both build their timeline with it. */
export function applyRaceEvent(state: RaceState | undefined, e: { type: string } & Record<string, unknown>): RaceState | undefined {
  if (e.type === 'race-started') {
    return { raceId: String(e.raceId), status: 'running', startedAt: String(e.startedAt), containers: Number(e.containers), marks: [] };
  }
  if (!state || e.raceId !== state.raceId) return state;
  if (e.type === 'race-mark') return { ...state, marks: [...state.marks, { lane: String(e.lane), phase: String(e.phase), atMs: Number(e.atMs) }] };
  if (e.type === 'race-finished') {
    return { ...state, status: e.status as RaceState['status'], summary: e.summary as RaceSummary | undefined, error: e.error as string | undefined };
  }
  return state;
}

/** The summary from the marks alone (the engine adds kernels, accelerator and memory). */
export function summarizeMarks(marks: RaceMark[], containers: number): RaceSummary {
  const ready = marks.filter((m) => m.lane !== 'vm' && m.phase === 'ready').map((m) => m.atMs).sort((a, b) => a - b);
  const removed = marks.filter((m) => m.lane !== 'vm' && m.phase === 'remove').map((m) => m.atMs);
  const vmSsh = marks.find((m) => m.lane === 'vm' && m.phase === 'ssh')?.atMs;
  const mid = ready.length >> 1;
  return {
    containers,
    // A median of the first few to arrive would flatter the containers: only once every one is ready.
    containerReadyMedianMs: ready.length && ready.length === containers ? (ready.length % 2 ? ready[mid] : (ready[mid - 1] + ready[mid]) / 2) : undefined,
    containerReadyMaxMs: ready.length === containers ? ready[ready.length - 1] : undefined,
    containersDoneMs: removed.length === containers ? Math.max(...removed) : undefined,
    vmSshMs: vmSsh,
    containersReadyBeforeVm: vmSsh !== undefined ? ready.filter((t) => t <= vmSsh).length : undefined,
  };
}

/** Density: how many instances fit in a budget, from a measured per-instance cost. */
const DensityDemoSide = z.object({
  perInstanceBytes: z.number().optional(),
  fits: z.number().int().optional(),
  /** How the per-instance figure was obtained (measured now, from run X, from the last race), in a line. */
  source: z.string(),
  /** The same as a key for the faces to translate, with `ref` (the run or race id, or the count measured). */
  how: z.enum(['containersNow', 'vmRace', 'vmRun', 'none']).default('none'),
  ref: z.string().optional(),
  runId: z.string().optional(),
  /** Per-instance figures of each instance measured now, for the spread. */
  samples: z.array(z.number()).default([]),
  error: z.string().optional(),
});
export const DensityDemo = z.object({
  budgetBytes: z.number(),
  measuredAt: z.string(),
  container: DensityDemoSide,
  vm: DensityDemoSide,
});
export type DensityDemo = z.infer<typeof DensityDemo>;

/** The presenter's current demo and its latest results: what the audience view shows besides the race. */
export const WorkshopDemo = z.enum(['race', 'density', 'shared']);
export type WorkshopDemo = z.infer<typeof WorkshopDemo>;
export const Kernels = z.object({
  host: z.string().optional(),
  container: z.string().optional(),
  vm: z.string().optional(),
  vmBooted: z.boolean(),
  /** Which kernel answers the container and why (./verdict.ts), when the engine read the facts to say so. */
  containerVerdict: KernelVerdict.optional(),
});
export type Kernels = z.infer<typeof Kernels>;
export const WorkshopView = z.object({ demo: WorkshopDemo, density: DensityDemo.optional(), kernels: Kernels.optional() });
export type WorkshopView = z.infer<typeof WorkshopView>;
export const workshopEvents = [z.object({ type: z.literal('workshop-view'), view: WorkshopView })] as const;

export function fitsIn(budgetBytes: number, perInstanceBytes: number | undefined): number | undefined {
  return perInstanceBytes && perInstanceBytes > 0 ? Math.floor(budgetBytes / perInstanceBytes) : undefined;
}
