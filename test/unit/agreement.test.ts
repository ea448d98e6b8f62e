import { describe, expect, it } from 'vitest';
import { agreement, meanInterval } from '../helpers/agreement';

const MiB = 2 ** 20;
const mib = (xs: number[]) => xs.map((x) => x * MiB);

describe('agreement of two noisy measurements (the footprint test judges isolab against an independent check with it)', () => {
  it("is Student's t interval of the mean", () => {
    const i = meanInterval([1, 2, 3, 4, 5]);
    expect(i.mean).toBe(3);
    // sd = 1.5811, t(4) = 2.776: half-width 1.963
    expect(i.hi - i.mean).toBeCloseTo(1.963, 3);
    expect(i.relHalfWidth).toBeCloseTo(0.654, 3);
  });

  it('accepts medians 26% apart when the rounds say they are the same (the case that failed a 25% limit)', () => {
    const isolab = mib([5.1, 4.2, 5.6, 4.9, 5.3]);
    const check = mib([4.0, 3.9, 4.6, 3.7, 4.2]);
    const r = agreement(isolab, check);
    expect(r.strict).toBe(true);
    expect(r.overlap).toBe(true);
  });

  it('still catches a method that is off by 2x', () => {
    const check = mib([4.0, 3.9, 4.6, 3.7, 4.2]);
    const r = agreement(mib([10.2, 8.4, 11.2, 9.8, 10.6]), check);
    expect(r.strict).toBe(true);
    expect(r.overlap).toBe(false);
  });

  it('does not let a noisy method agree with anything: its interval is too wide to tell a 2x error', () => {
    const r = agreement(mib([1, 9, 3, 12, 5]), mib([4.0, 3.9, 4.6, 3.7, 4.2]));
    expect(r.overlap).toBe(true);
    expect(r.strict).toBe(false);
  });
});

describe('the rounds of a very busy machine (five test sessions on two cores)', () => {
  it('agree on average but cannot tell a 2x error: inconclusive, not a pass', () => {
    const isolab = mib([2.88, 3.69, 1.46, 5.6, 2.73, 3.16, 2.66, 2.96]);
    const check = mib([5.16, 1.73, 6.39, 1.68, 2.43, 3.88, 0.53, 3.27]);
    const r = agreement(isolab, check);
    expect(r.overlap).toBe(true);
    expect(r.strict).toBe(false);
  });
});
