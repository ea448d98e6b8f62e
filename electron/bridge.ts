import { ZodError } from 'zod';
import { isLabMethod, labMethods, type LabMethodName } from '../shared/api';
import type { Lab } from './lab/lab';

/** Methods that only read: the audience role of browser mode may call these and nothing else. */
export const READ_ONLY_METHODS: ReadonlySet<LabMethodName> = new Set(['info', 'listRuns', 'getRun', 'tradeoffs', 'raceState', 'workshopView', 'listHosts', 'listHostRuns', 'listComparisons', 'getComparison', 'exportRun']);

export class BridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

/**
 * The one gate between a face and the Lab: the method must be in the contract and the arguments must parse
 * against its schema, whatever the transport (Electron IPC or WebSocket). Errors come back as one clear line.
 */
export async function dispatch(lab: Lab, method: unknown, args: unknown, opts: { readOnly?: boolean } = {}): Promise<unknown> {
  if (!isLabMethod(method)) throw new BridgeError(`unknown method ${JSON.stringify(method)}`);
  if (opts.readOnly && !READ_ONLY_METHODS.has(method)) throw new BridgeError(`${method} is not allowed for a read-only viewer`);
  if (!Array.isArray(args)) throw new BridgeError('arguments must be an array');
  let parsed: unknown[];
  try {
    parsed = labMethods[method].args.parse(args) as unknown[];
  } catch (err) {
    throw new BridgeError(`invalid arguments for ${method}: ${formatZodError(err)}`);
  }
  const fn = lab[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(lab, parsed);
}

export function formatZodError(err: unknown): string {
  if (err instanceof ZodError) {
    return err.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
  }
  return (err as Error).message ?? String(err);
}
