import { Command } from 'commander';
import { ISOLAB_VERSION } from './lab/host';
import { benchCommand } from './commands/bench';
import { cliErrorText } from './commands/errors';
import { compareCommand } from './commands/compare';
import { reportCommand } from './commands/report';
import { runsCommand } from './commands/runs';
import { serveCommand } from './commands/serve';
import { simCommand } from './commands/sim';

/** Exit codes: 0 ok, 1 failed, 2 bad usage (commander), 130 cancelled by the user. */
export function buildCli(): Command {
  return new Command('isolab')
    .description('Measure and explain hypervisor isolation (VMs) against kernel isolation (containers) on your own machines.')
    .version(ISOLAB_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(benchCommand())
    .addCommand(runsCommand())
    .addCommand(compareCommand())
    .addCommand(reportCommand())
    .addCommand(serveCommand())
    .addCommand(simCommand());
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`${cliErrorText(err)}\n`);
    process.exitCode = 1;
  }
}
