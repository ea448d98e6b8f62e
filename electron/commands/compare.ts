import { Command, Option } from 'commander';
import { BudgetError } from '../../shared/adaptive/planner';
import { chooseBudget, fixedCountsOf, type FixedCounts } from '../../shared/adaptive/wiring';
import type { CompareRequest } from '../../shared/api';
import { comparisonMarkdown } from '../../shared/export';
import { cliNote } from '../note-text';
import { Plan, planIssues, type PlanInput } from '../../shared/plan';
import { printableLine } from '../../shared/printable';
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
    .option('--host <target>', 'run the comparison on a remote host over SSH (repeat it for several hosts: they run in parallel, one comparison per host, never two at once on one machine): a saved host\'s name, an alias of ~/.ssh/config or user@host[:port]; its process floor and its Docker engine\'s runtimes, startup timed as `isolab compare` does, with the clock of each figure said', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--fleet <name>', 'run the comparison on every host of a fleet saved on the Hosts page, as with one --host per member (repeatable; combines with --host)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--accept-new', "with --host: record the host's key in known_hosts if it is unknown (as OpenSSH's accept-new); a changed key is still refused")
    .option('--json', 'print the Comparison document on stdout (progress stays on stderr)')
    .option('--trust-plan', "let the plan's own command run straight on this host (the process floor and OCI runtimes on a bundle run it there); read the plan first")
    .action(async (o) => {
      const { plan, fixedCounts } = await planFromOptions(o);
      // A malformed budget is an error before anything starts.
      if (o.budget !== undefined) parseBudgetOption(o.budget);
      const lab = await openLab();
      // A fleet is its members' names, each then reached as a --host; an unknown fleet stops here, before anything runs.
      const members: string[] = [];
      for (const name of o.fleet as string[]) members.push(...(await lab.hosts.fleetHosts(name)));
      const hosts: string[] = [...new Set<string>([...o.host, ...members])];
      const cancel = cancelOnSignal('cancelling: removing what this comparison created...');
      // One bar for one comparison; a fleet's comparisons report line by line, each naming its host.
      const bar = hosts.length > 1 ? undefined : progressBar(lab, 'compare');
      try {
        const tty = process.stdin.isTTY;
        const ia = hosts.length ? { acceptNew: !!o.acceptNew, confirmHostKey: tty ? askHostKey : undefined, passphrase: tty ? askPassphrase : undefined } : undefined;
        const one = async (host: string | undefined): Promise<{ c: Comparison; notSaved?: NotSavedError<Comparison> }> => {
          const request: CompareRequest = { plan, vm: o.vm, trustPlan: !!o.trustPlan, budget: o.budget, fixedCounts, eachRuntime: !!o.eachRuntime, host };
          const prefix = hosts.length > 1 ? `isolab: [${host}] ` : 'isolab: ';
          try {
            return { c: await lab.compare(request, cancel.signal, (line) => process.stderr.write(`${prefix}${line}\n`), ia) };
          } catch (err) {
            if (!(err instanceof NotSavedError)) throw err;
            return { c: (err as NotSavedError<Comparison>).doc, notSaved: err as NotSavedError<Comparison> };
          }
        };
        const outcomes = hosts.length > 1 ? await Promise.allSettled(hosts.map((h) => one(h))) : [{ status: 'fulfilled' as const, value: await one(hosts[0]) }];
        const codes: number[] = [];
        const docs: Comparison[] = [];
        for (const [i, r] of outcomes.entries()) {
          if (r.status === 'rejected') {
            process.stderr.write(`isolab: [${hosts[i]}] ${(r.reason as Error).message}\n`);
            codes.push(1);
            continue;
          }
          const { c, notSaved } = r.value;
          docs.push(c);
          if (!o.json) {
            const remote = remoteLines(c);
            if (remote.length) process.stdout.write(`${remote.join('\n')}\n\n`);
            process.stdout.write(comparisonMarkdown(c, cliNote));
            if (!notSaved) process.stdout.write(`\nSaved as ${c.id}. Export it with \`isolab runs export ${c.id} --format md|csv|json\`.\n`);
            else if (!notSaved.fallback) process.stdout.write(`\n${JSON.stringify(c, null, 2)}\n`);
            if (hosts.length > 1 && i < outcomes.length - 1) process.stdout.write('\n');
          }
          if (notSaved) {
            process.stderr.write(`isolab: ${notSaved.message}${notSaved.fallback || o.json ? '' : ' The comparison is printed above as JSON: keep it.'}\n`);
            codes.push(1);
          } else codes.push(c.status === 'cancelled' ? 130 : c.status === 'failed' ? 1 : 0);
        }
        // --json: one document for one comparison, an array of them for a fleet.
        if (o.json) process.stdout.write(JSON.stringify(hosts.length > 1 ? docs : docs[0], null, 2) + '\n');
        if (hosts.length > 1 && !o.json) process.stdout.write(`\n${fleetSummary(hosts, outcomes)}`);
        const code = codes.includes(130) ? 130 : codes.some((x) => x !== 0) ? 1 : 0;
        if (code) process.exitCode = code;
      } finally {
        bar?.stop();
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

/** The fleet's last lines: each host, its comparison's status and id (or why it has none). */
function fleetSummary(hosts: string[], outcomes: PromiseSettledResult<{ c: Comparison }>[]): string {
  const rows = outcomes.map((r, i) =>
    r.status === 'fulfilled' ? `| ${printableLine(hosts[i])} | ${r.value.c.status} | ${r.value.c.id} |` : `| ${printableLine(hosts[i])} | error | ${printableLine((r.reason as Error).message).slice(0, 200)} |`,
  );
  return ['## Fleet', '', '| Host | Status | Comparison |', '|---|---|---|', ...rows, ''].join('\n');
}
