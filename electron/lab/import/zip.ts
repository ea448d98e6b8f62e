import yauzl from 'yauzl';
import { IMPORT_LIMITS, type ImportCode } from '../../../shared/import';

/** A .zip the importer refuses, whole: why (a code), and which entry when one is to blame. */
export class ZipRefused extends Error {
  constructor(
    readonly code: ImportCode,
    readonly detail: string,
    readonly entry?: string,
  ) {
    super(detail);
  }
}

export interface ZipEntryText {
  name: string;
  text: string;
}

type Limits = { entryBytes: number; zipTotalBytes: number; zipEntries: number };

/**
 * The .json entries of a .zip, read into memory (nothing is ever extracted to disk), or ZipRefused. Hostile
 * archives are bounded: the entry count and every declared size are checked from the central directory
 * before anything is inflated, and the bytes inflated are counted as they come (yauzl also checks them
 * against the declared size), so a zip bomb stops at the limit; yauzl refuses names with `..`, an absolute
 * path or a backslash. Folders are skipped; any other file (a nested zip, a binary) refuses the archive.
 */
export async function readZipEntries(buffer: Buffer, limits: Limits = IMPORT_LIMITS): Promise<ZipEntryText[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: true });
  } catch (err) {
    throw new ZipRefused('bad-zip', (err as Error).message);
  }
  if (zip.entryCount > limits.zipEntries) {
    zip.close();
    throw new ZipRefused('too-many-entries', `${zip.entryCount} entries (at most ${limits.zipEntries})`);
  }
  const out: ZipEntryText[] = [];
  let total = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      if (!/\.json$/i.test(name)) throw new ZipRefused('not-a-document', 'only .json documents are imported from a .zip', name);
      if (entry.uncompressedSize > limits.entryBytes) throw new ZipRefused('too-large', `${entry.uncompressedSize} bytes (at most ${limits.entryBytes})`, name);
      total += entry.uncompressedSize;
      if (total > limits.zipTotalBytes) throw new ZipRefused('too-large', `the entries add up to more than ${limits.zipTotalBytes} bytes`, name);
      out.push({ name, text: await readEntry(zip, entry, limits.entryBytes) });
    }
  } catch (err) {
    zip.close();
    if (err instanceof ZipRefused) throw err;
    const message = (err as Error).message;
    // yauzl's words for a hostile name (validateFileName) and for sizes that lie.
    if (/invalid relative path|absolute path|invalid characters in fileName/.test(message)) throw new ZipRefused('unsafe-name', message);
    if (/too many bytes|too few bytes|size mismatch/i.test(message)) throw new ZipRefused('too-large', message);
    throw new ZipRefused('bad-zip', message);
  }
  if (out.length === 0) throw new ZipRefused('empty', 'the .zip holds no .json document');
  return out;
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<string> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) {
      stream.destroy();
      throw new ZipRefused('too-large', `more than ${max} bytes once inflated`, entry.fileName);
    }
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  // Documents are UTF-8 JSON: a fatal decoder turns binary content into a clear refusal, not mojibake.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ZipRefused('not-json', 'not UTF-8 text', entry.fileName);
  }
}
