import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../shared/api';
import { isJobRunning } from '../../shared/jobs';
import { Lab } from '../../electron/lab/lab';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir('isolab-jobs-int-');
afterAll(() => data.cleanup());

/** Waits until `test` holds for an event seen so far (or arriving later). */
function waitFor(events: LabEvent[], lab: Lab, test: (e: LabEvent) => boolean, what: string): Promise<LabEvent> {
  const seen = events.find(test);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no ${what} within 60 s`))), 60_000);
    const off = lab.onEvent((e) => {
      if (!test(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('the job manager under a real bench and a real compare', () => {
  it('lists both in info(), refuses to delete what they write, cancels each by id, and deletes once they ended', async () => {
    const lab = new Lab('cli', data.dir);
    const events: LabEvent[] = [];
    lab.onEvent((e) => events.push(e));
    // The process floor needs no engine: long enough to still run while the test looks at it.
    const { runId } = await lab.startBench({ target: 'process', iterations: 5000, warmup: 0 });
    const { comparisonId } = await lab.startCompare({ plan: { name: 'jobs', models: ['process'], startup: { iterations: 5000, warmup: 0 }, footprint: false } });

    await waitFor(events, lab, (e) => e.type === 'progress' && e.jobId === runId, "the bench's progress");
    const first = await waitFor(events, lab, (e) => e.type === 'progress' && e.jobId === comparisonId, "the comparison's progress");
    const startupRunId = (first as Extract<LabEvent, { type: 'progress' }>).runId;
    expect(first).toMatchObject({ kind: 'compare', role: 'subject', model: 'process' });
    expect(events.some((e) => e.type === 'compare-progress' && e.comparisonId === comparisonId && e.stage === 'startup')).toBe(true);

    const info = await lab.info();
    expect(info.activeJobs.map((j) => [j.id, j.kind])).toEqual([
      [runId, 'bench'],
      [comparisonId, 'compare'],
    ]);
    expect(info.activeJobs[0].model).toBe('process');
    expect(info.activeRuns).toEqual([runId]);

    // The run, the comparison and the comparison's startup run all exist on disk, and none may go.
    expect((await lab.getRun(runId)).status).toBe('partial');
    for (const attempt of [lab.deleteRun(runId), lab.deleteRun(startupRunId), lab.deleteComparison(comparisonId)]) {
      const err = await refusal(attempt);
      expect(isJobRunning(err), String(err)).toBe(true);
    }
    expect((await lab.getRun(startupRunId)).id).toBe(startupRunId);
    expect((await lab.getComparison(comparisonId)).status).toBe('partial');

    // cancelCompare stops only a comparison; each old name cancels its own job and waits for its cleanup.
    expect(await lab.cancelCompare(runId)).toBe(false);
    expect(await lab.cancelCompare(comparisonId)).toBe(true);
    expect(await lab.cancelRun(runId)).toBe(true);
    expect((await lab.info()).activeJobs).toEqual([]);
    expect((await lab.getRun(runId)).status).toBe('cancelled');
    expect((await lab.getComparison(comparisonId)).status).toBe('cancelled');
    expect(events.find((e) => e.type === 'compare-finished' && e.comparisonId === comparisonId)).toMatchObject({ status: 'cancelled' });

    expect(await lab.deleteRun(runId)).toBe(true);
    expect(await lab.deleteRun(startupRunId)).toBe(true);
    expect(await lab.deleteComparison(comparisonId)).toBe(true);
  });

  it('shuts down: every job is cancelled and cleaned up before shutdown() returns', async () => {
    const lab = new Lab('cli', data.dir);
    const { runId } = await lab.startBench({ target: 'process', iterations: 5000, warmup: 0 });
    const events: LabEvent[] = [];
    lab.onEvent((e) => events.push(e));
    await waitFor(events, lab, (e) => e.type === 'progress' && e.jobId === runId, "the bench's progress");
    await lab.shutdown();
    expect((await lab.info()).activeJobs).toEqual([]);
    expect((await lab.getRun(runId)).status).toBe('cancelled');
    await expect(lab.startBench({ target: 'process', iterations: 1, warmup: 0 })).rejects.toThrow(/shutting down/);
  });
});
