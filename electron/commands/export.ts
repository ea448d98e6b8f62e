import { Command, Option } from 'commander';
import { openLab } from './open-lab';

/** `isolab runs export ID --format csv|json|md`: a run or a comparison, on stdout or into a file. */
export function exportCommand(): Command {
  return new Command('export')
    .description('Export a run or a comparison as JSON, CSV or Markdown')
    .argument('<id>', 'run or comparison id (see `isolab runs list`, `isolab compare`)')
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv', 'md']).default('json'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (id: string, o: { format: 'json' | 'csv' | 'md'; output?: string }) => {
      const text = await (await openLab(false)).exportRun(id, o.format);
      if (o.output) {
        const { writeFileAtomic } = await import('../lab/atomic-file');
        await writeFileAtomic(o.output, text);
        process.stderr.write(`isolab: wrote ${o.output}\n`);
      } else process.stdout.write(text);
    });
}
