import { ZodError } from 'zod';
import { isLabMethod, labMethods } from '../shared/api';
import type { Lab } from './lab/lab';

export class BridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

/**
 * The one gate between a face and the Lab: the method must be in the contract and the arguments must parse
 * against its schema, whatever the transport (Electron IPC or WebSocket). Errors come back as one clear line.
 * Browser mode's audience goes through electron/audience.ts first.
 */
export async function dispatch(lab: Lab, method: unknown, args: unknown): Promise<unknown> {
  if (!isLabMethod(method)) throw new BridgeError(`unknown method ${typeof method === 'string' ? JSON.stringify(method.slice(0, 100)) : `(a ${typeof method})`}`);
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
  return errorText(err);
}

/** One line for anything thrown, even a non-Error (a rejection with undefined must not throw in the handler). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}
