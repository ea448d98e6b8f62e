import { describe, expect, it } from 'vitest';
import { hostBytesBelowNoise } from '../../shared/compare';

const MiB = 2 ** 20;

describe('hostBytesBelowNoise', () => {
  it('reads a positive drop whose rounds agree as a cost', () => {
    expect(hostBytesBelowNoise({ hostBytes: 2.7 * MiB, hostBytesRounds: [2.5 * MiB, 2.7 * MiB, 3.1 * MiB] })).toBe(false);
    expect(hostBytesBelowNoise({ hostBytes: 2.7 * MiB })).toBe(false);
  });
  it('flags a drop at or below zero, or rounds that disagree in sign', () => {
    expect(hostBytesBelowNoise({ hostBytes: -1.09 * MiB })).toBe(true);
    expect(hostBytesBelowNoise({ hostBytes: 0 })).toBe(true);
    expect(hostBytesBelowNoise({ hostBytes: 1 * MiB, hostBytesRounds: [-0.5 * MiB, 1 * MiB, 4 * MiB] })).toBe(true);
  });
  it('says nothing when there is no host-side figure', () => {
    expect(hostBytesBelowNoise({ cgroupBytes: MiB })).toBe(false);
  });
});
