import { Command, InvalidArgumentError, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { printable, printableLine } from '../../shared/printable';
import type { Run } from '../../shared/run';
import { cancelOnSignal } from './cancel-on-signal';
import { openLab } from './open-lab';
import { int } from './options';
import type { Lab } from '../lab/lab';
import { RunNotSavedError } from '../lab/runner';
import { formatRun } from '../report';
import { ms } from '../../shared/units';

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('--port must be a port number (1-65535)');
  return n;
};

/** `isolab bench host TARGET`: probe a remote Linux host over SSH and time connect/exec, optionally reboot and containers. */
export function benchHostCommand(): Command {
  return new Command('host')
    .description('Probe a remote Linux host over SSH (an alias from ~/.ssh/config or user@host[:port]): facts, virtualization, boot timeline, idle footprint, SSH latency')
    .argument('<target...>', 'an alias from ~/.ssh/config, or user@host[:port]; several make a fleet, probed side by side')
    .option('--reboot', 'reboot the host and time reboot-to-SSH (needs root or passwordless sudo there)')
    .option('--accept-new', "record an unknown host key in known_hosts (UserKnownHostsFile) and go on, as OpenSSH's accept-new: a changed key, also one of another type than the ones on file, is still refused")
    .option('--identity <file>', 'private key file to authenticate with (overrides IdentityFile)')
    .addOption(new Option('--port <n>', 'SSH port (overrides Port and the :port of the target)').argParser(port))
    .option('--containers', "also run the container suite on the host's Docker engine over the same SSH connection")
    .option('--iterations <n>', 'fresh SSH connections timed for connect and exec latency', int('--iterations', 1), 5)
    .option('--container-iterations <n>', 'timed container starts with --containers', int('--container-iterations', 1), 10)
    .addOption(new Option('--concurrency <n>', 'with several targets: hosts probed at once').argParser(int('--concurrency', 1)).default(4))
    .option('--json', 'print the Run document on stdout (a JSON array of two runs with --containers, or of every host run for a fleet); progress stays on stderr')
    .action(async (targets: string[], o) => {
      if (targets.length > 1) return fleetCommand(targets, o);
      const target = targets[0];
      const lab = await openLab(false);
      const cancel = cancelOnSignal('cancelling...');
      const off = progressLines(lab);
      const unsaved = new Set<string>();
      try {
        const runs = await lab.hosts
          .benchHost(
            {
              target,
              port: o.port,
              identityFile: o.identity,
              reboot: !!o.reboot,
              acceptNew: !!o.acceptNew,
              containers: !!o.containers,
              iterations: o.iterations,
              containerIterations: o.containerIterations,
            },
            { signal: cancel.signal, confirmHostKey: process.stdin.isTTY ? askHostKey : undefined, passphrase: process.stdin.isTTY ? askPassphrase : undefined },
          )
          .catch((err) => {
            if (err instanceof RunNotSavedError) {
              process.stderr.write(`isolab: ${printable(err.message)}\n`);
              process.exitCode = 1;
              unsaved.add(err.run.id);
              return [err.run];
            }
            throw err;
          });
        off();
        if (o.json) process.stdout.write(JSON.stringify(runs.length === 1 ? runs[0] : runs, null, 2) + '\n');
        else for (const r of runs) process.stdout.write(`${formatHostRun(r)}\n\n${savedLine(r.id, !unsaved.has(r.id))}\n\n`);
        const bad = runs.find((r) => r.status !== 'complete');
        if (bad?.status === 'failed') {
          process.stderr.write(`isolab: ${printable(bad.error ?? '')}\n`);
          process.exitCode = 1;
        } else if (bad?.status === 'cancelled') process.exitCode = 130;
      } finally {
        off();
        cancel.dispose();
      }
    });
}

/** Several hosts at once under a limit; each one's failure is its own. Reboot and containers are single-host only. */
async function fleetCommand(targets: string[], o: { reboot?: boolean; containers?: boolean; acceptNew?: boolean; iterations: number; concurrency: number; json?: boolean; identity?: string; port?: number }): Promise<void> {
  if (o.reboot || o.containers) throw new InvalidArgumentError('--reboot and --containers take one target at a time');
  if (o.identity || o.port) throw new InvalidArgumentError('--identity and --port take one target; for a fleet, set them per host in ~/.ssh/config');
  const lab = await openLab(false);
  const off = progressLines(lab);
  const results = await lab.hosts.fleet(targets, o.concurrency, { iterations: o.iterations, acceptNew: !!o.acceptNew }).finally(off);
  const runs = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (o.json) process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
  else {
    const rows = targets.map((t, i) => {
      const r = results[i];
      if (r.status === 'rejected') return [t, 'failed', '–', '–', printableLine((r.reason as Error).message.replace(`${t}: `, '')).slice(0, 80)];
      const run = r.value[0];
      return [t, run.status, ms(run.summary.connect?.median ?? NaN), ms(run.summary.exec?.median ?? NaN), printableLine(`${run.environment.host.os}, ${run.environment.host.cpus} CPUs`)];
    });
    const head = ['host', 'status', 'connect', 'exec', 'machine'];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    process.stdout.write([head, ...rows].map((r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n') + '\n');
  }
  if (results.some((r) => r.status === 'rejected')) process.exitCode = 1;
}

/** One line per step on stderr, so a slow host shows where it is. */
function progressLines(lab: Lab): () => void {
  let on = true;
  const offFn = lab.onEvent((e) => {
    if (!on || e.type !== 'host-progress') return;
    process.stderr.write(`isolab: ${e.host}: ${e.step}${e.message ? ` (${printableLine(e.message)})` : ''}\n`);
  });
  return () => {
    if (on) offFn();
    on = false;
  };
}

export async function askHostKey(info: { host: string; keyType: string; fingerprint: string }): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = await rl.question(
      `The authenticity of host ${info.host} can't be established.\n${printableLine(info.keyType)} key fingerprint is ${info.fingerprint}.\nAre you sure you want to continue connecting (yes/no)? `,
    );
    return /^y(es)?$/i.test(a.trim());
  } finally {
    rl.close();
  }
}

/** Reads a passphrase without echoing it. */
export async function askPassphrase(file: string): Promise<string | undefined> {
  let muted = false;
  const out = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  try {
    const q = rl.question(`Enter passphrase for key '${file}': `);
    muted = true;
    const a = await q;
    process.stderr.write('\n');
    return a || undefined;
  } finally {
    rl.close();
  }
}

const gib = (b?: number) => (b === undefined ? '–' : `${(b / 2 ** 30).toFixed(2)} GiB`);
const mib = (b?: number) => (b === undefined ? '–' : `${(b / 2 ** 20).toFixed(0)} MiB`);

/**
 * The host run as a reader wants it: what the machine is, how it booted, what it holds at idle, then latency.
 * Printable only: a run saved before isolab cleaned remote text must not drive the terminal either.
 */
/** Where the run is kept, or that it is not (the save failed: the error above says why). */
export function savedLine(id: string, saved: boolean): string {
  return saved
    ? `Saved as ${id}. See it again with \`isolab runs show ${id}\`.`
    : `Not saved (see the error above): these figures are all that is left of run ${id}; run again with --json to keep them in a file.`;
}

function formatHostRun(run: Run): string {
  return printable(hostRunLines(run));
}

function hostRunLines(run: Run): string {
  if (run.plan.suite === 'containers') return formatRun(run);
  const h = run.environment.host;
  const remote = (run.environment.remote ?? {}) as {
    resolved?: string;
    reached?: boolean;
    virtualization?: { detectVirt?: string; sysVendor?: string; productName?: string; azure?: { vmSize?: string; location?: string; error?: string } };
    boot?: { systemd?: Record<string, number>; blame?: { unit: string; ms: number }[]; notes?: string[]; waagentProvisionedAt?: string };
    reboot?: { rebootToSshMs: number; bootIdBefore: string; bootIdAfter: string };
  };
  const v = remote.virtualization ?? {};
  const lines = [`${run.model}  ${run.status}  ${run.id}`];
  if (remote.reached === false) {
    // The run failed before the host answered: its environment holds nothing of that machine (nor of this one).
    lines.push(`  host: ${remote.resolved ?? 'the host'} was not reached; nothing is known of the machine`);
  } else {
    if (remote.resolved) lines.push(`  reached: ${remote.resolved}`);
    lines.push(`  host: ${h.os}, kernel ${h.kernel}, ${h.arch}, ${h.cpus} CPUs${h.cpuModel ? ` (${h.cpuModel})` : ''}, ${gib(h.memoryBytes)} memory`);
    lines.push(`  virtualization: ${v.detectVirt ?? 'unknown'}${v.sysVendor || v.productName ? `; DMI: ${[v.sysVendor, v.productName].filter(Boolean).join(' ')}` : ''}`);
  }
  if (v.azure) lines.push(`  azure: ${v.azure.error ?? `${v.azure.vmSize ?? '?'} in ${v.azure.location ?? '?'}`}`);
  const sd = remote.boot?.systemd;
  if (sd) lines.push(`  boot: ${Object.entries(sd).map(([k, x]) => `${k} ${ms(x)}`).join(', ')}`);
  if (remote.boot?.blame?.length) lines.push(`  slowest units: ${remote.boot.blame.slice(0, 3).map((b) => `${b.unit} ${ms(b.ms)}`).join(', ')}`);
  if (remote.boot?.waagentProvisionedAt) lines.push(`  waagent provisioned: ${remote.boot.waagentProvisionedAt}`);
  if (remote.reboot) lines.push(`  reboot-to-SSH: ${ms(remote.reboot.rebootToSshMs)} (boot id ${remote.reboot.bootIdBefore.slice(0, 8)} -> ${remote.reboot.bootIdAfter.slice(0, 8)})`);
  const f = run.footprint as { memory?: { used?: number }; disk?: { used?: number }; os?: { processes?: number } } | undefined;
  if (f) lines.push(`  idle footprint: ${mib(f.memory?.used)} memory used, ${gib(f.disk?.used)} disk used, ${f.os?.processes ?? '–'} processes`);
  const body = formatRun(run).split('\n');
  const table = body.findIndex((l) => l.trimStart().startsWith('phase'));
  if (table >= 0) lines.push('', '  SSH latency (fresh connection each time):', ...body.slice(table));
  else if (run.error) lines.push(`  error: ${run.error}`);
  return lines.join('\n');
}
