import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clockMs, localShellExec, localTimingShell, parseTiming, probeShellTiming, shellQuote, timingScript, type ShellExec } from '../../electron/lab/shell-timing';
import { localFloorClock, localFloorTarget, timingShellHere } from '../../electron/lab/models/process/floor';
import { ShellProcessTarget } from '../../electron/lab/targets/shell-process';
import { findStaticBusybox } from '../../electron/lab/images/busybox';
import { resolveWorkload } from '../../shared/plan';
import { agreeAfterAllowance, agreeBracketed } from '../helpers/remote-agreement';

describe("the floor's timing shell (this machine and remote hosts)", () => {
  it('quotes every word, so a plan argument never becomes shell syntax', () => {
    expect(shellQuote("it's; rm -rf /")).toBe(`'it'\\''s; rm -rf /'`);
    const word = "a'b $(echo no); x";
    expect(execFileSync('/bin/sh', ['-c', 'printf %s ' + shellQuote(word)], { encoding: 'utf8' })).toBe(word);
  });

  it('reads both clocks to the microsecond without losing precision to floats', () => {
    expect(clockMs('1764540000123456789', 'date') - clockMs('1764540000120000000', 'date')).toBeCloseTo(3.456789, 5);
    expect(clockMs('1764540000,123456', 'epochrealtime') - clockMs('1764540000.120000', 'epochrealtime')).toBeCloseTo(3.456, 3);
    expect(() => clockMs('1764540000%N', 'date')).toThrow(/nanoseconds/);
  });

  it('takes the measured shell cost off each interval, never below zero', () => {
    const exit = parseTiming('noise\nisolab-t 1000000000000000000 1000000000002500000 0\n', 'date', 0.5);
    expect(exit.marks.ready).toBeCloseTo(2, 6);
    expect(exit.marks.reap).toBe(exit.marks.ready);
    const running = parseTiming('isolab-t 1000000000000000000 1000000000001000000 0 1000000000004000000', 'date', 0.5);
    expect(running.marks).toMatchObject({ ready: 0.5, reap: 3 });
    expect(parseTiming('isolab-t 1000000000000000000 1000000000000100000 0', 'date', 0.5).marks.ready).toBe(0);
    expect(() => parseTiming('sh: busybox: not found', 'date', 0)).toThrow(/no timing line: sh: busybox/);
  });

  it('runs under a POSIX sh with either clock: the exit code comes back, a running program is killed and reaped', () => {
    for (const clock of ['date', ...(hasBash() ? ['epochrealtime' as const] : [])] as const) {
      const sh = clock === 'date' ? '/bin/sh' : 'bash';
      const run = (argv: string[], readiness: 'exit' | 'running') => parseTiming(execFileSync(sh, ['-c', timingScript({ busybox: '/usr/bin/env', argv, readiness, clock })], { encoding: 'utf8' }), clock, 0);
      expect(run(['true'], 'exit').rc, clock).toBe(0);
      expect(run(['false'], 'exit').rc, clock).toBe(1);
      const r = run(['sleep', '30'], 'running');
      expect(r.marks.reap, clock).toBeLessThan(5_000);
      expect(r.marks.reap, clock).toBeGreaterThanOrEqual(r.marks.ready);
    }
  });
});

describe('the shell timing probe over any exec', () => {
  /** An exec that answers like a shell without $EPOCHREALTIME: each pair of date readings 0.8 ms apart, one 5 ms. */
  function dateShell(gaps: number[], date = '1764540000000000000'): { exec: ShellExec; scripts: string[] } {
    const scripts: string[] = [];
    let i = 0;
    const exec: ShellExec = async (script) => {
      scripts.push(script);
      if (script.startsWith('echo "${EPOCHREALTIME')) return { stdout: `none\n${date}\n`, stderr: '', code: 0, ms: 3 };
      if (script === 'true') return { stdout: '', stderr: '', code: 0, ms: 2 };
      const t1 = BigInt(date) + BigInt(Math.round(gaps[i++ % gaps.length] * 1e6));
      return { stdout: `isolab-t ${date} ${t1} 0\n`, stderr: '', code: 0, ms: 4 };
    };
    return { exec, scripts };
  }

  it('falls back to the date clock, takes the median of back-to-back readings as its cost, and times an idle exec', async () => {
    const { exec, scripts } = dateShell([0.8, 0.8, 5, 0.7, 0.9, 0.8, 0.8]);
    const t = await probeShellTiming(exec);
    expect(t).toMatchObject({ clock: 'date', execRoundTripMs: 2 });
    expect(t.overheadMs).toBeCloseTo(0.8, 3);
    // The readings are the very expression the timing script uses.
    expect(scripts.filter((x) => x.includes('isolab-t')).every((x) => x.startsWith('t0=$(date +%s%N); t1=$(date +%s%N)'))).toBe(true);
  });

  it('refuses a date without nanoseconds, naming where', async () => {
    const { exec } = dateShell([1], '1764540000%N');
    await expect(probeShellTiming(exec, 'this machine')).rejects.toThrow(/this machine's date cannot give nanoseconds/);
  });

  it('runs a local shell in its own group: a cancel kills it and what it started', async () => {
    const exec = localShellExec('/bin/sh');
    const ac = new AbortController();
    const t0 = performance.now();
    const r = exec('sleep 30 & wait', { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect((await r).code).toBeNull();
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect((await exec('echo "$ISOLAB_X"', {})).stdout).toBe('\n');
    expect((await localShellExec('/bin/sh', { ISOLAB_X: 'y' })('echo "$ISOLAB_X"')).stdout).toBe('y\n');
    await expect(localShellExec('/nonexistent/sh')('true')).rejects.toThrow(/could not start \/nonexistent\/sh/);
  });
});

describe("this machine's floor in a comparison", () => {
  const signal = new AbortController().signal;

  it('is timed by the timing shell for exit and running workloads, one at a time: clock local-shell, its note', async () => {
    if (!(await findStaticBusybox()).path) return;
    const shell = await localTimingShell();
    for (const kind of ['true', 'sleep'] as const) {
      const t = localFloorTarget(resolveWorkload({ kind, timeoutMs: 30_000 }), 1);
      expect(t).toBeInstanceOf(ShellProcessTarget);
      await t.prepare(signal);
      const marks = await t.iterate({ iteration: 0, warmup: false, signal, onPhase: () => {} });
      expect(marks.ready, kind).toBeGreaterThan(0);
      expect(marks.reap, kind).toBeGreaterThanOrEqual(marks.ready);
      expect(marks.ready, kind).toBeLessThan(5_000);
      const clock = localFloorClock(t);
      expect(clock).toMatchObject({ clock: 'local-shell', shell: shell === 'bash' ? 'epochrealtime' : 'date', sshAllowanceMs: 0 });
      expect(clock!.roundTripMs).toBeGreaterThan(0);
      expect(t.notes!().map((n) => n.code)).toEqual(['local-shell-clock']);
      await t.dispose();
    }
  });

  it('a program that fails is an error, not a figure', async () => {
    if (!(await findStaticBusybox()).path) return;
    const t = localFloorTarget(resolveWorkload({ kind: 'custom', command: ['false'], readiness: { kind: 'exit' }, timeoutMs: 30_000 }), 1);
    await t.prepare(signal);
    await expect(t.iterate({ iteration: 0, warmup: false, signal, onPhase: () => {} })).rejects.toThrow(/false exited with 1/);
  });

  it("keeps isolab's own spawn where the shell cannot see ready (a log line, TCP, k at a time), and says so", () => {
    const log = localFloorTarget(resolveWorkload({ kind: 'ready-line', timeoutMs: 30_000 }), 1);
    expect(log).not.toBeInstanceOf(ShellProcessTarget);
    expect(localFloorClock(log)).toBeUndefined();
    expect(log.notes!()).toContainEqual(expect.objectContaining({ code: 'process-spawn-clock', params: { readiness: 'log', concurrency: 1 } }));
    expect(localFloorTarget(resolveWorkload({ kind: 'server', timeoutMs: 30_000 }), 1)).not.toBeInstanceOf(ShellProcessTarget);
    const k = localFloorTarget(resolveWorkload({ kind: 'true', timeoutMs: 30_000 }), 3);
    expect(k).not.toBeInstanceOf(ShellProcessTarget);
    expect(k.notes!().map((n) => n.code)).toEqual(['concurrent-instances', 'process-spawn-clock']);
  });

  it('keeps isolab\'s own spawn when this machine has no shell that reads a fine clock, and says why', async () => {
    const t = localFloorTarget(resolveWorkload({ kind: 'true', timeoutMs: 30_000 }), 1, { reason: 'no bash with $EPOCHREALTIME' });
    expect(t).not.toBeInstanceOf(ShellProcessTarget);
    expect(localFloorClock(t)).toBeUndefined();
    expect(t.notes!()).toContainEqual(expect.objectContaining({ code: 'process-no-timing-shell', params: { reason: 'no bash with $EPOCHREALTIME' } }));
    // This machine has one (bash here, or a date with nanoseconds).
    expect(await timingShellHere()).toHaveProperty('shell');
  });
});

describe('agreement of a remote and a local startup figure', () => {
  const around = (m: number) => Array.from({ length: 21 }, (_, i) => m + (i - 10) * 0.1);
  it('agrees when the remote interval, allowed down by what SSH adds, meets the local one', () => {
    expect(agreeAfterAllowance(around(10), around(13), 0).verdict).toBe('differ');
    expect(agreeAfterAllowance(around(10), around(13), 2.5).verdict).toBe('agree');
    expect(agreeAfterAllowance(around(10), around(10.2), 0).verdict).toBe('agree');
  });
  it('is inconclusive when either side is too noisy to decide', () => {
    expect(agreeAfterAllowance([1, 50, 3, 90, 2, 70, 4], around(13), 0).verdict).toBe('inconclusive');
  });
  it('A-B-A: judges the remote run against the span of the two local runs around it, not their pooled interval', () => {
    // The machine drifted from 10 to 10.6 between the local runs: a remote 11.2 lies within that drift's reach.
    const v = agreeBracketed(around(10), around(10.6), around(11.2), 0);
    expect(v).toMatchObject({ drift: 'agree', strict: 'differ', verdict: 'agree' });
    // A bias beyond the drift still differs; a margin is stated by the caller, never assumed.
    expect(agreeBracketed(around(10), around(10.6), around(12.5), 0).verdict).toBe('differ');
    expect(agreeBracketed(around(10), around(10.6), around(12.5), 1.2).verdict).toBe('agree');
    expect(agreeBracketed(around(10), around(10.6), around(12.5), 0, 1.2).verdict).toBe('agree');
    // Local runs that differ from each other leave nothing to decide.
    expect(agreeBracketed(around(10), around(14), around(12), 0).verdict).toBe('inconclusive');
  });
});

function hasBash(): boolean {
  try {
    return execFileSync('bash', ['-c', 'echo ${EPOCHREALTIME:+yes}'], { encoding: 'utf8' }).trim() === 'yes';
  } catch {
    return false;
  }
}
