import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolab } from '../helpers/cli';
import { tempDataDir } from '../helpers/datadir';

const data = tempDataDir();
afterAll(() => data.cleanup());

describe('isolab compare --fleet', () => {
  it('refuses a fleet that is not saved before anything runs, and says how to save one', async () => {
    const r = await isolab('compare', '--fleet', 'nope', '--models', 'process');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no fleet named nope: no fleet is saved yet \(save one on the Hosts page\)/);
    const comparisons = path.join(data.dir, 'comparisons');
    expect(readdirSync(data.dir).includes('comparisons') ? readdirSync(comparisons).filter((f) => f.endsWith('.json')) : []).toEqual([]);
  });
});
