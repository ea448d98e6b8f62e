import { Command, Option } from 'commander';
import type { BenchRequest } from '../../shared/api';
import { RunNotSavedError } from '../lab/runner';
import { benchRequestWithPlan } from '../lab/workloads/bench-plan';
import { formatRun } from '../report';
import { benchHostCommand } from './host';
import { benchSwarmCommand } from './swarm';
import { cancelOnSignal } from './cancel-on-signal';
import { openLab } from './open-lab';
import { progressBar } from './progress';
import { int } from './options';

/** `isolab bench containers|process|vm|host`: time cold starts of one isolation model on this host. */
export function benchCommand(): Command {
  const bench = new Command('bench').description('Time cold starts of an isolation model on this host');
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
  return bench;
}

/** Runs one benchmark to its end with a progress bar; Ctrl+C cancels it and cleans up. */
async function runBenchCommand(request: BenchRequest, json: boolean): Promise<void> {
  const lab = await openLab();
  const bar = progressBar(lab, 'bench');
  const cancel = cancelOnSignal('cancelling: removing what this run created...');
  // Node exits 0 in silence when nothing is left to wake a pending promise: never let a run end that way.
  const stalled = () => {
    process.stderr.write('isolab: the run stopped waiting for an answer that can no longer come; what it measured is saved (`isolab runs list`).\n');
    process.exitCode = 1;
  };
  process.once('beforeExit', stalled);
  try {
    let notSaved: RunNotSavedError | undefined;
    const run = await lab.bench(request, cancel.signal).catch((err) => {
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
    cancel.dispose();
    process.off('beforeExit', stalled);
  }
}
