import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { medianInterval } from '../../shared/adaptive/median-ci';
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
 * Do two sets of time-to-ready samples agree once SSH is allowed for? Each side's 95% interval of the median
 * (order statistics); SSH may have added up to `allowanceMs` to each remote figure, so the remote interval
 * reaches down by that much. They agree when the intervals overlap, differ when they do not; when either
 * interval is wider than `maxRelativeHalfWidth` of its median (a noisy machine) the answer is inconclusive.
 */
export function agreeAfterAllowance(local: readonly number[], remote: readonly number[], allowanceMs: number, maxRelativeHalfWidth = 0.5, marginMs = 0): Agreement {
  const a = medianInterval(local);
  const b = medianInterval(remote);
  // An equivalence margin (when a test states one) widens the local interval both ways.
  const l: [number, number] = [(a.lo ?? NaN) - marginMs, (a.hi ?? NaN) + marginMs];
  const r: [number, number] = [(b.lo ?? NaN) - allowanceMs, b.hi ?? NaN];
  const wide = [a, b].some((x) => x.relativeHalfWidth === undefined || x.relativeHalfWidth > maxRelativeHalfWidth);
  if (wide || ![...l, ...r].every(Number.isFinite)) return { verdict: 'inconclusive', local: l, remote: r, allowanceMs };
  return { verdict: l[0] <= r[1] && r[0] <= l[1] ? 'agree' : 'differ', local: l, remote: r, allowanceMs };
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
