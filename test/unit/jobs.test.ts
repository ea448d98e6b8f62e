import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/datadir';
import { JobManager, JobRunningError, ShuttingDownError, type JobContext } from '../../electron/lab/jobs/manager';
import { iterationsDone, isJobRunning, JOB_RUNNING, JobKind } from '../../shared/jobs';
import { LabEvent, LabInfo } from '../../shared/api';
import { Lab } from '../../electron/lab/lab';
import { runBench } from '../../electron/lab/runner';
import { RunStore } from '../../electron/lab/store';
import { CancelledError, type Target } from '../../electron/lab/targets/target';

const data = tempDataDir('isolab-jobs-');
afterAll(() => data.cleanup());

/** A job that runs until it is cancelled, then takes a moment to clean up (as a real one removes containers). */
function untilCancelled(log: string[]) {
  return async (job: JobContext) => {
    if (!job.signal.aborted) await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve(), { once: true }));
    await new Promise((r) => setTimeout(r, 20));
    log.push(`cleaned ${job.id}`);
    throw new CancelledError();
  };
}

describe('JobManager', () => {
  it('registers a job with its id, kind, start time and model, and forgets it when it settles', async () => {
    const jobs = new JobManager();
    let finish!: (v: string) => void;
    const { id, done } = jobs.start({ id: 'run-1', kind: 'bench', model: 'process' }, () => new Promise<string>((r) => (finish = r)));
    expect(id).toBe('run-1');
    expect(jobs.list()).toEqual([{ id: 'run-1', kind: 'bench', model: 'process', startedAt: expect.any(String) }]);
    expect(Date.parse(jobs.list()[0].startedAt)).not.toBeNaN();
    finish('ok');
    expect(await done).toBe('ok');
    expect(jobs.list()).toEqual([]);
    // A job that fails leaves the list too, and its caller sees the error.
    const failing = jobs.start({ id: 'run-2', kind: 'compare' }, async () => {
      throw new Error('boom');
    });
    await expect(failing.done).rejects.toThrow('boom');
    expect(jobs.list()).toEqual([]);
  });

  it('refuses a second job with the same id', () => {
    const jobs = new JobManager();
    jobs.start({ id: 'same', kind: 'bench' }, untilCancelled([]));
    expect(() => jobs.start({ id: 'same', kind: 'race' }, untilCancelled([]))).toThrow(/already under way/);
    void jobs.shutdown();
  });

  it('cancels a job of every kind by its id, and waits for its cleanup', async () => {
    const jobs = new JobManager();
    const log: string[] = [];
    const started = JobKind.options.map((kind) => jobs.start({ id: `job-${kind}`, kind }, untilCancelled(log)));
    expect(jobs.list().map((j) => j.kind)).toEqual(JobKind.options);
    for (const kind of JobKind.options) {
      expect(await jobs.cancel(`job-${kind}`)).toBe(true);
      // Cleaned up before cancel() returned.
      expect(log).toContain(`cleaned job-${kind}`);
      expect(jobs.get(`job-${kind}`)).toBeUndefined();
    }
    await Promise.allSettled(started.map((s) => s.done));
    expect(await jobs.cancel('job-bench')).toBe(false);
    expect(await jobs.cancel('no-such-job')).toBe(false);
  });

  it('cancels by id only a job of the kind asked for (cancelCompare does not stop a race)', async () => {
    const jobs = new JobManager();
    jobs.start({ id: 'race-1', kind: 'race' }, untilCancelled([]));
    expect(await jobs.cancel('race-1', 'compare')).toBe(false);
    expect(jobs.get('race-1')).toBeDefined();
    expect(await jobs.cancel('race-1', 'race')).toBe(true);
  });

  it("cancels a job when the caller's own signal aborts (the CLI's Ctrl+C)", async () => {
    const jobs = new JobManager();
    const caller = new AbortController();
    const log: string[] = [];
    const { done } = jobs.start({ id: 'cli-run', kind: 'bench', signal: caller.signal }, untilCancelled(log));
    caller.abort();
    await expect(done).rejects.toBeInstanceOf(CancelledError);
    expect(log).toEqual(['cleaned cli-run']);
    expect(jobs.list()).toEqual([]);
  });

  it('refuses to let a document go while the job writing it runs, with a code faces recognise', async () => {
    const jobs = new JobManager();
    let claim!: (id: string) => void;
    jobs.start({ id: 'cmp-1', kind: 'compare' }, (job) => {
      claim = job.claim;
      return untilCancelled([])(job);
    });
    claim('run-of-cmp-1');
    for (const doc of ['cmp-1', 'run-of-cmp-1']) {
      let err: unknown;
      try {
        jobs.assertIdle(doc);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(JobRunningError);
      expect((err as JobRunningError).code).toBe(JOB_RUNNING);
      expect(isJobRunning(err)).toBe(true);
      // What crosses IPC or the WebSocket is the text: still recognised.
      expect(isJobRunning((err as Error).message)).toBe(true);
      expect(isJobRunning(new Error(`Error invoking remote method 'isolab:deleteRun': Error: ${(err as Error).message}`))).toBe(true);
    }
    expect(() => jobs.assertIdle('someone-else')).not.toThrow();
    expect(isJobRunning(new Error('ENOENT: no such run'))).toBe(false);
    await jobs.cancel('cmp-1');
    expect(() => jobs.assertIdle('cmp-1')).not.toThrow();
    expect(() => jobs.assertIdle('run-of-cmp-1')).not.toThrow();
  });

  it('shuts down: cancels every job, waits for each cleanup, and starts no new one', async () => {
    const jobs = new JobManager();
    const log: string[] = [];
    jobs.start({ id: 'a', kind: 'bench' }, untilCancelled(log));
    jobs.start({ id: 'b', kind: 'fleet' }, untilCancelled(log));
    jobs.start({ id: 'c', kind: 'density-demo' }, untilCancelled(log));
    await jobs.shutdown();
    expect(log.sort()).toEqual(['cleaned a', 'cleaned b', 'cleaned c']);
    expect(jobs.list()).toEqual([]);
    expect(() => jobs.start({ id: 'd', kind: 'bench' }, untilCancelled(log))).toThrow(ShuttingDownError);
  });
});

describe('Lab and its jobs', () => {
  it('lists every job in info().activeJobs, keeps activeRuns to benchmarks, and cancels any kind by id', async () => {
    const lab = new Lab('cli', data.dir);
    const log: string[] = [];
    lab.jobs.start({ id: 'bench-x', kind: 'bench', model: 'process' }, untilCancelled(log));
    lab.jobs.start({ id: 'fleet-x', kind: 'fleet' }, untilCancelled(log));
    lab.jobs.start({ id: 'cmp-x', kind: 'compare' }, untilCancelled(log));
    const info = LabInfo.parse(await lab.info());
    expect(info.activeJobs.map((j) => [j.id, j.kind])).toEqual([['bench-x', 'bench'], ['fleet-x', 'fleet'], ['cmp-x', 'compare']]);
    expect(info.activeRuns).toEqual(['bench-x']);
    expect(await lab.cancelCompare('fleet-x')).toBe(false);
    expect(await lab.cancelJob('fleet-x')).toBe(true);
    expect(await lab.cancelCompare('cmp-x')).toBe(true);
    expect(await lab.cancelRun('bench-x')).toBe(true);
    expect(log.sort()).toEqual(['cleaned bench-x', 'cleaned cmp-x', 'cleaned fleet-x']);
    expect((await lab.info()).activeJobs).toEqual([]);
  });

  it('refuses deleteRun and deleteComparison while their job runs, and deletes once it ended', async () => {
    const lab = new Lab('cli', data.dir);
    const run = await runBench({ runId: 'done-run', kind: 'bench:fake', plan: {}, target: fakeTarget(), iterations: 1, warmup: 0, store: lab.store, signal: new AbortController().signal });
    expect(run.status).toBe('complete');
    lab.jobs.start({ id: 'done-run', kind: 'bench' }, untilCancelled([]));
    await expect(lab.deleteRun('done-run')).rejects.toThrow(new RegExp(`^${JOB_RUNNING}:`));
    await expect(lab.deleteComparison('done-run')).rejects.toThrow(JobRunningError);
    expect((await lab.getRun('done-run')).id).toBe('done-run');
    await lab.cancelJob('done-run');
    expect(await lab.deleteRun('done-run')).toBe(true);
  });
});

/** A target whose two phases end 1 ms and 2 ms after the zero point; `spawn` is reported, `reap` is not. */
function fakeTarget(model = 'fake'): Target {
  return {
    model,
    phases: ['spawn', 'reap'],
    prepare: async () => {},
    environment: async () => ({}),
    iterate: async (ctx) => {
      ctx.onPhase('spawn');
      return { spawn: 1, reap: 2 };
    },
    dispose: async () => {},
  };
}

describe('typed progress', () => {
  it("names the job, the role of each side and the event that ends each side's iteration", async () => {
    const events: LabEvent[] = [];
    await runBench({
      runId: 'typed-run',
      kind: 'bench:fake',
      job: { id: 'cmp-typed', kind: 'compare' },
      plan: {},
      target: fakeTarget('subject-model'),
      baseline: fakeTarget('floor-model'),
      iterations: 2,
      warmup: 1,
      store: new RunStore(`${data.dir}/typed-runs`),
      signal: new AbortController().signal,
      onEvent: (e) => events.push(LabEvent.parse(e)),
    });
    const progress = events.filter((e) => e.type === 'progress');
    for (const p of progress) expect(p).toMatchObject({ runId: 'typed-run', jobId: 'cmp-typed', kind: 'compare', total: 3 });
    expect(progress.map((p) => [p.iteration, p.role, p.model, p.phase, p.iterationDone, p.warmup])).toEqual([
      [1, 'baseline', 'floor-model', 'spawn', false, true],
      [1, 'baseline', 'floor-model', 'reap', true, true],
      [1, 'subject', 'subject-model', 'spawn', false, true],
      [1, 'subject', 'subject-model', 'reap', true, true],
      [2, 'baseline', 'floor-model', 'spawn', false, false],
      [2, 'baseline', 'floor-model', 'reap', true, false],
      [2, 'subject', 'subject-model', 'spawn', false, false],
      [2, 'subject', 'subject-model', 'reap', true, false],
      [3, 'baseline', 'floor-model', 'spawn', false, false],
      [3, 'baseline', 'floor-model', 'reap', true, false],
      [3, 'subject', 'subject-model', 'spawn', false, false],
      [3, 'subject', 'subject-model', 'reap', true, false],
    ]);
    // What a progress bar shows: an iteration counts only once the model under test ended it.
    expect(progress.map(iterationsDone)).toEqual([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3]);
    expect(events[0]).toMatchObject({ type: 'run-started', jobId: 'cmp-typed', kind: 'compare' });
  });
});
