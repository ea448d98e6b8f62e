// Types for the tests (the script itself runs before npm ci, as plain JavaScript).
export interface RuntimeEntry {
  path?: string;
  runtimeArgs?: string[];
  runtimeType?: string;
  [key: string]: unknown;
}
export type Runtimes = Record<string, RuntimeEntry>;
export const DEFAULT_CONFIG: string;
export const WANTED: Runtimes;
export function mergeRuntimes(config: Record<string, unknown> & { runtimes?: Runtimes }, wanted: Runtimes, listed?: Runtimes): Record<string, unknown> & { runtimes: Runtimes };
export function listsWanted(listed: Runtimes | undefined, wanted: Runtimes): boolean;
export function configFileOf(argv: string[]): string;
export function register(file: string, wanted: Runtimes, listed?: Runtimes): boolean;
