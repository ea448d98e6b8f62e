import { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputFileError, parseDataText } from '../../shared/input-file';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../lab/atomic-file';
import type { Run } from '../../shared/run';
import {
  applyRetailPrices,
  BurstScenario,
  Catalogue,
  ConsolidationScenario,
  DEFAULT_CATALOGUE,
  retailPricesQuery,
  diskPricesQuery,
  RETAIL_PRICES_URL,
  type RetailPriceItem,
  describeIssues,
  pickRun,
  ConsolidationError,
  ratePointsFromRecords,
  ResolveError,
  runBurst,
  runConsolidation,
  runRefs,
  type BurstFigure,
  type BurstOutcome,
  type ConsolidationOutcome,
  type Estimate,
  OVERHEAD_FIELDS,
  type PriceSource,
  type Provenance,
} from '../../shared/sim';
import { cacheDir } from '../lab/paths';
import { RunStore } from '../lab/store';

/** `isolab sim consolidate|burst FILE [--json]`: the simulator over a scenario file, fed by measured runs. */
export function simCommand(): Command {
  const sim = new Command('sim').description('Simulate what your measurements mean beyond one host: consolidation and scale-out under a spike');
  sim
    .command('consolidate')
    .description('One VM per replica against containers packed onto VMs: VMs, containers per VM, utilization, monthly cost')
    .argument('<file>', 'scenario file, YAML or JSON (see examples/sim/consolidate-9-vms.yaml)')
    .option('--json', 'print the plan as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const scenario = ConsolidationScenario.safeParse(await loadScenario(file, 'consolidation'));
      if (!scenario.success) throw new InputFileError(file, describeIssues(scenario.error).split('\n'));
      const runs = await fetchRuns(runRefs(scenario.data));
      const catalogue = await loadRefreshedCatalogue();
      const out = inFile(file, () => runConsolidation(scenario.data, runs, catalogue));
      process.stdout.write((o.json ? JSON.stringify(out, null, 2) : formatConsolidation(out)) + '\n');
    });
  sim
    .command('burst')
    .description('A request-level simulation of a load spike: instances, queue, waits, drops and cost per isolation model')
    .argument('<file>', 'scenario file, YAML or JSON (see examples/sim/burst-spike.yaml)')
    .option('--json', 'print the results as JSON: every replication, each figure with its interval, and the first replication\'s time series')
    .option('--replications <n>', 'run on this many seeds (seed, seed + 1, ...) and report each figure with its 95% interval (default: the file\'s, else 10)')
    .option('--seed <seed>', 'the first seed: a whole number from 0 to 2^64 - 1 (default: the file\'s, else 1)')
    .action(async (file: string, o: { json?: boolean; replications?: string; seed?: string }) => {
      const doc = (await loadScenario(file, 'burst')) as Record<string, unknown>;
      if (o.replications !== undefined) doc.replications = wholeNumber('--replications', o.replications);
      if (o.seed !== undefined) doc.seed = o.seed;
      const scenario = BurstScenario.safeParse(doc);
      if (!scenario.success) throw new InputFileError(file, describeIssues(scenario.error).split('\n'));
      const runs = await fetchRuns(runRefs(scenario.data));
      const out = inFile(file, () => runBurst(scenario.data, runs));
      process.stdout.write((o.json ? JSON.stringify(out, null, 2) : formatBurst(out)) + '\n');
    });
  sim
    .command('prices')
    .description('The VM sizes and prices the planner uses; --refresh fetches current prices from the Azure Retail Prices API')
    .option('--refresh', `fetch current prices from ${RETAIL_PRICES_URL} (needs the Internet) and keep them for later plans`)
    .option('--region <name>', 'Azure region (armRegionName)', DEFAULT_CATALOGUE.region ?? 'eastus')
    .option('--json', 'print the catalogue as JSON')
    .action(async (o: { refresh?: boolean; region: string; json?: boolean }) => {
      let cat = (await loadRefreshedCatalogue()) ?? DEFAULT_CATALOGUE;
      if (o.refresh) {
        const diskQuery = diskPricesQuery(DEFAULT_CATALOGUE, o.region);
        const items = [...(await fetchRetailPrices(retailPricesQuery(DEFAULT_CATALOGUE, o.region))), ...(diskQuery ? await fetchRetailPrices(diskQuery) : [])];
        const { catalogue, missing } = applyRetailPrices(DEFAULT_CATALOGUE, items, o.region, new Date());
        await mkdir(cacheDir(), { recursive: true });
        await writeFileAtomic(pricesCacheFile(), JSON.stringify(catalogue, null, 2) + '\n');
        if (missing.length) process.stderr.write(`isolab: no Linux pay-as-you-go price for ${missing.join(', ')} in ${o.region}; their indicative prices stay\n`);
        cat = catalogue;
      }
      process.stdout.write((o.json ? JSON.stringify(cat, null, 2) : formatCatalogue(cat)) + '\n');
    });
  return sim;
}

/** A CLI count: digits only, so "3x" or "1.5" is refused rather than cut. */
function wholeNumber(flag: string, v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new Error(`${flag} takes a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

const pricesCacheFile = () => path.join(cacheDir(), 'azure-vm-prices.json');

/** Prices the user refreshed earlier, if any and still readable; otherwise the indicative default applies. A
 * refresh from before disks were priced gets the indicative disk tiers, and is marked indicative again. */
async function loadRefreshedCatalogue(): Promise<Catalogue | undefined> {
  try {
    const parsed = Catalogue.safeParse(JSON.parse(await readFile(pricesCacheFile(), 'utf8')));
    if (!parsed.success) return undefined;
    return parsed.data.disks ? parsed.data : { ...parsed.data, disks: DEFAULT_CATALOGUE.disks, indicative: true };
  } catch {
    return undefined;
  }
}

/** Every page of the answer; follows NextPageLink only on the same host. */
async function fetchRetailPrices(url: string): Promise<RetailPriceItem[]> {
  const items: RetailPriceItem[] = [];
  const host = new URL(RETAIL_PRICES_URL).host;
  for (let next: string | null = url, pages = 0; next && pages < 20; pages++) {
    if (new URL(next).host !== host) throw new Error(`the Azure Retail Prices API pointed to ${new URL(next).host}; refusing to follow it`);
    let res: Response;
    try {
      res = await fetch(next, { signal: AbortSignal.timeout(20_000) });
    } catch (err) {
      throw new Error(`cannot reach ${host} (${(err as Error).message}); the indicative prices stay in use. Try again when online.`);
    }
    if (!res.ok) throw new Error(`${host} answered ${res.status} ${res.statusText}; the indicative prices stay in use`);
    const body = (await res.json()) as { Items?: RetailPriceItem[]; NextPageLink?: string | null };
    items.push(...(body.Items ?? []));
    next = body.NextPageLink ?? null;
  }
  return items;
}

function formatCatalogue(cat: Catalogue): string {
  const head = cat.refreshedAt ? `Prices refreshed ${cat.refreshedAt}${cat.indicative ? ', some still indicative' : ''} (Linux pay-as-you-go)` : 'Indicative prices (Linux pay-as-you-go, USD per hour)';
  return [
    `${head}, region ${cat.region ?? '?'}, ${cat.hoursPerMonth} h a month`,
    ...tableRows(
      ['size', 'vCPU', 'GiB', 'per hour', 'per month'],
      cat.sizes.map((s) => [s.name, String(s.vcpus), String(s.memoryGiB), s.pricePerHour.toFixed(4), (s.pricePerHour * cat.hoursPerMonth).toFixed(2)]),
    ),
    ...(cat.disks
      ? ['', `OS disks: ${cat.disks.type}, billed at the tier's size`, ...tableRows(['tier', 'GiB', 'per month'], cat.disks.tiers.map((t) => [t.name, String(t.sizeGiB), t.pricePerMonth.toFixed(4)]))]
      : []),
  ].join('\n');
}

/** Problems the scenario's content causes (a size that fits nothing, a run that is not there) name the file. */
function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConsolidationError || err instanceof ResolveError) throw new InputFileError(file, err.message.split('\n'));
    throw err;
  }
}

/** Reads YAML or JSON (YAML is a superset); fills `kind` from the subcommand; inlines a CSV arrival curve. */
export async function loadScenario(file: string, kind: 'consolidation' | 'burst'): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(file, [code === 'ENOENT' ? 'no such file; check the path' : `cannot read it: ${(err as Error).message}`]);
  }
  const doc = parseDataText(text, file);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new InputFileError(file, ['expected a mapping of fields at the top level (kind, services ... or arrivals, models ...)']);
  const obj = { ...(doc as Record<string, unknown>) };
  obj.kind ??= kind;
  if (obj.kind !== kind) throw new InputFileError(file, [`kind: this is a ${String(obj.kind)} scenario; run \`isolab sim ${obj.kind === 'burst' ? 'burst' : 'consolidate'} ${file}\``]);
  const arrivals = obj.arrivals as Record<string, unknown> | undefined;
  if (arrivals && arrivals.kind === 'csv' && typeof arrivals.file === 'string') {
    const csvFile = path.resolve(path.dirname(file), arrivals.file);
    const { file: _ignored, ...rest } = arrivals;
    obj.arrivals = { ...rest, points: await readRateCsv(csvFile) };
  }
  return obj;
}

/** A rate curve from CSV: two columns, seconds and requests per second; a header row is allowed. */
async function readRateCsv(file: string): Promise<{ tS: number; rate: number }[]> {
  try {
    return ratePointsFromRecords(parseCsv(await readFile(file, 'utf8'), { skip_empty_lines: true, trim: true, comment: '#', relax_column_count: true }));
  } catch (err) {
    throw new InputFileError(file, [`arrivals.file: ${(err as Error).message}`]);
  }
}

/** The measured runs a scenario names, from the data directory (ISOLAB_DATA_DIR overrides it). */
async function fetchRuns(refs: string[], store = new RunStore()): Promise<Map<string, Run>> {
  const out = new Map<string, Run>();
  if (refs.length === 0) return out;
  const items = await store.list();
  for (const ref of refs) {
    const item = pickRun(ref, items);
    if (item) out.set(ref, await store.get(item.id));
  }
  return out;
}

const money = (x: number, cur: string) => `${cur === 'USD' ? '$' : `${cur} `}${x.toFixed(2)}`;
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
/** +12% / -9% / 0%: no "-0%" for a change that rounds away. */
const signedPct = (x: number) => {
  const r = Math.round(x);
  return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r)}%`;
};
const gib = (x: number) => `${x.toFixed(1)} GiB`;

function provenanceLine(p: Provenance): string {
  if (p.kind === 'measured') return `measured: run ${p.runId} (${p.model}): ${p.detail}`;
  if (p.kind === 'reference') return `reference: ${p.detail}; source: ${p.source}`;
  if (p.kind === 'assumption') return `assumption: ${p.detail}; ${p.source}`;
  return `input: ${p.detail}`;
}

function tableRows(head: string[], body: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const row = (r: string[]) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [row(head), ...body.map(row)];
}

/** The closing line on prices: whose they are and how current, so a scenario's own catalogue is never called Azure's. */
function pricesLine(p: PriceSource): string {
  const disks = p.diskType ? `; OS disks ${p.diskType}` : '; OS disks not priced (the catalogue lists no disk tiers)';
  if (p.origin === 'scenario') return `Prices from the scenario's own catalogue${p.about ? ` (${p.about})` : ''}, ${p.currency}, ${p.hoursPerMonth} h a month${disks}.`;
  if (!p.refreshedAt) {
    return `Prices are indicative (Azure Retail Prices, ${p.region ?? '?'}, Linux pay-as-you-go, ${p.hoursPerMonth} h a month${disks}); check current prices before deciding, or run \`isolab sim prices --refresh\`.`;
  }
  return `Prices refreshed from the Azure Retail Prices API on ${p.refreshedAt.slice(0, 10)} (${p.region ?? '?'}, Linux pay-as-you-go, ${p.hoursPerMonth} h a month${disks})${p.indicative ? '; some are still indicative (see `isolab sim prices`)' : ''}.`;
}

function formatConsolidation({ plan, overheads, scenario, prices }: ConsolidationOutcome): string {
  const cur = plan.currency;
  const a = plan.vmPerReplica.totals;
  const b = plan.containers.totals;
  const bySize = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${v} x ${k}`).join(', ');
  const res = (v: number, m: number) => `${+v.toFixed(2)} vCPU, ${gib(m)}`;
  const disks = (t: typeof a) => (plan.diskType ? `${bySize(t.disksByTier)} (${t.diskGiB.toFixed(0)} GiB)` : `${t.vmCount} (not priced)`);
  const sources = (o: typeof overheads.vm) => OVERHEAD_FIELDS.map((f) => provenanceLine(o.sources[f]));
  const lines = [
    scenario.name ?? 'Consolidation',
    '',
    ...tableRows(
      ['', 'one VM per replica', 'containers on VMs'],
      [
        ['application demand', res(a.demandVcpu, a.demandMemoryGiB), res(b.demandVcpu, b.demandMemoryGiB)],
        ['VMs', `${a.vmCount} (${bySize(a.bySize)})`, `${b.vmCount} (${bySize(b.bySize)})`],
        ['instances', `${a.instances} VMs`, `${b.instances} containers`],
        ['headroom kept per VM', pct(plan.headroom), pct(plan.headroom)],
        ['capacity bought', res(a.vcpus, a.memoryGiB), res(b.vcpus, b.memoryGiB)],
        ['guest OS copies', String(a.guestOsCopies), String(b.guestOsCopies)],
        ['overheads', res(a.overheadVcpu, a.overheadMemoryGiB), res(b.overheadVcpu, b.overheadMemoryGiB)],
        ['OS disks', disks(a), disks(b)],
        ['vCPU utilization', pct(a.utilization.vcpu), pct(b.utilization.vcpu)],
        ['memory utilization', pct(a.utilization.memory), pct(b.utilization.memory)],
        ['compute a month', money(a.computeMonthlyCost, cur), money(b.computeMonthlyCost, cur)],
        ['OS disks a month', money(a.diskMonthlyCost, cur), money(b.diskMonthlyCost, cur)],
        ['monthly cost', money(a.monthlyCost, cur), money(b.monthlyCost, cur)],
      ],
    ),
    '',
    `  ${a.vmCount} VMs -> ${b.vmCount} VMs running ${b.instances} containers, for the same demand; monthly cost ${money(a.monthlyCost, cur)} -> ${money(b.monthlyCost, cur)} (${signedPct(-plan.changes.savingsPct)}).`,
    `  Host size ${plan.containers.hostSize}, ${pct(plan.headroom)} headroom on every VM of both plans, at most ${scenario.spread.maxReplicasPerVm} replica(s) of a service per VM.`,
    '',
    '  containers per VM:',
    ...plan.containers.vms.map(
      (h) => `    VM ${h.index} ${h.size}: ${h.containers.map((c) => `${c.service}#${c.replica}`).join(' ')}  (vCPU ${pct(h.vcpuLoad)}, memory ${pct(h.memoryLoad)})`,
    ),
    '',
    '  where the overheads come from:',
    ...sources(overheads.vm).map((l) => `    VM: ${l}`),
    ...sources(overheads.container).map((l) => `    container: ${l}`),
    '',
    `  ${pricesLine(prices)}`,
  ];
  return lines.join('\n');
}

const SPARK = ' ▁▂▃▄▅▆▇█';
function spark(xs: number[], width = 60): string {
  const step = Math.max(1, Math.ceil(xs.length / width));
  const pts: number[] = [];
  for (let i = 0; i < xs.length; i += step) pts.push(Math.max(...xs.slice(i, i + step)));
  const max = Math.max(...pts, 1e-9);
  return pts.map((x) => SPARK[Math.round((x / max) * (SPARK.length - 1))]).join('');
}

const secs = (s: number) => (!Number.isFinite(s) ? '–' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(0)} ms`);

/** "mean ± half-width" of a 95% interval; the mean alone when one replication gives no interval. */
function est(e: Estimate, fmt: (x: number) => string): string {
  if (e.n === 0) return '–';
  if (!Number.isFinite(e.lo)) return fmt(e.mean);
  return `${fmt(e.mean)} ± ${fmt((e.hi - e.lo) / 2)}`;
}

const BURST_ROWS: { label: string; figure: BurstFigure; fmt: (x: number) => string }[] = [
  { label: 'served', figure: 'served', fmt: (x) => x.toFixed(0) },
  { label: 'dropped', figure: 'dropRate', fmt: (x) => `${(100 * x).toFixed(1)}%` },
  { label: 'mean wait', figure: 'waitMeanS', fmt: secs },
  { label: 'p50 wait', figure: 'waitP50S', fmt: secs },
  { label: 'p95 wait', figure: 'waitP95S', fmt: secs },
  { label: 'p99 wait', figure: 'waitP99S', fmt: secs },
  { label: 'utilization', figure: 'utilization', fmt: pct },
  { label: 'peak instances', figure: 'peakInstances', fmt: (x) => x.toFixed(1) },
  { label: 'cancelled launches', figure: 'cancelledLaunches', fmt: (x) => x.toFixed(1) },
  { label: 'instance-hours', figure: 'instanceHours', fmt: (x) => x.toFixed(2) },
  { label: 'cost', figure: 'cost', fmt: (x) => `$${x.toFixed(2)}` },
];

function seedRange(seeds: (number | string)[]): string {
  return seeds.length === 1 ? `seed ${seeds[0]}` : `seeds ${seeds[0]}-${seeds[seeds.length - 1]}`;
}

function formatBurst(out: BurstOutcome): string {
  const s = out.scenario;
  const n = out.seeds.length;
  const first = out.models[0].result;
  const lines = [
    s.name ?? 'Scale-out under load',
    `  ${s.durationS} s, ${s.arrivals.kind} arrivals (~${Math.round(out.expectedArrivals)} expected), ${s.service.dist} service, concurrency ${s.concurrency}` +
      (s.timeoutMs !== undefined ? `, queue timeout ${s.timeoutMs} ms` : '') +
      (s.autoscaler ? `; autoscaler target ${pct(s.autoscaler.targetUtilization)}, every ${s.autoscaler.evaluationS} s, cooldown ${s.autoscaler.cooldownS} s, ${s.autoscaler.min}-${s.autoscaler.max} instances` : `; fixed ${s.instances} instances`),
    n > 1
      ? `  ${n} replications (${seedRange(out.seeds)}): each figure is the mean across them ± the half-width of its 95% confidence interval.`
      : `  One replication (${seedRange(out.seeds)}): no interval; one seed's figures can be far from typical. Use --replications 10.`,
    '',
    ...tableRows(
      ['', ...out.models.map((m) => m.name)],
      [
        ['startup', ...out.models.map((m) => (m.startup.dist === 'empirical' ? `measured n=${m.startup.samplesMs.length}` : m.startup.dist === 'deterministic' ? `${m.startup.valueMs} ms` : m.startup.dist))],
        ...BURST_ROWS.map((row) => [row.label, ...out.models.map((m) => est(m.summary[row.figure], row.fmt))]),
      ],
    ),
    '',
    `  the first replication (${seedRange(out.seeds.slice(0, 1))}) over time:`,
    `  arrivals   ${spark(first.series.arrivals)}`,
  ];
  for (const m of out.models) {
    lines.push(`  ${m.name}:`);
    lines.push(`    ready    ${spark(m.result.series.ready)}  (max ${Math.max(...m.result.series.ready)})`);
    lines.push(`    queue    ${spark(m.result.series.queue)}  (max ${Math.max(...m.result.series.queue)})`);
  }
  lines.push('', '  where the startup times come from:');
  for (const m of out.models) lines.push(`    ${m.name}: ${provenanceLine(m.startupProvenance)}`);
  lines.push('', `  In each replication every model saw the same arrivals and service times (common random numbers).`);
  return lines.join('\n');
}
