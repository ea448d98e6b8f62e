import { Command, Option } from 'commander';
import { openLab } from './open-lab';

/** `isolab report ID... -o report.html`: one self-contained HTML file to send or print (PDF from the browser). */
export function reportCommand(): Command {
  return new Command('report')
    .description('Write one self-contained HTML report (charts, figures with their intervals, environment, plan, notes, cited sources) of runs and comparisons; print it from a browser for a PDF')
    .argument('<ids...>', 'run or comparison ids (see `isolab runs list`, `isolab compare`)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addOption(new Option('--lang <lang>', 'language of the report').choices(['en', 'fr']).default(defaultLang(), 'from LANG'))
    .action(async (ids: string[], o: { output?: string; lang: 'en' | 'fr' }) => {
      const html = await (await openLab(false)).report(ids, o.lang);
      if (o.output) {
        const { writeFileAtomic } = await import('../lab/atomic-file');
        await writeFileAtomic(o.output, html);
        process.stderr.write(`isolab: wrote ${o.output}\n`);
      } else process.stdout.write(html);
    });
}

function defaultLang(): 'en' | 'fr' {
  const l = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || '';
  return /^fr/i.test(l) ? 'fr' : 'en';
}
