import { adaptiveMarkdown, adaptiveRows } from './adaptive/export';
import type { Comparison, ModelResult } from './compare';
import { englishNote, type Note } from './notes';
import { csv } from './csv';
import { readyLine } from './readiness';
import type { PhaseSummary, Run } from './run';
import type { ExportFormat } from './api';
import { medianOf } from './stats';
import { ms } from './units';

/**
 * Runs and comparisons as JSON, CSV and Markdown: pure functions of the document, so the CLI, the renderer
 * and tests produce byte-identical files. CSV follows RFC 4180 (quoted when needed, CRLF-free: \n lines);
 * numbers are raw (ms, bytes), never rounded, so a spreadsheet can recompute everything.
 */

function isComparison(doc: Run | Comparison): doc is Comparison {
  return doc.schema === 'isolab.comparison/1';
}

export function exportDocument(doc: Run | Comparison, format: ExportFormat): string {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n';
  if (isComparison(doc)) return format === 'csv' ? comparisonCsv(doc) : comparisonMarkdown(doc);
  return format === 'csv' ? runCsv(doc) : runMarkdown(doc);
}

/** One row per sample (the run's and its baseline's), one column per phase, then the total. */
function runCsv(run: Run): string {
  const phases = [...new Set([...run.phaseOrder, ...(run.baseline?.phaseOrder ?? [])])];
  const rows: unknown[][] = [['run', 'model', 'iteration', 'warmup', ...phases.map((p) => `${p}_ms`), 'total_ms']];
  const add = (model: string, samples: Run['samples']) => {
    for (const s of samples) rows.push([run.id, model, s.iteration, s.warmup, ...phases.map((p) => s.phases[p]), s.totalMs]);
  };
  add(run.model, run.samples);
  if (run.baseline) add(run.baseline.model, run.baseline.samples);
  return csv(rows);
}

const MODEL_COLUMNS = [
  'record', 'model', 'status', 'median_ready_ms', 'ready_ci95_low_ms', 'ready_ci95_high_ms', 'median_total_ms',
  'ratio_ready', 'ratio_ready_ci95_low', 'ratio_ready_ci95_high', 'ratio_total', 'ratio_total_ci95_low', 'ratio_total_ci95_high',
  'cgroup_bytes', 'cgroup_anon_bytes', 'host_bytes_per_instance', 'helper_pss_bytes', 'process_pss_bytes', 'footprint_instances',
  'cpu_startup_ms', 'host_cpu_startup_ms', 'cgroup_cpu_startup_ms', 'image_bytes', 'shared_layer_bytes', 'unique_layer_bytes', 'writable_layer_bytes',
  'density_running', 'density_latency_ms', 'density_count', 'density_mem_per_new_instance_bytes', 'run_id', 'error',
] as const;

/**
 * A row per model, then a row per density point and step (record = model | density-point | density-step), then
 * what the adaptive plan decided, a row per figure and per density slope (record = adaptive-figure |
 * adaptive-slope), in one table: the adaptive columns follow the model columns.
 */
function comparisonCsv(c: Comparison): string {
  const [adaptiveHeader, ...adaptive] = adaptiveRows(c) as [string[], ...unknown[][]];
  const extra = adaptiveHeader.filter((k) => !(MODEL_COLUMNS as readonly string[]).includes(k));
  const header: string[] = [...MODEL_COLUMNS, ...extra];
  const rows: unknown[][] = [header];
  const row = (values: Partial<Record<(typeof MODEL_COLUMNS)[number], unknown>>) => rows.push(header.map((k) => values[k as (typeof MODEL_COLUMNS)[number]]));
  for (const m of c.models) {
    const f = m.footprint;
    row({
      record: 'model', model: m.model, status: m.status,
      median_ready_ms: medianOf(m.startup?.readyMs ?? []), ready_ci95_low_ms: readyCi(m)?.[0], ready_ci95_high_ms: readyCi(m)?.[1],
      median_total_ms: m.startup?.summary.total?.median,
      ratio_ready: m.ratios?.ready?.ratio, ratio_ready_ci95_low: m.ratios?.ready?.ci95[0], ratio_ready_ci95_high: m.ratios?.ready?.ci95[1],
      ratio_total: m.ratios?.total?.ratio, ratio_total_ci95_low: m.ratios?.total?.ci95[0], ratio_total_ci95_high: m.ratios?.total?.ci95[1],
      cgroup_bytes: f?.memory.cgroupBytes, cgroup_anon_bytes: f?.memory.cgroupAnonBytes, host_bytes_per_instance: f?.memory.hostBytes,
      helper_pss_bytes: f?.memory.helperPssBytes, process_pss_bytes: f?.memory.processPssBytes, footprint_instances: f?.instances,
      cpu_startup_ms: f?.cpu.startupMs, host_cpu_startup_ms: f?.cpu.hostStartupMs, cgroup_cpu_startup_ms: f?.cpu.cgroupStartupMs,
      image_bytes: f?.disk.imageBytes, shared_layer_bytes: f?.disk.sharedLayerBytes, unique_layer_bytes: f?.disk.uniqueLayerBytes,
      writable_layer_bytes: f?.disk.writableLayerBytes, run_id: m.runId, error: m.error,
    });
  }
  for (const m of c.models) {
    for (const p of m.density?.points ?? []) row({ record: 'density-point', model: m.model, density_running: p.running, density_latency_ms: p.latencyMs });
    for (const s of m.density?.steps ?? []) row({ record: 'density-step', model: m.model, density_count: s.count, density_latency_ms: s.medianLatencyMs, density_mem_per_new_instance_bytes: s.memPerNewInstanceBytes });
  }
  for (const a of adaptive) rows.push(header.map((k) => a[adaptiveHeader.indexOf(k)]));
  return csv(rows);
}

function runMarkdown(run: Run): string {
  const out: string[] = [`# ${run.model} — ${run.status}`, '', `Run \`${run.id}\`, started ${run.startedAt}.`, '', environmentLine(run.environment), ''];
  if (run.error) out.push(`**Error:** ${run.error}`, '');
  out.push(...summaryTable(run.phaseOrder, run.summary));
  const ready = readyLine(run, ms);
  if (ready) out.push('', `${ready[0].toUpperCase()}${ready.slice(1)}.`);
  if (run.baseline) out.push('', `## Baseline: ${run.baseline.model}`, '', ...summaryTable(run.baseline.phaseOrder, run.baseline.summary));
  if (run.notes.length) out.push('', '## Notes', '', ...run.notes.map((n) => `- ${englishNote(n)}`));
  return out.join('\n') + '\n';
}

/** `words` puts a note in words: English by default; the CLI passes its own, with its flag names. */
export function comparisonMarkdown(c: Comparison, words: (n: Note) => string = englishNote): string {
  const out: string[] = [`# Isolation models compared — ${c.status}`, '', `Comparison \`${c.id}\`, started ${c.startedAt}. Ratios are against \`${c.floor}\`, with 95% bootstrap intervals.`, '', environmentLine(c.environment), ''];
  out.push('## Startup', '', '| model | status | median to ready | 95% CI | × floor (ready) | median lifecycle | × floor (lifecycle) |', '|---|---|--:|--:|--:|--:|--:|');
  for (const m of c.models) {
    const ci = readyCi(m);
    out.push(`| ${m.model}${m.aliases?.length ? ` (also ${m.aliases.join(', ')})` : ''} | ${m.status}${m.error ? `: ${escapeMd(m.error)}` : ''} | ${ms(medianOf(m.startup?.readyMs ?? []))} | ${ci ? `${ms(ci[0])}–${ms(ci[1])}` : '–'} | ${ratio(m.ratios?.ready)} | ${ms(m.startup?.summary.total?.median)} | ${ratio(m.ratios?.total)} |`);
  }
  const withFp = c.models.filter((m) => m.footprint);
  if (withFp.length) {
    out.push('', '## Footprint per idle instance', '', '| model | N | own cgroup | host-side (MemAvailable drop / N) | shim/runtime PSS | process PSS | CPU to start (attributed / whole host) | writable layer | image (unique / shared) |', '|---|--:|--:|--:|--:|--:|--:|--:|--:|');
    for (const m of withFp) {
      const f = m.footprint!;
      out.push(`| ${m.model} | ${f.instances} | ${bytes(f.memory.cgroupBytes)} | ${bytes(f.memory.hostBytes)}${f.memory.hostBytesRounds && f.memory.hostBytesRounds.length > 1 ? ` (rounds ${bytes(Math.min(...f.memory.hostBytesRounds))} to ${bytes(Math.max(...f.memory.hostBytesRounds))})` : ''} | ${bytes(f.memory.helperPssBytes)} | ${bytes(f.memory.processPssBytes)} | ${ms(f.cpu.startupMs)} / ${ms(f.cpu.hostStartupMs)} | ${bytes(f.disk.writableLayerBytes)} | ${f.disk.imageBytes !== undefined ? `${bytes(f.disk.imageBytes)} (${bytes(f.disk.uniqueLayerBytes)} / ${bytes(f.disk.sharedLayerBytes)})` : '–'} |`);
    }
  }
  const withDensity = c.models.filter((m) => m.density?.steps.length);
  if (withDensity.length) {
    out.push('', '## Density', '', '| model | running | median start latency | memory per new instance | stopped by |', '|---|--:|--:|--:|---|');
    for (const m of withDensity) for (const s of m.density!.steps) out.push(`| ${m.model} | ${s.count} | ${ms(s.medianLatencyMs)} | ${bytes(s.memPerNewInstanceBytes)} | ${m.density!.stoppedBy} |`);
  }
  const precision = adaptiveMarkdown(c);
  if (precision.length) out.push('', ...precision);
  const notes = [...c.notes, ...c.models.flatMap((m) => m.notes)];
  if (notes.length) out.push('', '## Notes', '', ...[...new Set(notes.map(words))].map((n) => `- ${escapeMd(n)}`));
  return out.join('\n') + '\n';
}

/**
 * The summary table of a run's phases, once, as cells: the Markdown export and the CLI (electron/report.ts)
 * lay the same columns out their own way (after hyperfine, whose exporters share one result table).
 */
export function summaryCells(order: readonly string[], summary: Record<string, PhaseSummary>): { head: string[]; rows: string[][] } {
  const phases = [...order, 'total'].filter((p) => summary[p]);
  return {
    head: ['phase', 'n', 'median', '95% CI', 'mean ± σ', 'min', 'max', 'p95', 'outliers'],
    rows: phases.map((p) => {
      const s = summary[p];
      return [p, String(s.n), ms(s.median), `${ms(s.ci95[0])}–${ms(s.ci95[1])}`, `${ms(s.mean)} ± ${ms(s.stddev)}`, ms(s.min), ms(s.max), ms(s.p95), String(s.outliers.length)];
    }),
  };
}

function summaryTable(order: string[], summary: Record<string, PhaseSummary>): string[] {
  const { head, rows } = summaryCells(order, summary);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), `|---|${head.slice(1).map(() => '--:').join('|')}|`, ...rows.map(line)];
}

function environmentLine(env: Run['environment']): string {
  const h = env.host;
  const e = env.engine;
  return `Host: ${h.os}, kernel ${h.kernel}, ${h.arch}, ${h.cpus} CPUs, ${bytes(h.memoryBytes)}` + (e ? `; ${e.name} ${e.version}, ${e.storageDriver ?? '?'}, cgroup v${e.cgroupVersion ?? '?'}` : '') + '.';
}

function readyCi(m: ModelResult): [number, number] | undefined {
  return m.startup?.ready.ci95;
}



function bytes(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1024 ** 3) return `${(v / 1024 ** 3).toFixed(1)} GiB`;
  if (a >= 1024 ** 2) return `${(v / 1024 ** 2).toFixed(1)} MiB`;
  if (a >= 1024) return `${(v / 1024).toFixed(0)} KiB`;
  return `${Math.round(v)} B`;
}

function ratio(r: { ratio: number; ci95: [number, number] } | undefined): string {
  return r ? `${r.ratio.toFixed(1)}× (${r.ci95[0].toFixed(1)}–${r.ci95[1].toFixed(1)})` : '–';
}

function escapeMd(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
