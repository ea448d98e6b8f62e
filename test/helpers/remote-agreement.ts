import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { medianInterval, type MedianInterval } from '../../shared/adaptive/median-ci';
import type { Comparison, ModelResult } from '../../shared/compare';

/** How a startup figure measured on a remote host compares with the same model measured here. */
export interface Agreement {
  verdict: 'agree' | 'differ' | 'inconclusive';
  local: [number, number];
  /** The remote interval with what SSH adds allowed for: from its low end less the allowance to its high end. */
  remote: [number, number];
  allowanceMs: number;
}

/**
 * The one judgment both verdicts make. The local interval spans the given local runs' 95% intervals of the median
 * (order statistics), widened both ways by a stated margin; SSH may have added up to `allowanceMs` to each remote
 * figure, so the remote interval reaches down by that much. They agree when the intervals overlap, differ when they
 * do not; when any interval is wider than half its median (a noisy machine) the answer is inconclusive.
 */
function judge(locals: MedianInterval[], far: MedianInterval, allowanceMs: number, marginMs: number): Agreement {
  const l: [number, number] = [Math.min(...locals.map((x) => x.lo ?? NaN)) - marginMs, Math.max(...locals.map((x) => x.hi ?? NaN)) + marginMs];
  const r: [number, number] = [(far.lo ?? NaN) - allowanceMs, far.hi ?? NaN];
  const wide = [...locals, far].some((x) => x.relativeHalfWidth === undefined || x.relativeHalfWidth > 0.5);
  if (wide || ![...l, ...r].every(Number.isFinite)) return { verdict: 'inconclusive', local: l, remote: r, allowanceMs };
  return { verdict: l[0] <= r[1] && r[0] <= l[1] ? 'agree' : 'differ', local: l, remote: r, allowanceMs };
}

/** Do two sets of time-to-ready samples agree once SSH is allowed for? (`judge`, one local run, no margin.) */
export function agreeAfterAllowance(local: readonly number[], remote: readonly number[], allowanceMs: number): Agreement {
  return judge([medianInterval(local)], medianInterval(remote), allowanceMs, 0);
}

/** An A-B-A verdict: the bracketed one, beside the two local runs' agreement and the pooled, strict one. */
export interface Bracketed extends Agreement {
  /** Whether the two local runs agree with each other: if not, the machine drifted too much to decide. */
  drift: Agreement['verdict'];
  /** The pooled local interval against the remote one, with no margin: printed, not asserted. */
  strict: Agreement['verdict'];
  marginMs: number;
}

/**
 * Local, remote, local again (A-B-A). The remote run sits between the two local ones in time, so on a machine
 * whose speed drifts (a shared CI machine), the local figure at that time lies anywhere between the two local
 * runs': the local interval is the envelope of their two 95% intervals, widened by a stated margin when the test
 * gives one. Inconclusive when the two local runs themselves differ (too much drift to decide) or an interval is
 * too wide. A bias beyond the machine's own drift still reads `differ`.
 */
export function agreeBracketed(before: readonly number[], later: readonly number[], remote: readonly number[], allowanceMs: number, marginMs = 0): Bracketed {
  const drift = agreeAfterAllowance(before, later, 0).verdict;
  const strict = agreeAfterAllowance([...before, ...later], remote, allowanceMs).verdict;
  const v = judge([medianInterval(before), medianInterval(later)], medianInterval(remote), allowanceMs, marginMs);
  return { ...v, verdict: drift === 'agree' ? v.verdict : 'inconclusive', drift, strict, marginMs };
}

/**
 * The stated equivalence margin of a figure timed by a timing shell on both sides (the floor, oci:*): 10% of the
 * local median. The shells run the same script on the same clock, but one is started by Node, the other by an sshd
 * session, and what ran in the launching process before the timed fork moves the figure. Measured with the two
 * interleaved start by start (floor, 150-300 starts each, quiet machine, 11 rounds): the sshd-started shell read
 * 4-17% lower (9% in the median round; 3.6-4.5 vs 3.8-5.0 ms); the local shell sourcing root's .bashrc (pyenv init) first closed the gap (4.09 vs
 * 4.15 ms), a fresh `env -i bash --norc` on both sides did not (4.18 vs 4.84 ms). Not the clock, not load drift.
 */
export function launcherMarginMs(local: readonly number[]): number {
  return 0.1 * (medianInterval(local).median ?? 0);
}

/** The comparison's result for a model (or the model with its accelerator: vm:qemu is vm:qemu-tcg), which must be ok. */
export function okModel(c: Comparison, model: string): ModelResult {
  const m = c.models.find((x) => x.model === model || x.model.startsWith(`${model}-`));
  expect(m?.status, `${model}: ${m?.error}`).toBe('ok');
  return m!;
}

/** isolab's owned dirs in /tmp (`isolab-oci-*`, `isolab-vm-*`) made by this test process (its pid in the owner file). */
export function ownedTmpDirs(prefix: string): string[] {
  return readdirSync('/tmp')
    .filter((n) => n.startsWith(prefix))
    .map((n) => path.join('/tmp', n))
    .filter((d) => spawnSync('grep', ['-qs', `"isolab.owner-pid":${process.pid}`, path.join(d, 'isolab-owner.json')]).status === 0);
}
