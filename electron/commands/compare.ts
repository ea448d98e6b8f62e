import { Command, Option } from 'commander';
import { BudgetError } from '../../shared/adaptive/planner';
import { chooseBudget, fixedCountsOf, type FixedCounts } from '../../shared/adaptive/wiring';
import type { CompareRequest } from '../../shared/api';
import { comparisonMarkdown } from '../../shared/export';
import { cliNote } from '../note-text';
import { Plan, planIssues, type PlanInput } from '../../shared/plan';
import { cancelOnSignal } from './cancel-on-signal';
import { remoteLines } from './compare-remote';
import { askHostKey, askPassphrase } from './host';
import { openLab } from './open-lab';
import { progressBar } from './progress';
import { int } from './options';
import { loadPlanFile } from '../lab/workloads/load';
import { NotSavedError } from '../lab/json-store';
import type { Comparison } from '../../shared/compare';

/**
 * `isolab compare`: the process floor, every runtime the engine lists, each OCI runtime straight on a bundle
 * and (once registered) the local VM, with one plan, back to back. Flags override the plan file's fields.
 */
export function compareCommand(): Command {
  return new Command('compare')
    .description('Run every isolation model on this host with the same plan and put them side by side; each figure is sampled until it is precise enough, the whole within a time budget')
    .option('--plan <file>', 'a plan file (YAML or JSON; see examples/plans/)')
    .option('--models <list>', 'comma-separated models, e.g. process,container:runc,oci:runc (default: all on this host)')
    .option('--workload <kind>', 'true | sleep | server | ready-line (default: the plan\'s, else true)')
    .option('--budget <time>', 'finish within this time: 60s, 1m30s, 90, or a preset (demo = 30s, standard = 90s, the default); none for no limit')
    .option('--iterations <n>', 'a fixed count of timed starts per model (default: adaptive, until the median is within ±5%)', int('--iterations', 1))
    .option('--warmup <n>', 'untimed starts first', int('--warmup', 0))
    .option('--concurrency <k>', 'start k instances at a time', int('--concurrency', 1))
    .option('--footprint <n>', 'idle instances held for the memory figures', int('--footprint', 1))
    .option('--no-footprint', 'skip the footprint')
    .addOption(new Option('--density <max>', 'also run density up to this many instances').argParser(int('--density', 1)))
    .option('--each-runtime', 'measure every runtime name the engine lists, even those that run the same program (runc and io.containerd.runc.v2)')
    .option('--vm', 'insist on the local VM: listed (as unavailable, with the reason) even where this host cannot boot one')
    .option('--host <target>', 'run the comparison on a remote host over SSH: a saved host\'s name, an alias of ~/.ssh/config or user@host[:port]; its process floor and its Docker engine\'s runtimes, startup timed as `isolab compare` does, with the clock of each figure said')
    .option('--accept-new', "with --host: record the host's key in known_hosts if it is unknown (as OpenSSH's accept-new); a changed key is still refused")
    .option('--json', 'print the Comparison document on stdout (progress stays on stderr)')
    .option('--trust-plan', "let the plan's own command run straight on this host (the process floor and OCI runtimes on a bundle run it there); read the plan first")
    .action(async (o) => {
      const { plan, fixedCounts } = await planFromOptions(o);
      // A malformed budget is an error before anything starts.
      if (o.budget !== undefined) parseBudgetOption(o.budget);
      const lab = await openLab();
      const cancel = cancelOnSignal('cancelling: removing what this comparison created...');
      const bar = progressBar(lab, 'compare');
      try {
        const request: CompareRequest = { plan, vm: o.vm, trustPlan: !!o.trustPlan, budget: o.budget, fixedCounts, eachRuntime: !!o.eachRuntime, host: o.host };
        const tty = process.stdin.isTTY;
        const ia = o.host ? { acceptNew: !!o.acceptNew, confirmHostKey: tty ? askHostKey : undefined, passphrase: tty ? askPassphrase : undefined } : undefined;
        let notSaved: NotSavedError<Comparison> | undefined;
        const c = await lab.compare(request, cancel.signal, (line) => process.stderr.write(`isolab: ${line}\n`), ia).catch((err) => {
          if (!(err instanceof NotSavedError)) throw err;
          notSaved = err as NotSavedError<Comparison>;
          return notSaved.doc;
        });
        if (o.json) process.stdout.write(JSON.stringify(c, null, 2) + '\n');
        else {
          const remote = remoteLines(c);
          if (remote.length) process.stdout.write(`${remote.join('\n')}\n\n`);
          process.stdout.write(comparisonMarkdown(c, cliNote));
          if (!notSaved) process.stdout.write(`\nSaved as ${c.id}. Export it with \`isolab runs export ${c.id} --format md|csv|json\`.\n`);
          else if (!notSaved.fallback) process.stdout.write(`\n${JSON.stringify(c, null, 2)}\n`);
        }
        if (notSaved) {
          process.stderr.write(`isolab: ${notSaved.message}${notSaved.fallback || o.json ? '' : ' The comparison is printed above as JSON: keep it.'}\n`);
          process.exitCode = 1;
        } else if (c.status === 'cancelled') process.exitCode = 130;
        else if (c.status === 'failed') process.exitCode = 1;
      } finally {
        bar.stop();
        cancel.dispose();
      }
    });
}

interface CompareFlags {
  plan?: string;
  models?: string;
  workload?: string;
  iterations?: number;
  warmup?: number;
  concurrency?: number;
  footprint?: number | boolean;
  density?: number;
}

function parseBudgetOption(text: string): void {
  try {
    chooseBudget(text, { startup: false, footprint: false });
  } catch (err) {
    if (err instanceof BudgetError) throw new Error(`--budget: ${err.message}`);
    throw err;
  }
}

/** The plan file (or defaults) with the flags laid over it, validated once more as a whole; and which counts it fixes. */
async function planFromOptions(o: CompareFlags): Promise<{ plan: Plan; fixedCounts: FixedCounts }> {
  const base: PlanInput = o.plan ? await loadPlanFile(o.plan) : {};
  const input: PlanInput = { ...base, startup: { ...base.startup } };
  if (o.models) input.models = o.models.split(',').map((m) => m.trim()).filter(Boolean);
  if (o.workload) input.workload = { ...(base.workload ?? {}), kind: o.workload as 'true' };
  if (o.iterations !== undefined) input.startup!.iterations = o.iterations;
  if (o.warmup !== undefined) input.startup!.warmup = o.warmup;
  if (o.concurrency !== undefined) input.startup!.concurrency = o.concurrency;
  if (o.footprint === false) input.footprint = false;
  else if (typeof o.footprint === 'number') input.footprint = { ...(base.footprint || {}), instances: o.footprint };
  if (o.density !== undefined) input.density = { ...(base.density || {}), maxInstances: o.density };
  const parsed = Plan.safeParse(input);
  if (!parsed.success) throw new Error(`invalid options: ${planIssues(parsed.error).join('; ')}`);
  return { plan: parsed.data, fixedCounts: fixedCountsOf(input) };
}
