import { Command } from 'commander';
import type { PhaseSummary } from '../../shared/run';
import type { Ratio } from '../../shared/compare';
import { SwarmNeedsConsentError, TASK_STAGES, type SwarmDoc, type SwarmProgress } from '../../shared/swarm';
import { printable } from '../../shared/printable';
import { cancelOnSignal } from './cancel-on-signal';
import { openLab } from './open-lab';
import { int } from './options';
import { NotSavedError } from '../lab/json-store';
import { SwarmStore } from '../lab/swarm';
import { startSwarmJob } from '../lab/swarm/job';
import { duration } from '../../shared/units';
import { cliNote } from '../note-text';

/**
 * `isolab bench swarm`: a Docker Swarm service on the local engine (create N tasks, scale out to M, remove)
 * against N bare container starts on the same engine, round by round. An engine in no swarm gets one only with
 * --create-swarm, and is left as it was found.
 */
export function benchSwarmCommand(): Command {
  return new Command('swarm')
    .description('An orchestrated model: a Docker Swarm service on the local engine (N tasks, scaled out to M, removed), against N bare container starts on the same engine')
    .option('--replicas <n>', 'tasks the service is created with (N)', int('--replicas', 1), 3)
    .option('--scale-to <m>', 'tasks it is then scaled out to (M, more than N)', int('--scale-to', 2), 13)
    .option('--no-scale', 'skip the scale-out')
    .option('--rounds <n>', 'timed rounds (service and bare containers, in alternating order)', int('--rounds', 1), 3)
    .option('--warmup <n>', 'untimed rounds first', int('--warmup', 0), 1)
    .option('--no-bare', 'skip the N bare containers (the comparison)')
    .option('--create-swarm', 'when the engine is in no swarm: create a single-node swarm on 127.0.0.1 for this run, and leave it at the end (your consent)')
    .option('--poll-ms <ms>', 'pause between two task polls', int('--poll-ms', 5), 20)
    .option('--timeout <s>', 'longest wait for one phase, in seconds', int('--timeout', 1), 180)
    .option('--json', 'print the Swarm document on stdout (progress stays on stderr)')
    .action(async (o) => {
      const lab = await openLab();
      const conn = await lab.docker();
      const store = new SwarmStore(lab.root);
      const cancel = cancelOnSignal('cancelling: removing what this run created...');
      let notSaved: NotSavedError<SwarmDoc> | undefined;
      try {
        // A job like any other (electron/lab/swarm/job.ts, as the UI's startSwarm): info() lists it, and the Lab's shutdown cancels it.
        const job = await startSwarmJob({
          jobs: lab.jobs,
          docker: conn.docker,
          endpoint: conn.endpoint,
          store,
          request: {
            replicas: o.replicas,
            scaleTo: o.scale ? o.scaleTo : undefined,
            rounds: o.rounds,
            warmup: o.warmup,
            bare: o.bare,
            createSwarm: !!o.createSwarm,
            pollMs: o.pollMs,
            timeoutMs: o.timeout * 1000,
          },
          signal: cancel.signal,
          onProgress: progressLines(),
          log: (line) => process.stderr.write(`isolab: ${printable(line)}\n`),
        });
        const doc = await job.done.catch((err) => {
          if (!(err instanceof NotSavedError)) throw err;
          notSaved = err as NotSavedError<SwarmDoc>;
          return notSaved.doc;
        });
        if (o.json) process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
        else {
          process.stdout.write(formatSwarm(doc) + '\n');
          if (!notSaved) process.stdout.write(`\nSaved as ${doc.id} in ${store.dir}.\n`);
          else if (!notSaved.fallback) process.stdout.write(`\n${JSON.stringify(doc, null, 2)}\n`);
        }
        if (notSaved) {
          process.stderr.write(`isolab: ${notSaved.message}\n`);
          process.exitCode = 1;
        }
        if (doc.status === 'failed') {
          process.stderr.write(`isolab: the swarm run failed: ${printable(doc.error ?? '')}\n`);
          process.exitCode = 1;
        } else if (doc.status === 'cancelled') process.exitCode = 130;
        if (doc.swarm?.created && !doc.swarm.restored) {
          process.stderr.write('isolab: the engine was NOT left as found: check `docker info` (Swarm) and `docker network ls` (docker_gwbridge, ingress).\n');
          process.exitCode = process.exitCode || 1;
        }
      } catch (err) {
        if (!(err instanceof SwarmNeedsConsentError)) throw err;
        process.stderr.write(consentText(conn.endpoint) + '\n');
        process.exitCode = 1;
      } finally {
        cancel.dispose();
      }
    });
}

export function consentText(endpoint: string): string {
  return [
    `isolab: the Docker engine (${endpoint}) is in no swarm, and isolab changes the engine's state only with your consent.`,
    'With --create-swarm it creates a single-node swarm for this run (listening and advertised on 127.0.0.1 only, with a',
    'docker_gwbridge bridge labelled isolab), runs its labelled service there, then leaves the swarm and removes the bridge.',
    'Run the same command again with --create-swarm to agree.',
  ].join('\n');
}

/** One stderr line each time the run moves to another step (not on every poll). */
function progressLines(): (id: string, p: SwarmProgress) => void {
  let last = '';
  return (_id, p) => {
    const where = p.round ? `round ${p.round}/${p.rounds}${p.warmup ? ' (warmup)' : ''}: ` : '';
    const what: Record<SwarmProgress['step'], string> = {
      prepare: 'preparing (probe image, leftovers of earlier runs)',
      'swarm-init': 'checking the swarm',
      bare: `starting ${p.wanted} bare containers`,
      create: `creating the service (${p.wanted} tasks)`,
      scale: `scaling out to ${p.wanted} tasks`,
      cleanup: 'removing the service',
      'bare-cleanup': 'removing the bare containers',
      'swarm-leave': 'leaving the engine as found',
      done: '',
    };
    const line = where + what[p.step];
    if (!what[p.step] || line === last) return;
    last = line;
    process.stderr.write(`isolab: ${line}\n`);
  };
}

const s = duration;

function row(label: string, p: PhaseSummary | undefined, clock: 'isolab' | 'engine'): string {
  if (!p || !p.n) return `  ${label.padEnd(52)} –`;
  return `  ${label.padEnd(52)} ${s(p.median).padStart(9)}  [${s(p.ci95[0])}, ${s(p.ci95[1])}]  n=${p.n}  (${clock} clock)`;
}

function ratio(label: string, r: Ratio | undefined, clock: string): string {
  if (!r) return '';
  return `  ${label.padEnd(52)} ×${r.ratio.toFixed(2).padStart(6)}  [${r.ci95[0].toFixed(2)}, ${r.ci95[1].toFixed(2)}]  (${clock})`;
}

/** The Swarm document as the CLI prints it: medians with 95% intervals, each figure naming its clock. */
export function formatSwarm(doc: SwarmDoc): string {
  const r = doc.request as { replicas?: number; scaleTo?: number; rounds?: number; warmup?: number };
  const n = r.replicas ?? 0;
  const lines = [
    `Swarm service on ${doc.environment.engine?.endpoint ?? 'the engine'} (docker ${doc.environment.engine?.version ?? '?'}), network ${doc.network}, image ${doc.image?.ref ?? '?'}`,
    `status ${doc.status}; ${r.rounds} timed round(s)${r.warmup ? ` after ${r.warmup} warmup` : ''}; N=${n}${r.scaleTo ? ` → M=${r.scaleTo}` : ''}`,
  ];
  const sum = doc.summary;
  if (sum) {
    lines.push('', 'median, [95% CI], samples, clock');
    lines.push(row(`service create → all ${n} tasks running`, sum.service.allRunning, 'isolab'));
    lines.push(row('  service created → last task running', sum.service.allRunningEngine, 'engine'));
    lines.push(row('task created → running (each task)', sum.service.taskCreateToRunning, 'engine'));
    for (const stage of TASK_STAGES) lines.push(row(`  ${stage.name} (${stage.from} → ${stage.to})`, sum.service.stages[stage.name], 'engine'));
    if (sum.scale) {
      lines.push(row(`scale ${n} → ${r.scaleTo}: all running`, sum.scale.allRunning, 'isolab'));
      lines.push(row('  first new task created → last running', sum.scale.allRunningEngine, 'engine'));
      lines.push(row('  new task created → running (each task)', sum.scale.taskCreateToRunning, 'engine'));
    }
    lines.push(row('service rm → its containers gone', sum.cleanup, 'isolab'));
    lines.push(row('  service rm → none running (stopped, not yet removed)', sum.cleanupStopped, 'isolab'));
    if (sum.bare) {
      lines.push(row(`${n} bare containers: requests → all started`, sum.bare.allRunning, 'isolab'));
      lines.push(row('  container created → started (each)', sum.bare.createdToStarted, 'engine'));
      lines.push(row('  rm -f → all gone', sum.bare.cleanup, 'isolab'));
    }
    if (sum.ratios) {
      lines.push('', 'what the orchestrator adds (service / bare containers, ratio of medians [95% CI]):');
      lines.push(ratio(`all ${n} running`, sum.ratios.allRunning, 'isolab clock, per round'));
      lines.push(ratio('one instance: created → running', sum.ratios.perInstance, 'engine clock, per task / per container'));
      lines.push(ratio('cleanup', sum.ratios.cleanup, 'isolab clock, per round'));
    }
  }
  const notes = doc.notes.map(cliNote).filter(Boolean);
  if (notes.length) lines.push('', ...notes.map((t) => `- ${t}`));
  if (doc.error) lines.push('', `error: ${printable(doc.error)}`);
  return lines.join('\n');
}

