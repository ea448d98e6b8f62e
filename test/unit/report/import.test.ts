import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { Comparison } from '../../../shared/compare';
import type { ImportReport } from '../../../shared/import';
import { RUN_SCHEMA, type Run } from '../../../shared/run';
import { importDocuments, importFiles } from '../../../electron/lab/import/import';
import { readZipEntries } from '../../../electron/lab/import/zip';
import { RunStore } from '../../../electron/lab/store';
import { ComparisonStore } from '../../../electron/lab/compare/store';
import { isolab } from '../../helpers/cli';
import { tempDataDir } from '../../helpers/datadir';

const here = path.dirname(fileURLToPath(import.meta.url));
/** A comparison and its four runs exactly as an earlier isolab wrote them (before documents carried a machine id). */
const PREVIOUS = path.join(here, '../../fixtures/import/previous-compare');
const COMPARISON_ID = '20261130T174823110Z-compare-318e';

const data = tempDataDir('isolab-import-');
afterAll(() => data.cleanup());
const work = path.join(data.dir, 'in');
mkdirSync(work, { recursive: true });
const runsDir = () => path.join(data.dir, 'runs');
const comparisonsDir = () => path.join(data.dir, 'comparisons');
const stores = () => ({ runs: new RunStore(runsDir()), comparisons: new ComparisonStore(comparisonsDir()) });
/** Every file of the data directory's documents with its bytes: what "nothing changed" compares. */
const snapshot = () => Object.fromEntries([runsDir(), comparisonsDir()].flatMap((d) => ls(d).map((n) => [path.join(d, n), readFileSync(path.join(d, n), 'utf8')])));
const ls = (d: string) => {
  try {
    return readdirSync(d).sort();
  } catch {
    return [];
  }
};

const doc = (id: string, extra: Partial<Run> = {}): Run => ({
  schema: RUN_SCHEMA, id, kind: 'bench:process', model: 'process', status: 'complete', startedAt: '2026-01-01T00:00:00.000Z',
  environment: { host: { os: 'x', kernel: 'k', arch: 'x64', cpus: 2, memoryBytes: 1, machineId: 'ab'.repeat(16) }, isolabVersion: '0' },
  plan: {}, phaseOrder: ['spawn'], samples: [], summary: {}, notes: [], ...extra,
});

function zip(entries: Record<string, string | Buffer>, o: { compress?: boolean } = {}): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, body] of Object.entries(entries)) {
    if (name.endsWith('/')) z.addEmptyDirectory(name);
    else z.addBuffer(Buffer.from(body), name, { compress: o.compress ?? true });
  }
  z.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

/** yazl refuses unsafe names, as it should: write a safe one of the same length, then rename it in the bytes. */
function rename(buf: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const out = Buffer.from(buf);
  let at = out.indexOf(from);
  while (at >= 0) {
    out.write(to, at);
    at = out.indexOf(from, at + 1);
  }
  return out;
}

const codes = (r: ImportReport) => r.outcomes.map((o) => o.code);

describe('isolab runs import', () => {
  it('imports a comparison and its runs exported by an earlier isolab, from a folder, keeping where they came from', async () => {
    const r = await isolab('runs', 'import', PREVIOUS);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/5 imported, 0 already here or kept local, 0 refused/);
    const c = await stores().comparisons.get(COMPARISON_ID);
    expect(c.imported).toMatchObject({ file: `${COMPARISON_ID}.json`, by: expect.any(String) });
    expect(Date.parse(c.imported!.at)).toBeGreaterThan(Date.parse('2026-11-30T18:00:00Z'));
    // Older documents carry no machine id: the origin says none rather than inventing one.
    expect(c.imported!.machineId).toBeUndefined();
    for (const m of c.models) expect((await stores().runs.get(m.runId!)).imported?.file).toBe(`${m.runId}.json`);
    // Unchanged otherwise: the figures are the ones measured there.
    const original = Comparison.parse(JSON.parse(readFileSync(path.join(PREVIOUS, `${COMPARISON_ID}.json`), 'utf8')));
    const { imported: _i, ...kept } = c;
    // Less its owner: a process of the machine it ran on, nothing to this one.
    const { owner: _o, ...measured } = original;
    expect(kept).toEqual(measured);

    // Again: every document is already here, nothing is written.
    const before = snapshot();
    const again = await isolab('runs', 'import', PREVIOUS);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 imported, 5 already here/);
    expect(snapshot()).toEqual(before);
  });

  it('a .zip of several: all imported; the origin names the zip and the entry, and the machine they ran on', async () => {
    const a = doc('zip-a');
    const b = doc('zip-b', { status: 'partial', owner: { pid: 1, host: 'elsewhere' } });
    const file = path.join(work, 'results.zip');
    writeFileSync(file, await zip({ 'exports/': '', 'exports/a.json': JSON.stringify(a), 'b.json': JSON.stringify(b) }));
    const r = await isolab('runs', 'import', file, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as ImportReport;
    expect(report.outcomes.map((o) => [o.entry, o.code, o.id])).toEqual([['exports/a.json', 'imported', 'zip-a'], ['b.json', 'imported', 'zip-b']]);
    const got = await stores().runs.get('zip-a');
    expect(got.imported).toMatchObject({ file: 'results.zip', entry: 'exports/a.json', machineId: 'ab'.repeat(16) });
    // Its owner ran on another machine and will never finish it: interrupted here, without that owner.
    const partial = await stores().runs.get('zip-b');
    expect(partial.status).toBe('interrupted');
    expect(partial.owner).toBeUndefined();
  });

  it('never overwrites a local document: the same one is already here, a different one with its id is not imported', async () => {
    await stores().runs.save(doc('local-1', { notes: [{ code: 'text', params: {}, text: 'measured here' }] }));
    const before = snapshot();
    const same = path.join(work, 'same.json');
    const other = path.join(work, 'other.json');
    writeFileSync(same, JSON.stringify(doc('local-1', { notes: [{ code: 'text', params: {}, text: 'measured here' }] })));
    writeFileSync(other, JSON.stringify(doc('local-1', { notes: [{ code: 'text', params: {}, text: 'measured elsewhere' }] })));
    const r = await isolab('runs', 'import', same, other);
    expect(r.stdout).toMatch(/same\.json: run local-1 already here/);
    expect(r.stdout).toMatch(/other\.json: run local-1 not imported: a different document with this id is already here; the local one is kept/);
    expect(r.code).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('a bad or foreign file gets a clear message, exit 1, and nothing changes', async () => {
    const files: Record<string, string | Buffer> = {
      'cut.json': JSON.stringify(doc('cut')).slice(0, 80),
      'package.json': JSON.stringify({ name: 'not-isolab', version: '1.0.0' }),
      'newer.json': JSON.stringify({ ...doc('newer'), schema: 'isolab.run/9' }),
      'broken.json': JSON.stringify({ ...doc('broken'), samples: 'many' }),
      'binary.json': Buffer.from([0xff, 0xfe, 0x00, 0x01]),
      'notes.txt': 'hello',
    };
    const dir = path.join(work, 'bad');
    mkdirSync(dir);
    for (const [n, body] of Object.entries(files)) writeFileSync(path.join(dir, n), body);
    const before = snapshot();
    const r = await isolab('runs', 'import', dir, path.join(work, 'missing.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/binary\.json: refused: not valid JSON \(not UTF-8 text\)/);
    expect(r.stdout).toMatch(/broken\.json: refused: not a valid isolab document \(samples: /);
    expect(r.stdout).toMatch(/cut\.json: refused: not valid JSON/);
    expect(r.stdout).toMatch(/newer\.json: refused: an isolab document this version does not read .*isolab\.run\/9/);
    expect(r.stdout).toMatch(/notes\.txt: left alone: neither \.json nor \.zip/);
    expect(r.stdout).toMatch(/package\.json: refused: not an isolab document/);
    expect(r.stdout).toMatch(/missing\.json: refused: cannot be read \(no such file or folder\)/);
    expect(r.stdout).toMatch(/0 imported, 0 already here or kept local, 7 refused/);
    expect(snapshot()).toEqual(before);
  });
});

describe('hostile .zip files: bounded and refused whole, nothing written', () => {
  const run = async (bytes: Buffer, name = 'x.zip') => {
    const before = snapshot();
    const report = await importDocuments(stores(), [{ file: name, bytes }]);
    expect(report.imported).toBe(0);
    expect(snapshot()).toEqual(before);
    return report;
  };

  it('path traversal and absolute names', async () => {
    const good = JSON.stringify(doc('trav-good'));
    const dotdot = rename(await zip({ 'ok.json': good, 'aa/evil.json': good }), 'aa/evil.json', '../evil.json');
    expect(codes(await run(dotdot))).toEqual(['unsafe-name']);
    const abs = rename(await zip({ 'xetc/evil.json': good }), 'xetc/evil.json', '/etc/evil.json');
    expect(codes(await run(abs))).toEqual(['unsafe-name']);
    const backslash = rename(await zip({ 'a_evil.json': good }), 'a_evil.json', 'a\\evil.json');
    expect(codes(await run(backslash))).toEqual(['unsafe-name']);
  });

  it('a zip bomb: an entry that inflates past the limit, declared or lied about', async () => {
    // 40 MiB of zeros deflate to about 40 KiB.
    const bomb = await zip({ 'bomb.json': Buffer.alloc(40 * 2 ** 20) });
    expect(bomb.length).toBeLessThan(2 ** 20);
    const r = await run(bomb);
    expect(codes(r)).toEqual(['too-large']);
    expect(r.outcomes[0].entry).toBe('bomb.json');
    // The same with a central directory that claims 100 bytes: inflation stops at the real size check.
    const liar = Buffer.from(bomb);
    const cd = liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    liar.writeUInt32LE(100, cd + 24);
    await expect(readZipEntries(liar)).rejects.toMatchObject({ code: 'too-large' });
    expect(codes(await run(liar))).toEqual(['too-large']);
    // Counting as it inflates, under a small limit: stops there.
    await expect(readZipEntries(await zip({ 'a.json': Buffer.alloc(5000, 0x20) }), { entryBytes: 1000, zipTotalBytes: 10_000, zipEntries: 10 })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('too many entries, other files than .json, a broken archive, an empty one', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 1001; i++) many[`d${i}.json`] = '{}';
    expect(codes(await run(await zip(many, { compress: false })))).toEqual(['too-many-entries']);
    expect(codes(await run(await zip({ 'a.json': JSON.stringify(doc('inner')), 'inner.zip': await zip({ 'b.json': '{}' }) })))).toEqual(['not-a-document']);
    expect(codes(await run(Buffer.from('PK\u0003\u0004 not really a zip')))).toEqual(['bad-zip']);
    expect(codes(await run(await zip({ 'empty/': '' })))).toEqual(['empty']);
  });

  it('one bad document refuses the whole .zip, naming the bad entry and what was held back', async () => {
    const r = await run(await zip({ 'a.json': JSON.stringify(doc('held-back')), 'b.json': '{"schema": "something/1"}' }));
    expect(r.outcomes.map((o) => [o.entry, o.code])).toEqual([['a.json', 'zip-refused'], ['b.json', 'foreign']]);
    expect(await stores().runs.has('held-back')).toBe(false);
  });
});

describe('the Import button: files as name and bytes, never a path', () => {
  it('imports what the app sends, and refuses a name that is a path', async () => {
    const r = await importFiles(stores(), [{ name: 'sent.json', base64: Buffer.from(JSON.stringify(doc('sent-1'))).toString('base64') }]);
    expect(codes(r)).toEqual(['imported']);
    expect((await stores().runs.get('sent-1')).imported?.file).toBe('sent.json');
    await expect(importFiles(stores(), [{ name: '../../runs/x.json', base64: 'e30=' }])).rejects.toThrow(/a file name, not a path/);
  });
});
