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
    const c = yaml.load(await readFile(path.join(examples, 'consolidate-9-vms.yaml'), 'utf8'));
    expect(ConsolidationScenario.parse(c)).toEqual(ConsolidationScenario.parse(CLASSIC_CONSOLIDATION));
    const b = yaml.load(await readFile(path.join(examples, 'burst-spike.yaml'), 'utf8'));
    expect(BurstScenario.parse(b)).toEqual(BurstScenario.parse(SPIKE_BURST));
  });

  it('print the plan with both sides\' demand, the compute and disk costs, and whose prices they are', async () => {
    const out = await sim('consolidate', path.join(examples, 'consolidate-9-vms.yaml'));
    expect(out).toMatch(/application demand\s+30 vCPU, 76\.0 GiB\s+30 vCPU, 76\.0 GiB/);
    expect(out).toMatch(/headroom kept per VM\s+25%\s+25%/);
    expect(out).toMatch(/OS disks a month\s+\$47\.52\s+\$31\.68/);
    expect(out).toContain('9 VMs -> 6 VMs running 20 containers, for the same demand; monthly cost $1913.40 -> $1713.60 (-10%)');
    expect(out).toContain('Prices are indicative (Azure Retail Prices, eastus, Linux pay-as-you-go, 730 h a month; OS disks Premium SSD LRS)');
    const json = JSON.parse(await sim('consolidate', path.join(examples, 'consolidate-9-vms.yaml'), '--json'));
    expect(json.plan.changes.vms).toEqual([9, 6]);
    expect(json.prices).toMatchObject({ origin: 'azure', indicative: true, region: 'eastus' });
  });
});

describe('a scenario of its own', () => {
  const write = async (name: string, text: string) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };

  it('names its own catalogue as the prices\' source, not Azure', async () => {
    const f = await write(
      'own-catalogue.yaml',
      'services: [{name: a, replicas: 2, vcpu: 1, memoryGiB: 2}]\ncatalogue: {about: "our private cloud, 2026 rates", currency: EUR, sizes: [{name: m4, vcpus: 4, memoryGiB: 16, pricePerHour: 0.1}]}\n',
    );
    const out = await sim('consolidate', f);
    expect(out).toContain(`Prices from the scenario's own catalogue (our private cloud, 2026 rates), EUR, 730 h a month; OS disks not priced (the catalogue lists no disk tiers).`);
    expect(out).not.toMatch(/Prices are indicative|Azure Retail Prices/);
    expect(JSON.parse(await sim('consolidate', f, '--json')).prices).toMatchObject({ origin: 'scenario' });
  });

  it('lists the overheads in use: a value the scenario gives replaces the default, which is no longer listed', async () => {
    const f = await write('own-overheads.yaml', 'services: [{name: a, replicas: 2, vcpu: 1, memoryGiB: 2}]\noverheads: {vm: {memoryGiB: 0.75}}\n');
    const out = await sim('consolidate', f);
    const vmLines = out.split('\n').filter((l) => l.trim().startsWith('VM: '));
    expect(vmLines).toHaveLength(3);
    expect(vmLines[0]).toContain('input: memoryGiB: 0.75 given in the scenario');
    expect(out).not.toContain('guest OS memory GiB: 0.5');
    expect(out).toContain('guest OS disk GiB: 30');
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
    await expect(sim('burst', h)).rejects.toThrow(/not valid YAML at line/);
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
    const disks = { ...DEFAULT_CATALOGUE.disks!, tiers: DEFAULT_CATALOGUE.disks!.tiers.map((t) => ({ ...t, pricePerMonth: 2 })) };
    const refreshed = { ...DEFAULT_CATALOGUE, sizes: DEFAULT_CATALOGUE.sizes.map((s) => ({ ...s, pricePerHour: 1 })), disks, indicative: false, refreshedAt: '2026-11-26T12:00:00.000Z' };
    const cache = path.join(dir, 'cache', 'azure-vm-prices.json');
    await writeFile(cache, JSON.stringify(refreshed));
    try {
      const json = JSON.parse(await sim('consolidate', path.join(examples, 'consolidate-9-vms.yaml'), '--json'));
      expect(json.prices).toMatchObject({ origin: 'azure', indicative: false, refreshedAt: '2026-11-26T12:00:00.000Z' });
      expect(json.plan.changes.computeMonthlyCost[0]).toBe(9 * 730);
      expect(json.plan.changes.diskMonthlyCost[0]).toBe(9 * 2);
      expect(await sim('consolidate', path.join(examples, 'consolidate-9-vms.yaml'))).toContain('Prices refreshed from the Azure Retail Prices API on 2026-11-26 (eastus');
      expect(await sim('prices')).toContain('Prices refreshed 2026-11-26T12:00:00.000Z');
      // Refreshed before disks were priced: the indicative disk tiers fill in, and the whole is indicative again.
      const { disks: _old, ...noDisks } = refreshed;
      await writeFile(cache, JSON.stringify(noDisks));
      const older = JSON.parse(await sim('consolidate', path.join(examples, 'consolidate-9-vms.yaml'), '--json'));
      expect(older.prices).toMatchObject({ indicative: true, diskType: 'Premium SSD LRS' });
      expect(older.plan.changes.diskMonthlyCost[0]).toBeCloseTo(9 * 5.2795, 6);
    } finally {
      await rm(path.join(dir, 'cache'), { recursive: true, force: true });
    }
    expect(await sim('prices')).toMatch(/Indicative prices[^]*OS disks: Premium SSD LRS[^]*P4\s+32\s+5\.2795/);
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
