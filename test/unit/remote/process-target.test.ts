import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clockMs, parseTiming, shellQuote, timingScript } from '../../../electron/lab/remote/process-target';
import { agreeAfterAllowance } from '../../helpers/remote-agreement';

describe('the remote floor timing shell', () => {
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
});

function hasBash(): boolean {
  try {
    return execFileSync('bash', ['-c', 'echo ${EPOCHREALTIME:+yes}'], { encoding: 'utf8' }).trim() === 'yes';
  } catch {
    return false;
  }
}
