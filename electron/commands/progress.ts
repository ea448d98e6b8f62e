import { SingleBar } from 'cli-progress';
import type { LabEvent } from '../../shared/api';
import { iterationsDone, type JobKind } from '../../shared/jobs';
import type { Lab } from '../lab/lab';

type Progress = Extract<LabEvent, { type: 'progress' }>;

/** What the bar says of the model under way: the floor beside the model under test is named as such. */
function progressLabel(e: Pick<Progress, 'model' | 'role' | 'warmup'>): string {
  return `${e.model}${e.role === 'baseline' ? ' (baseline)' : ''}${e.warmup ? ' (warmup)' : ''}`;
}

/**
 * A progress bar on stderr for each run of the jobs of `kind` (a bench's one run, a comparison's startup run of
 * each model) when stderr is a terminal; nothing otherwise, so logs stay clean.
 */
export function progressBar(lab: Lab, kind: JobKind): { stop(): void } {
  if (!process.stderr.isTTY) return { stop() {} };
  const bar = new SingleBar({ stream: process.stderr, format: ' {bar} {value}/{total} {model} {phase}', hideCursor: true, clearOnComplete: true }, undefined);
  let started = false;
  const off = lab.onEvent((e: LabEvent) => {
    if (e.type === 'run-started' && (e.kind ?? 'bench') === kind) {
      bar.start(e.total, 0, { model: e.model, phase: 'preparing' });
      started = true;
    } else if (e.type === 'progress' && e.kind === kind && started) {
      bar.update(iterationsDone(e), { model: progressLabel(e), phase: e.phase });
    } else if (e.type === 'run-finished' && started && kind === 'compare') {
      // A comparison goes on with footprint and density lines: the bar leaves the terminal to them.
      bar.stop();
      started = false;
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
