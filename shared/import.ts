import { z } from 'zod';
import { IMPORT_LIMITS } from './import-limits';

export { IMPORT_LIMITS, isRefusal } from './import-limits';

/**
 * Importing documents made by another isolab (`isolab runs import`, the Runs page's Import button): what each
 * file gave, as codes the faces put in words. The engine never overwrites a local document and changes nothing
 * for a file it refuses (a .zip is taken whole or not at all).
 */

/** Where an imported document came from: kept in the document, so it is never mistaken for a local run. */
export const ImportOrigin = z.object({
  /** The file's name as the user gave it (a base name from the app), and the entry inside a .zip. */
  file: z.string(),
  entry: z.string().optional(),
  /** When it was imported (ISO 8601). */
  at: z.string(),
  /** The machine it was measured on (environment.host.machineId at import), when the document carried one. */
  machineId: z.string().optional(),
  /** The isolab version that imported it. */
  by: z.string().optional(),
});
export type ImportOrigin = z.infer<typeof ImportOrigin>;

export const ImportCode = z.enum([
  /** Saved. */
  'imported',
  /** The same document is already here (an earlier import, or this machine's own): nothing to do. */
  'same-document',
  /** Another document has this id here: the local one is kept, this one is not imported. */
  'id-taken',
  'not-json',
  /** JSON, but not an isolab document. */
  'foreign',
  /** An isolab document of a schema this version does not read (a newer isolab). */
  'unsupported-schema',
  /** An isolab document that does not validate against its schema (detail says where). */
  'invalid-document',
  /** A file or a .zip entry over the size limit (detail gives it), or a .zip that expands too much. */
  'too-large',
  'too-many-entries',
  /** A .zip entry named with `..`, an absolute path or a backslash. */
  'unsafe-name',
  /** A .zip entry that is not a .json document (another zip, a binary …). */
  'not-a-document',
  'bad-zip',
  'empty',
  /** Neither .json nor .zip (a folder's other files are left alone and reported with this code). */
  'unsupported-file',
  'unreadable',
  /** Another file of a refused .zip was bad: nothing from that .zip is imported. */
  'zip-refused',
  /** Valid, but could not be saved (disk full, permissions): detail says why. */
  'not-saved',
]);
export type ImportCode = z.infer<typeof ImportCode>;

export const ImportOutcome = z.object({
  file: z.string(),
  entry: z.string().optional(),
  code: ImportCode,
  kind: z.enum(['run', 'comparison']).optional(),
  id: z.string().optional(),
  detail: z.string().optional(),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const ImportReport = z.object({ outcomes: z.array(ImportOutcome), imported: z.number().int() });
export type ImportReport = z.infer<typeof ImportReport>;

/** A file the app sends (the Import button): its base name and bytes (base64), never a path. */
export const ImportFile = z.object({
  name: z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name, not a path'),
  base64: z.string().max(Math.ceil((IMPORT_LIMITS.fileBytes * 4) / 3) + 4),
});
export type ImportFile = z.infer<typeof ImportFile>;
