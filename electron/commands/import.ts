import { Command } from 'commander';
import { isRefusal, type ImportCode, type ImportOutcome, type ImportReport } from '../../shared/import';
import { importDocuments } from '../lab/import/import';
import { readImportPaths } from '../lab/import/files';
import { openLab } from './open-lab';

/** `isolab runs import FILE|DIR...`: runs and comparisons made by another isolab, as JSON or .zip files. */
export function importCommand(): Command {
  return new Command('import')
    .description('Import runs and comparisons made by another isolab (.json documents, or .zip files of several); never overwrites a local one')
    .argument('<paths...>', '.json or .zip files, or folders holding them')
    .option('--json', 'print what each file gave as JSON')
    .action(async (paths: string[], o: { json?: boolean }) => {
      const lab = await openLab(false);
      const { sources, refused } = await readImportPaths(paths);
      const report = await importDocuments({ runs: lab.store, comparisons: lab.comparisons }, sources);
      const all: ImportReport = { outcomes: [...refused, ...report.outcomes], imported: report.imported };
      process.stdout.write((o.json ? JSON.stringify(all, null, 2) : formatImport(all)) + '\n');
      // Exit 1 when something was refused, so a script notices; duplicates are not failures.
      if (all.outcomes.some((x) => isRefusal(x.code))) process.exitCode = 1;
    });
}

const WHY: Record<ImportCode, string> = {
  imported: 'imported',
  'same-document': 'already here (the same document): nothing to do',
  'id-taken': 'not imported: a different document with this id is already here; the local one is kept',
  'not-json': 'refused: not valid JSON',
  foreign: 'refused: not an isolab document',
  'unsupported-schema': 'refused: an isolab document this version does not read (made by a newer isolab?)',
  'invalid-document': 'refused: not a valid isolab document',
  'too-large': 'refused: too large',
  'too-many-entries': 'refused: the .zip has too many entries',
  'unsafe-name': 'refused: the .zip names a file outside itself (.., an absolute path or a backslash)',
  'not-a-document': 'refused: the .zip holds something other than .json documents',
  'bad-zip': 'refused: not a readable .zip',
  empty: 'refused: empty',
  'unsupported-file': 'left alone: neither .json nor .zip',
  unreadable: 'refused: cannot be read',
  'zip-refused': 'not imported: another entry of this .zip was refused, so nothing from it was imported',
  'not-saved': 'not saved',
};

function formatImport(report: ImportReport): string {
  const lines = report.outcomes.map((o: ImportOutcome) => {
    const where = o.entry ? `${o.file} [${o.entry}]` : o.file;
    const what = o.id ? ` ${o.kind ?? 'document'} ${o.id}` : '';
    return `${where}:${what} ${WHY[o.code]}${o.detail ? ` (${o.detail})` : ''}`;
  });
  const refused = report.outcomes.filter((o) => isRefusal(o.code)).length;
  lines.push(`${report.imported} imported, ${report.outcomes.length - report.imported - refused} already here or kept local, ${refused} refused.`);
  return lines.join('\n');
}
