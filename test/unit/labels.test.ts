import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { isOrphaned, ownerLabels } from '../../electron/lab/labels';

// A pid far above any real one on Linux (pid_max is at most 2^22).
const DEAD = String(2 ** 22 + 12345);

describe('isOrphaned', () => {
  it('claims only labelled resources of a dead isolab on this host', () => {
    expect(isOrphaned({ 'isolab.managed': 'true', 'isolab.owner-pid': DEAD, 'isolab.owner-host': os.hostname() })).toBe(true);
  });
  it('leaves everything else alone', () => {
    expect(isOrphaned(undefined)).toBe(false);
    expect(isOrphaned({})).toBe(false);
    // Inherited from an image, no owner: not something isolab created.
    expect(isOrphaned({ 'isolab.managed': 'true' })).toBe(false);
    expect(isOrphaned({ 'isolab.managed': 'true', 'isolab.owner-pid': DEAD, 'isolab.owner-host': 'another-host' })).toBe(false);
    expect(isOrphaned(ownerLabels('r1'))).toBe(false); // this very process
    expect(isOrphaned({ ...ownerLabels('r1'), 'isolab.owner-pid': '1' })).toBe(false); // pid 1 is alive
    expect(isOrphaned({ 'isolab.managed': 'false', 'isolab.owner-pid': DEAD, 'isolab.owner-host': os.hostname() })).toBe(false);
  });
});
