import { Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRequest, LabEvent } from '../shared/api';
import { Lab } from './lab/lab';
import { ISOLAB_VERSION } from './lab/host';
import { RunNotSavedError } from './lab/runner';
import { formatRun, formatRunList, formatSkipped } from './report';
import { serve } from './serve';
import { simCommand } from './commands/sim';
import { benchHostCommand } from './commands/host';
import { benchSwarmCommand } from './commands/swarm';
import { compareCommand } from './commands/compare';
import { exportCommand } from './commands/export';
import { cliErrorText } from './commands/errors';
import { benchRequestWithPlan } from './lab/workloads/bench-plan';

/** The built renderer sits beside the bundled CLI: dist/cli.mjs and dist/renderer/. */
export const rendererDir = () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'renderer');

export const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
  return n;
};

/** Exit codes: 0 ok, 1 failed, 2 bad usage (commander), 130 cancelled by the user. */
export function buildCli(): Command {
  const program = new Command('isolab')
    .description('Measure and explain hypervisor isolation (VMs) against kernel isolation (containers) on your own machines.')
    .version(ISOLAB_VERSION)
    .showHelpAfterError('(run with --help for usage)');

  const bench = program.command('bench').description('Time cold starts of an isolation model on this host');
  for (const [target, description] of [
    ['containers', 'containers through the Docker engine, with the host process as the floor in the same run'],
    ['process', 'the probe program straight on the host: the floor'],
    ['vm', "a real QEMU guest (isolab's kit: a distribution kernel + its own initramfs) from spawn to SSH ready and power-off, with its footprint"],
  ] as const) {
    // Each target lists only the flags it uses: image and runtime are the engine's; the process target is the
    // floor itself (no baseline); the vm target times its own boot and takes no plan workload.
    const command = bench.command(target).description(description);
    if (target === 'containers') {
      command
        .option('--image <ref>', "image to start (default: isolab's probe image, built locally)")
        .option('--runtime <name>', 'OCI runtime the engine lists (runc, crun, runsc ...)');
    }
    command
      .option('--iterations <n>', 'timed iterations', int('--iterations', 1), 20)
      .option('--warmup <n>', 'untimed iterations first', int('--warmup', 0), 2);
    if (target !== 'process') command.option('--no-baseline', 'skip the process floor measured in the same run');
    command.option('--json', 'print the Run document on stdout (progress stays on stderr)');
    if (target !== 'vm') {
      command
        .option('--plan <file>', 'a plan file (YAML or JSON): its workload and startup settings; flags win')
        .option('--trust-plan', "let the plan's own command run straight on this host (the process floor runs it there); read the plan first");
    }
    command
      .action(async (o, cmd: Command) => {
        const request: BenchRequest = { target, image: o.image, runtime: o.runtime, iterations: o.iterations, warmup: o.warmup, baseline: o.baseline, trustPlan: !!o.trustPlan };
        if (target === 'vm') Object.assign(request, { memoryMiB: o.memory, accel: o.accel, machine: o.machine, kernel: o.kernel, allowApt: o.allowApt, density: o.density });
        const explicit = (flag: string) => cmd.getOptionValueSource(flag) === 'cli';
        return runBenchCommand(o.plan ? await benchRequestWithPlan(request, o.plan, explicit) : request, o.json);
      });
  }

  bench.commands
    .find((c) => c.name() === 'vm')!
    .option('--memory <mib>', 'guest memory in MiB', int('--memory', 64), 256)
    .addOption(new Option('--accel <name>', 'accelerator: auto tests KVM/HVF/WHPX with a short boot and falls back to TCG').choices(['auto', 'tcg', 'kvm', 'hvf', 'whpx']).default('auto'))
    .addOption(new Option('--machine <type>', 'QEMU machine: q35 (the full VM), pc (its 1996 predecessor), microvm (no PCI, virtio-mmio, qboot)').choices(['q35', 'pc', 'microvm']).default('q35'))
    .option('--kernel <path>', 'guest kernel (vmlinuz); default: a cached one, else the host\'s /boot/vmlinuz-*')
    .option('--allow-apt', "let isolab fetch Debian's cloud kernel with `apt-get download` (nothing is installed) when no kernel is found")
    .option('--density <n>', 'after the iterations, boot up to n VMs side by side: the memory each one adds', int('--density', 0));
  bench.addCommand(benchHostCommand());
  bench.addCommand(benchSwarmCommand());

  const runs = program.command('runs').description('The runs saved in the data directory');
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
  program.addCommand(compareCommand());

  program
    .command('serve')
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

  program.addCommand(simCommand());
  return program;
}

/** Runs one benchmark to its end with a progress bar; Ctrl+C cancels it and cleans up. */
export async function runBenchCommand(request: BenchRequest, json: boolean): Promise<void> {
  const lab = await openLab();
  const bar = progress(lab);
  const abort = new AbortController();
  const stop = () => {
    process.stderr.write('\ncancelling: removing what this run created...\n');
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Node exits 0 in silence when nothing is left to wake a pending promise: never let a run end that way.
  const stalled = () => {
    process.stderr.write('isolab: the run stopped waiting for an answer that can no longer come; what it measured is saved (`isolab runs list`).\n');
    process.exitCode = 1;
  };
  process.once('beforeExit', stalled);
  try {
    let notSaved: RunNotSavedError | undefined;
    const run = await lab.bench(request, abort.signal).catch((err) => {
      if (!(err instanceof RunNotSavedError)) throw err;
      notSaved = err;
      return err.run;
    });
    bar.stop();
    if (json) process.stdout.write(JSON.stringify(run, null, 2) + '\n');
    else {
      process.stdout.write(formatRun(run) + '\n');
      if (!notSaved) process.stdout.write(`\nSaved as ${run.id}. See it again with \`isolab runs show ${run.id}\`.\n`);
      // Written nowhere: the document itself on stdout is the last place it can be kept.
      else if (!notSaved.fallback) process.stdout.write(`\n${JSON.stringify(run, null, 2)}\n`);
    }
    if (notSaved) {
      process.stderr.write(`isolab: ${notSaved.message}${notSaved.fallback || json ? '' : ' The run is printed above as JSON: keep it.'}\n`);
      process.exitCode = 1;
    }
    if (run.status === 'failed') {
      process.stderr.write(`isolab: the run failed: ${run.error}\n`);
      process.exitCode = 1;
    } else if (run.status === 'cancelled' && !notSaved) process.exitCode = 130;
  } finally {
    bar.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('beforeExit', stalled);
  }
}

/** A Lab for this command; sweeping what a crashed run left behind first, as every start does. */
export async function openLab(sweep = true): Promise<Lab> {
  const lab = new Lab('cli');
  if (!sweep) await lab.recoverRuns();
  else {
    const { sweptContainers } = await lab.init();
    if (sweptContainers.length) process.stderr.write(`isolab: removed ${sweptContainers.length} container(s) left by an earlier run that did not finish\n`);
  }
  return lab;
}

/** A progress bar on stderr when it is a terminal; nothing otherwise, so logs stay clean. */
function progress(lab: Lab): { stop(): void } {
  if (!process.stderr.isTTY) return { stop() {} };
  const bar = new SingleBar({ stream: process.stderr, format: ' {bar} {value}/{total} {model} {phase}', hideCursor: true, clearOnComplete: true }, undefined);
  let started = false;
  const off = lab.onEvent((e: LabEvent) => {
    if (e.type === 'run-started') {
      bar.start(e.total, 0, { model: e.model, phase: 'preparing' });
      started = true;
    } else if (e.type === 'progress' && started) {
      bar.update(e.phase === 'remove' || e.phase === 'exit' || e.phase === 'shutdown' ? e.iteration : e.iteration - 1, { model: `${e.model}${e.warmup ? ' (warmup)' : ''}`, phase: e.phase });
    }
  });
  return {
    stop() {
      off();
      if (started) bar.stop();
      started = false;
    },
  };
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`${cliErrorText(err)}\n`);
    process.exitCode = 1;
  }
}
