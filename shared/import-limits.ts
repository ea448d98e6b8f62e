import type { ImportCode } from './import';

// Zod-free, so the Runs page's Import button needs none of the contract's schemas (shared/import.ts re-exports
// both for the engine).

/** Bounds against hostile input: a file, a .zip entry, all of a .zip's entries together, a .zip's entry count. */
export const IMPORT_LIMITS = {
  fileBytes: 64 * 2 ** 20,
  entryBytes: 32 * 2 ** 20,
  zipTotalBytes: 256 * 2 ** 20,
  zipEntries: 1000,
} as const;

/** Codes that mean the file was turned away (as opposed to imported or already here). */
export function isRefusal(code: ImportCode): boolean {
  return code !== 'imported' && code !== 'same-document' && code !== 'id-taken';
}
