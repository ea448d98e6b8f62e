import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Lab } from '../../electron/lab/lab';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

/** Host processes started by this test's Lab (the floor's marker names this process as owner) running `argv`. */
function ours(argv: string[]): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (!env.includes(`ISOLAB_OWNER_PID=${process.pid}`)) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // busybox runs applets as `busybox sleep 45` or, once sh forks them, as `sleep 45`.
      if (cmd.join(' ').endsWith(argv.join(' '))) found.push(Number(name));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

describe('cancelling the process floor', () => {
  it('ends the whole process group at once, children included, instead of waiting for their pipes', async () => {
    const lab = new Lab('cli', data.dir);
    // The program leaves a child that lives 45 s and holds stdout open.
    const { runId } = await lab.startBench({
      target: 'process',
      iterations: 50,
      warmup: 0,
      trustPlan: true,
      workload: { kind: 'custom', command: ['sh', '-c', 'sleep 45 & echo ready; sleep 600'], readiness: { kind: 'log', pattern: '^ready$' } },
    });
    const deadline = Date.now() + 20_000;
    while (ours(['sleep', '45']).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ours(['sleep', '45']).length, 'the workload never started its child').toBeGreaterThan(0);

    const t0 = Date.now();
    expect(await lab.cancelRun(runId)).toBe(true);
    const took = Date.now() - t0;
    // A bound that proves the group was killed (the child alone would hold the pipes for 45 s), not a benchmark.
    expect(took).toBeLessThan(10_000);
    expect(ours(['sleep', '45'])).toEqual([]);
    expect(ours(['sleep', '600'])).toEqual([]);
    expect((await lab.getRun(runId)).status).toBe('cancelled');
  }, 90_000);

  it('removes what an instance left behind after its program exited (readiness "exit")', async () => {
    const lab = new Lab('cli', data.dir);
    const run = await lab.bench({
      target: 'process',
      iterations: 2,
      warmup: 0,
      trustPlan: true,
      workload: { kind: 'custom', command: ['sh', '-c', 'sleep 45 & exit 0'], readiness: { kind: 'exit' } },
    });
    expect(run.status, run.error).toBe('complete');
    // Each iteration waited for the program's exit, not for its child's pipes: far less than 45 s each.
    expect(run.summary.total.max).toBeLessThan(10_000);
    expect(ours(['sleep', '45'])).toEqual([]);
  }, 120_000);
});
