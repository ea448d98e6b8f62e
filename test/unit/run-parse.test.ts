import { describe, expect, it } from 'vitest';
import { Run } from '../../shared/run';
import { seededRandom } from '../../shared/random';
import { parseRunFast } from '../../electron/lab/run-parse';
import { largeRun } from '../e2e/largeRun';

/** A run as it comes off disk: JSON text parsed, nothing shared with the fixture. */
const onDisk = (run: unknown) => JSON.parse(JSON.stringify(run)) as Record<string, unknown>;
const sameAsSchema = (json: unknown) => {
  const fast = parseRunFast(json);
  expect(fast).toBeDefined();
  // What the schema gives, to the order of the keys (the document is sent as JSON text).
  expect(JSON.stringify(fast)).toBe(JSON.stringify(Run.parse(json)));
};

describe('a run read without zod walking its samples', () => {
  it('is exactly what the schema gives, with and without a floor, with unknown top-level keys stripped', () => {
    const run = largeRun('20260302T090000000Z-container-runc-fast', 200, { warmup: 3 });
    sameAsSchema(onDisk(run));
    const { baseline: _floor, ...alone } = run;
    sameAsSchema(onDisk(alone));
    sameAsSchema({ ...onDisk(run), extra: 1, baseline: { ...onDisk(run.baseline), extra: 2 } });
  });

  it('leaves to the schema every sample it cannot vouch for, and never accepts what the schema refuses', () => {
    const base = onDisk(largeRun('20260302T090000000Z-container-runc-fuzz', 6, { warmup: 1 }));
    const rand = seededRandom(23);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const values = [0, -1, 1.5, 2 ** 60, '1', null, true, [], {}, { a: 1 }, { a: '1' }, JSON.parse('{"__proto__":{"x":1}}'), undefined];
    const keys = ['iteration', 'warmup', 'phases', 'marks', 'totalMs', 'extra'];
    let vouched = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const json = onDisk(base);
      const where = rand() < 0.5 || !json.baseline ? json : (json.baseline as Record<string, unknown>);
      const samples = where.samples as Record<string, unknown>[];
      const s = pick(samples);
      const k = pick(keys);
      const r = rand();
      if (r < 0.2) delete s[k];
      else if (r < 0.3) where.samples = pick([null, {}, 'x', [1]]);
      else if (r < 0.4 && (k === 'phases' || k === 'marks')) (s[k] as Record<string, unknown>)[pick(['create', 'x', '__proto__'])] = pick(values);
      else if (r < 0.5) Object.assign(s, Object.fromEntries(Object.entries(s).reverse()), { [k]: s[k] });
      else s[k] = pick(values);
      const fast = parseRunFast(JSON.parse(JSON.stringify(json)));
      const full = Run.safeParse(JSON.parse(JSON.stringify(json)));
      if (fast) {
        vouched++;
        expect(full.success, JSON.stringify(s)).toBe(true);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(full.data));
      } else if (!full.success) refused++;
    }
    // Both sides were exercised: documents it vouched for, and documents the schema refused.
    expect(vouched).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
