import yaml from 'js-yaml';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadScenario, simCommand } from '../../../electron/commands/sim';
import { RunStore } from '../../../electron/lab/store';
import { RUN_SCHEMA, type Run } from '../../../shared/run';
import { BurstScenario, CLASSIC_CONSOLIDATION, ConsolidationScenario, DEFAULT_CATALOGUE, SPIKE_BURST } from '../../../shared/sim';

const examples = path.join(__dirname, '../../../examples/sim');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'isolab-sim-test-'));
  process.env.ISOLAB_DATA_DIR = dir;
});
afterAll(async () => {
  delete process.env.ISOLAB_DATA_DIR;
  await rm(dir, { recursive: true, force: true });
});

/** Runs `sim ...` and returns what it printed on stdout. */
async function sim(...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  try {
    await simCommand().parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('the example files', () => {
  it('are the built-in scenarios', async () => {
    const c = yaml.load(await readFile(path.join(examples, 'consolidate-9-to-4.yaml'), 'utf8'));
    expect(ConsolidationScenario.parse(c)).toEqual(ConsolidationScenario.parse(CLASSIC_CONSOLIDATION));
    const b = yaml.load(await readFile(path.join(examples, 'burst-spike.yaml'), 'utf8'));
    expect(BurstScenario.parse(b)).toEqual(BurstScenario.parse(SPIKE_BURST));
  });

  it('print the 9 -> 4 plan', async () => {
    const out = await sim('consolidate', path.join(examples, 'consolidate-9-to-4.yaml'));
    expect(out).toContain('9 VMs -> 4 VMs running 20 containers');
    const json = JSON.parse(await sim('consolidate', path.join(examples, 'consolidate-9-to-4.yaml'), '--json'));
    expect(json.plan.changes.vms).toEqual([9, 4]);
  });
});

describe('scenario errors', () => {
  const write = async (name: string, text: string) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };

  it('name the file and the field', async () => {
    const f = await write('bad.yaml', 'services:\n  - { name: a, replicas: 0, vcpu: 1, memoryGB: 2 }\n');
    await expect(sim('consolidate', f)).rejects.toThrow(/bad\.yaml: services\.0\.replicas: .*services\.0: Unrecognized key: "memoryGB"/);
    const g = await write('wrong-kind.yaml', 'kind: burst\n');
    await expect(sim('consolidate', g)).rejects.toThrow(/kind: this is a burst scenario; run `isolab sim burst/);
    await expect(sim('burst', path.join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: no such file/);
    const h = await write('yaml.yaml', 'a: [1, 2\n');
    await expect(sim('burst', h)).rejects.toThrow(/not valid YAML or JSON/);
    const both = await write('both.yaml', 'durationS: 10\narrivals: {kind: steady, rate: 1}\nservice: {dist: exponential, meanMs: 10}\ninstances: 1\nautoscaler: {targetUtilization: 0.5, evaluationS: 5, min: 1, max: 2}\nmodels: [{name: a, startup: {dist: deterministic, valueMs: 1}, pricePerInstanceHour: 0}]\n');
    await expect(sim('burst', both)).rejects.toThrow(/autoscaler: give either autoscaler .* or instances/);
  });

  it('reads a CSV arrival curve beside the scenario', async () => {
    await write('rates.csv', 't,rate\n0,5\n60,50\n');
    const f = await write('csv.yaml', 'arrivals: {kind: csv, file: rates.csv}\n');
    const doc = (await loadScenario(f, 'burst')) as { arrivals: unknown };
    expect(doc.arrivals).toEqual({ kind: 'csv', points: [{ tS: 0, rate: 5 }, { tS: 60, rate: 50 }] });
    await write('bad.csv', '0,5\nsoon,50\n');
    const g = await write('badcsv.yaml', 'arrivals: {kind: csv, file: bad.csv}\n');
    await expect(loadScenario(g, 'burst')).rejects.toThrow(/row 2 should be "seconds,requests per second"/);
  });
});

describe('burst replications', () => {
  const small = 'durationS: 120\narrivals: {kind: spike, rate: 5, peakRate: 60, atS: 30, durationS: 30}\nservice: {dist: exponential, meanMs: 100}\nautoscaler: {targetUtilization: 0.7, evaluationS: 5, min: 1, max: 20}\nmodels: [{name: fast, startup: {dist: deterministic, valueMs: 200}, pricePerInstanceHour: 0.1}, {name: slow, startup: {dist: deterministic, valueMs: 30000}, pricePerInstanceHour: 0.1}]\n';

  it('run ten seeds unless told otherwise and print each figure with its interval', async () => {
    const f = path.join(dir, 'small-burst.yaml');
    await writeFile(f, small);
    const out = await sim('burst', f);
    expect(out).toContain('10 replications (seeds 1-10): each figure is the mean across them ± the half-width of its 95% confidence interval');
    expect(out).toMatch(/p99 wait\s+\S+ m?s ± \S+ m?s/);
    const json = JSON.parse(await sim('burst', f, '--json', '--replications', '3', '--seed', '18446744073709551613'));
    expect(json.seeds).toEqual(['18446744073709551613', '18446744073709551614', '18446744073709551615']);
    expect(json.models[0].replications).toHaveLength(3);
    expect(json.models[0].summary.waitP99S).toMatchObject({ n: expect.any(Number), level: 0.95 });
    expect(await sim('burst', f, '--replications', '1')).toContain('One replication (seed 1): no interval');
  });

  it('refuse a seed or a count they cannot take as given', async () => {
    const f = path.join(dir, 'small-burst.yaml');
    await writeFile(f, small);
    await expect(sim('burst', f, '--seed', '1.5')).rejects.toThrow(/small-burst\.yaml: seed: seed "1\.5" is not a whole number/);
    await expect(sim('burst', f, '--seed', '18446744073709551615', '--replications', '2')).rejects.toThrow(/last replication's seed/);
    await expect(sim('burst', f, '--replications', '3x')).rejects.toThrow(/--replications takes a whole number/);
    await writeFile(f, small + 'seed: 18446744073709551615\n');
    await expect(sim('burst', f)).rejects.toThrow(/seed: seed 18446744073709552000 is beyond 2\^53 − 1.*quoted string/);
  });
});

describe('prices', () => {
  it('plans with prices the user refreshed earlier, and says they are no longer indicative', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, 'cache'), { recursive: true });
    const refreshed = { ...DEFAULT_CATALOGUE, sizes: DEFAULT_CATALOGUE.sizes.map((s) => ({ ...s, pricePerHour: 1 })), indicative: false, refreshedAt: '2026-11-26T12:00:00.000Z' };
    await writeFile(path.join(dir, 'cache', 'azure-vm-prices.json'), JSON.stringify(refreshed));
    try {
      const json = JSON.parse(await sim('consolidate', path.join(examples, 'consolidate-9-to-4.yaml'), '--json'));
      expect(json.plan.indicativePrices).toBe(false);
      expect(json.plan.changes.monthlyCost[0]).toBe(9 * 730);
      expect(await sim('prices')).toContain('Prices refreshed 2026-11-26T12:00:00.000Z');
    } finally {
      await rm(path.join(dir, 'cache'), { recursive: true, force: true });
    }
    expect(await sim('prices')).toContain('Indicative prices');
  });
});

describe('measured runs as inputs', () => {
  it('take startup times from the newest complete run of a model', async () => {
    const values = [300, 320, 310, 900];
    const run: Run = {
      schema: RUN_SCHEMA,
      id: '20261126T120000000Z-container-runc-beef',
      kind: 'bench',
      model: 'container:runc',
      status: 'complete',
      startedAt: '2026-11-26T12:00:00.000Z',
      environment: { host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0.1.0' },
      plan: {},
      phaseOrder: ['create', 'start', 'firstOutput', 'exit', 'remove'],
      samples: values.map((v, i) => ({ iteration: i + 1, warmup: i === 0, phases: {}, marks: { firstOutput: v, remove: v + 50 }, totalMs: v + 50 })),
      summary: {},
      notes: [],
    };
    await new RunStore().save(run);
    const f = path.join(dir, 'measured.yaml');
    await writeFile(
      f,
      'durationS: 60\narrivals: {kind: steady, rate: 5}\nservice: {dist: exponential, meanMs: 100}\ninstances: 2\nmodels: [{name: runc, startup: {measured: "container:runc"}, pricePerInstanceHour: 0.1}]\n',
    );
    const out = JSON.parse(await sim('burst', f, '--json'));
    // The warmup sample is left out; the marks give the time to first output, not the total.
    expect(out.models[0].startup).toEqual({ dist: 'empirical', samplesMs: [320, 310, 900] });
    expect(out.models[0].startupProvenance).toMatchObject({ kind: 'measured', runId: run.id });
  });
});
