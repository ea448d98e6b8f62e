import { medianInterval } from '../../shared/adaptive/median-ci';

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
export function agreeAfterAllowance(local: readonly number[], remote: readonly number[], allowanceMs: number, maxRelativeHalfWidth = 0.5): Agreement {
  const a = medianInterval(local);
  const b = medianInterval(remote);
  const l: [number, number] = [a.lo ?? NaN, a.hi ?? NaN];
  const r: [number, number] = [(b.lo ?? NaN) - allowanceMs, b.hi ?? NaN];
  const wide = [a, b].some((x) => x.relativeHalfWidth === undefined || x.relativeHalfWidth > maxRelativeHalfWidth);
  if (wide || ![...l, ...r].every(Number.isFinite)) return { verdict: 'inconclusive', local: l, remote: r, allowanceMs };
  return { verdict: l[0] <= r[1] && r[0] <= l[1] ? 'agree' : 'differ', local: l, remote: r, allowanceMs };
}
