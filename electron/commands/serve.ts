import { Command, Option } from 'commander';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve';
import { openLab } from './open-lab';
import { int } from './options';

/** The built renderer sits beside the bundled CLI: dist/cli.mjs and dist/renderer/. */
const rendererDir = () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'renderer');

/** `isolab serve`: browser mode. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('Browser mode: the isolab UI and its API on 127.0.0.1, for machines without a desktop and for workshops')
    .addOption(new Option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)').argParser(int('--port', 0)).default(7878))
    .option('--audience', 'workshop mode: also print a read-only address for the audience, following the presenter\'s live demos')
    .action(async (o) => {
      const lab = await openLab();
      const served = await serve({ lab, rendererDir: rendererDir(), port: o.port, audience: !!o.audience });
      process.stdout.write(`isolab is serving on 127.0.0.1 only. Open:\n  ${served.url}\n`);
      if (served.audienceUrl) process.stdout.write(`Audience (read-only, follows the workshop live):\n  ${served.audienceUrl}#/workshop\n`);
      process.stdout.write('Press Ctrl+C to stop.\n');
      const stop = async () => {
        await lab.shutdown();
        await served.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

}
