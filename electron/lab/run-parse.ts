import { Run, type Sample } from '../../shared/run';

/**
 * A run document read from disk, validated without zod walking its samples: zod takes ~200 ms over the 20,000
 * samples of a 10,000-iteration run (with its floor), on the critical path of a page that opens one. Each sample is
 * checked here by hand against the `Sample` schema, only ever more strictly (exactly its five keys, in its order;
 * finite numbers; safe integers; no `__proto__` key, which a record would set as the prototype), and the rest of the
 * document by the schema itself with its samples taken out. Anything this check does not vouch for gives undefined:
 * the caller then validates the whole document with the schema, which also words what is wrong. What is returned is
 * what `Run.parse` would return for the same JSON (test/unit/run-parse.test.ts holds it to that).
 */
export function parseRunFast(json: unknown): Run | undefined {
  if (!isPlainObject(json) || !isSamples(json.samples)) return undefined;
  const base = json.baseline;
  if (base !== undefined && !(isPlainObject(base) && isSamples(base.samples))) return undefined;
  const shell = { ...json, samples: [], ...(base === undefined ? {} : { baseline: { ...base, samples: [] } }) };
  const parsed = Run.safeParse(shell);
  if (!parsed.success) return undefined;
  const run = { ...parsed.data, samples: json.samples };
  if (run.baseline && isPlainObject(base)) run.baseline = { ...run.baseline, samples: base.samples as Sample[] };
  return run;
}

const SAMPLE_KEYS = ['iteration', 'warmup', 'phases', 'marks', 'totalMs'] as const;

function isSamples(v: unknown): v is Sample[] {
  return Array.isArray(v) && v.every(isSample);
}

function isSample(s: unknown): s is Sample {
  if (!isPlainObject(s)) return false;
  const keys = Object.keys(s);
  if (keys.length !== SAMPLE_KEYS.length || keys.some((k, i) => k !== SAMPLE_KEYS[i])) return false;
  return Number.isSafeInteger(s.iteration) && typeof s.warmup === 'boolean' && isNumberRecord(s.phases) && isNumberRecord(s.marks) && isFiniteNumber(s.totalMs);
}

function isNumberRecord(v: unknown): boolean {
  if (!isPlainObject(v) || Object.hasOwn(v, '__proto__')) return false;
  for (const k in v) if (!isFiniteNumber(v[k])) return false;
  return true;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
