import { Command } from 'commander';
import { formatRun, formatRunList, formatSkipped } from '../report';
import { exportCommand } from './export';
import { importCommand } from './import';
import { openLab } from './open-lab';

/** `isolab runs list|show|export|import`: the runs saved in the data directory. */
export function runsCommand(): Command {
  const runs = new Command('runs').description('The runs saved in the data directory');
  runs
    .command('list')
    .description('List saved runs, newest first')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const scan = await (await openLab(false)).scanRuns();
      // --json stays the list of runs scripts rely on; what was skipped goes to stderr, as the table's note does.
      process.stdout.write((o.json ? JSON.stringify(scan.runs, null, 2) : formatRunList(scan.runs, scan.skipped.length > 0)) + '\n');
      if (scan.skipped.length) process.stderr.write(formatSkipped(scan) + '\n');
    });
  runs
    .command('show')
    .description('Show one run')
    .argument('<id>', 'run id (see `isolab runs list`)')
    .option('--json', 'print the Run document')
    .action(async (id: string, o) => {
      const run = await (await openLab(false)).getRun(id);
      process.stdout.write((o.json ? JSON.stringify(run, null, 2) : formatRun(run)) + '\n');
    });

  runs.addCommand(exportCommand());
  runs.addCommand(importCommand());
  return runs;

}
