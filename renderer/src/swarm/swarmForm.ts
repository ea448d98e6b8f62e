import { SwarmRequest } from '../../../shared/swarm';

/** The Swarm panel's fields as the inputs hold them (strings for numbers, so a field can be empty mid-edit). */
export interface SwarmFormValues {
  replicas: string;
  /** Scale out to `scaleTo` after the create (off: no scale-out). */
  scale: boolean;
  scaleTo: string;
  rounds: string;
  warmup: string;
  /** Also start N bare containers each round: the comparison the ratios need. */
  bare: boolean;
}

export const defaultSwarmForm: SwarmFormValues = { replicas: '3', scale: true, scaleTo: '13', rounds: '3', warmup: '1', bare: true };

export type SwarmFormErrors = Partial<Record<keyof SwarmFormValues, string>>;

/** The request the engine will get (without consent: the engine asks for it), or the errors of the engine's own schema. */
export function toSwarmRequest(v: SwarmFormValues, createSwarm = false): { request?: SwarmRequest; errors: SwarmFormErrors } {
  const candidate: SwarmRequest = {
    replicas: Number(v.replicas),
    scaleTo: v.scale ? Number(v.scaleTo) : undefined,
    rounds: Number(v.rounds),
    warmup: Number(v.warmup),
    bare: v.bare,
    createSwarm,
  };
  const parsed = SwarmRequest.safeParse(candidate);
  if (parsed.success) return { request: candidate, errors: {} };
  const errors: SwarmFormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof SwarmFormValues;
    errors[field] ??= issue.message;
  }
  return { errors };
}
