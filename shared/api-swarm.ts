import { z } from 'zod';
import { RunStatus } from './run';
import { SwarmDoc, SwarmListItem, SwarmRequest } from './swarm';

/**
 * The Lab API for the Swarm model (an orchestrated model on the local engine): entries with the shape of
 * labMethods and LabEvent entries, spread into them in shared/api.ts.
 */

const swarmId = z.string().min(1).max(200);

export const SwarmStarted = z.object({ id: z.string() });
export type SwarmStarted = z.infer<typeof SwarmStarted>;

export const swarmMethods = {
  /**
   * Starts a swarm bench in the background (a `swarm-bench` job; cancelJob stops it). Refused at once, before
   * anything is created, with `swarm-needs-consent` when the engine is in no swarm and `createSwarm` is false.
   */
  startSwarm: { args: z.tuple([SwarmRequest]), result: SwarmStarted },
  listSwarm: { args: z.tuple([]), result: z.array(SwarmListItem) },
  getSwarm: { args: z.tuple([swarmId]), result: SwarmDoc },
} as const;

/** The steps of shared/swarm.ts SwarmProgress. */
export const SwarmStep = z.enum(['prepare', 'swarm-init', 'bare', 'create', 'scale', 'cleanup', 'bare-cleanup', 'swarm-leave', 'done']);

export const swarmEvents = [
  /** Where a swarm bench is: its step, round and tasks (or bare containers) running of wanted. Sent on each poll. */
  z.object({
    type: z.literal('swarm-progress'),
    swarmId: z.string(),
    step: SwarmStep,
    round: z.number().int().optional(),
    rounds: z.number().int().optional(),
    warmup: z.boolean().optional(),
    running: z.number().int().optional(),
    wanted: z.number().int().optional(),
  }),
  /** It ended (the document is saved, or notSaved says it could not be): faces re-read it with getSwarm. */
  z.object({
    type: z.literal('swarm-finished'),
    swarmId: z.string(),
    status: RunStatus,
    errorCode: z.string().optional(),
    notSaved: z.boolean().optional(),
  }),
] as const;
