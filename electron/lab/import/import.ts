import path from 'node:path';
import { Comparison, COMPARISON_SCHEMA } from '../../../shared/compare';
import { IMPORT_LIMITS, ImportFile, type ImportCode, type ImportOrigin, type ImportOutcome, type ImportReport } from '../../../shared/import';
import { Run, RUN_SCHEMA } from '../../../shared/run';
import type { ComparisonStore } from '../compare/store';
import { ISOLAB_VERSION } from '../host';
import type { RunStore } from '../store';
import { readZipEntries, ZipRefused } from './zip';

/** One file to import: its name as the user gave it (for messages and the origin) and its bytes. */
export interface ImportSource {
  file: string;
  bytes: Buffer;
}

export interface ImportStores {
  runs: RunStore;
  comparisons: ComparisonStore;
}

type Parsed = { kind: 'run'; doc: Run } | { kind: 'comparison'; doc: Comparison };
type Candidate = Parsed & { file: string; entry?: string };
type Refusal = { code: ImportCode; detail?: string };

/**
 * Imports documents made by another isolab. Each source is all or nothing: a .json file is one document; a
 * .zip is imported only when every entry is a valid document (else nothing from it, and each bad entry is
 * named). A document whose id is already here is never written over: the same document is reported as
 * already here, a different one as id-taken, and the local one stays as it was.
 */
export async function importDocuments(stores: ImportStores, sources: ImportSource[], now = new Date()): Promise<ImportReport> {
  const outcomes: ImportOutcome[] = [];
  for (const source of sources) {
    const read = await candidatesOf(source);
    if ('refused' in read) {
      outcomes.push(...read.refused);
      continue;
    }
    for (const c of read.candidates) outcomes.push(await save(stores, c, now));
  }
  return { outcomes, imported: outcomes.filter((o) => o.code === 'imported').length };
}

/** The app's Import button: files sent as a name and base64 bytes (never a path the engine would open). */
export async function importFiles(stores: ImportStores, files: ImportFile[], now = new Date()): Promise<ImportReport> {
  const sources = files.map((f) => ImportFile.parse(f)).map((f) => ({ file: f.name, bytes: Buffer.from(f.base64, 'base64') }));
  return importDocuments(stores, sources, now);
}

async function candidatesOf(source: ImportSource): Promise<{ candidates: Candidate[] } | { refused: ImportOutcome[] }> {
  const { file, bytes } = source;
  if (bytes.length > IMPORT_LIMITS.fileBytes) return { refused: [{ file, code: 'too-large', detail: `${bytes.length} bytes (at most ${IMPORT_LIMITS.fileBytes})` }] };
  if (bytes.length === 0) return { refused: [{ file, code: 'empty' }] };
  if (isZip(file, bytes)) {
    let entries;
    try {
      entries = await readZipEntries(bytes);
    } catch (err) {
      if (!(err instanceof ZipRefused)) throw err;
      return { refused: [{ file, entry: err.entry, code: err.code, detail: err.detail }] };
    }
    const parsed = entries.map((e) => ({ entry: e.name, result: parseDocument(e.text) }));
    if (parsed.some((p) => 'code' in p.result)) {
      // Whole or nothing: the bad entries with their reason, the good ones as not imported because of them.
      return {
        refused: parsed.map((p) => ('code' in p.result ? { file, entry: p.entry, ...p.result } : { file, entry: p.entry, code: 'zip-refused' as const, kind: p.result.kind, id: p.result.doc.id })),
      };
    }
    return { candidates: parsed.map((p) => ({ file, entry: p.entry, ...(p.result as Parsed) })) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { refused: [{ file, code: 'not-json', detail: 'not UTF-8 text' }] };
  }
  const result = parseDocument(text);
  return 'code' in result ? { refused: [{ file, ...result }] } : { candidates: [{ file, ...result }] };
}

/** A .zip by its name or its magic number (a zip saved as .json is still read as the zip it is). */
function isZip(file: string, bytes: Buffer): boolean {
  return /\.zip$/i.test(file) || (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50);
}

/** A run or a comparison, validated against its schema; or why not. */
function parseDocument(text: string): Parsed | Refusal {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { code: 'not-json', detail: (err as Error).message.slice(0, 200) };
  }
  const schema = json && typeof json === 'object' && !Array.isArray(json) ? (json as { schema?: unknown }).schema : undefined;
  if (schema !== RUN_SCHEMA && schema !== COMPARISON_SCHEMA) {
    if (typeof schema === 'string' && schema.startsWith('isolab.')) return { code: 'unsupported-schema', detail: schema.slice(0, 100) };
    return { code: 'foreign', detail: typeof schema === 'string' ? `schema ${JSON.stringify(schema.slice(0, 100))}` : 'no isolab schema field' };
  }
  const parsed = schema === RUN_SCHEMA ? Run.safeParse(json) : Comparison.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { code: 'invalid-document', detail: issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : undefined };
  }
  return schema === RUN_SCHEMA ? { kind: 'run', doc: parsed.data as Run } : { kind: 'comparison', doc: parsed.data as Comparison };
}

async function save(stores: ImportStores, c: Candidate, now: Date): Promise<ImportOutcome> {
  const base = { file: c.file, entry: c.entry, kind: c.kind, id: c.doc.id };
  const local = await existing(stores, c.doc.id);
  if (local) return { ...base, code: local.kind === c.kind && sameDocument(local.doc, c.doc) ? 'same-document' : 'id-taken' };
  const origin: ImportOrigin = { file: path.basename(c.file), entry: c.entry, at: now.toISOString(), machineId: c.doc.environment.host.machineId, by: ISOLAB_VERSION };
  try {
    if (c.kind === 'run') await stores.runs.save(asImported(c.doc, origin));
    else await stores.comparisons.save(asImported(c.doc, origin));
    return { ...base, code: 'imported' };
  } catch (err) {
    return { ...base, code: 'not-saved', detail: (err as Error).message };
  }
}

/**
 * The document as it is kept here: its origin recorded; no owner (that process ran on another machine and is
 * nothing to this one); one left `partial` there is `interrupted` here, since nothing will ever finish it.
 */
function asImported<D extends Run | Comparison>(doc: D, origin: ImportOrigin): D {
  const { owner: _owner, imported: _earlier, ...rest } = doc;
  return { ...rest, status: rest.status === 'partial' ? 'interrupted' : rest.status, imported: origin } as D;
}

async function existing(stores: ImportStores, id: string): Promise<Parsed | undefined> {
  if (await stores.runs.has(id)) return { kind: 'run', doc: await stores.runs.get(id).catch(() => ({ id }) as Run) };
  if (await stores.comparisons.has(id)) return { kind: 'comparison', doc: await stores.comparisons.get(id).catch(() => ({ id }) as Comparison) };
  return undefined;
}

/** The same measurements: equal once the import's own marks (origin, owner, partial → interrupted) are set aside. */
function sameDocument(a: Run | Comparison, b: Run | Comparison): boolean {
  const norm = (d: Run | Comparison) => {
    const { owner: _o, imported: _i, ...rest } = d;
    return JSON.stringify({ ...rest, status: rest.status === 'partial' ? 'interrupted' : rest.status });
  };
  return norm(a) === norm(b);
}
