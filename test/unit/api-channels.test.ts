import { describe, expect, it } from 'vitest';
import { LAB_METHOD_NAMES } from '../../shared/api-channels';
import { labMethodNames } from '../../shared/api';

describe('the preload\'s method list', () => {
  it('is exactly the contract\'s methods (add a new method to shared/api-channels.ts too)', () => {
    expect([...LAB_METHOD_NAMES].sort()).toEqual([...labMethodNames].sort());
  });
});
