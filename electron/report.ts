import type { Run, RunListItem, PhaseSummary, RunScan, SkipReason } from '../shared/run';
import { readyLine } from '../shared/readiness';
import { ratioOfMedians } from '../shared/stats';
import { cliNote } from './note-text';
import { ms } from '../shared/units';
import { printableDeep } from '../shared/printable';
import { summaryCells } from '../shared/export';

/** A run as a terminal reader wants it, after hyperfine: median first, spread, range, warnings. */
export function formatRun(saved: Run): string {
  // A remote host's words (os-release, errors, notes) may carry terminal controls; runs saved before the host
  // probe stripped them still do.
  const run = printableDeep(saved);
  const lines: string[] = [];
  lines.push(`${run.model}  ${run.status}  ${run.id}`);
  const eng = run.environment.engine;
  lines.push(`  host: ${run.environment.host.os}, kernel ${run.environment.host.kernel}, ${run.environment.host.cpus} CPUs` + (eng ? `; ${eng.name} ${eng.version} (${eng.runtime ?? eng.defaultRuntime}, ${eng.storageDriver}, cgroup v${eng.cgroupVersion})` : ''));
  const vm = vmLine(run.environment.vm);
  if (vm) lines.push(`  vm: ${vm}`);
  if (run.error) lines.push(`  error: ${run.error}`);
  lines.push(...table(run.phaseOrder, run.summary));
  if (run.baseline) {
    lines.push('', `  baseline: ${run.baseline.model}`);
    lines.push(...table(run.baseline.phaseOrder, run.baseline.summary));
    const a = run.samples.filter((s) => !s.warmup).map((s) => s.totalMs);
    const b = run.baseline.samples.filter((s) => !s.warmup).map((s) => s.totalMs);
    if (a.length && b.length) {
      const r = ratioOfMedians(a, b);
      lines.push('', `  ${run.model} is ${r.ratio.toFixed(1)}× the process floor (95% CI ${r.ci95[0].toFixed(1)}–${r.ci95[1].toFixed(1)}×)`);
    }
  }
  const ready = readyLine(run, ms);
  if (ready) lines.push('', `  ${ready}`);
  for (const note of run.notes) lines.push(`  warning: ${cliNote(note)}`);
  return lines.join('\n');
}

/** The VM's machine as the environment records it: `q35 (pc-q35-7.2), SeaBIOS (bios-256k.bin), 256 MiB`. */
function vmLine(vm: unknown): string | undefined {
  if (!vm || typeof vm !== 'object') return undefined;
  const { machine, machineType, firmware, memoryMiB } = vm as Record<string, unknown>;
  if (typeof machine !== 'string') return undefined;
  const parts = [typeof machineType === 'string' && machineType !== machine ? `${machine} (${machineType})` : machine];
  if (typeof firmware === 'string') parts.push(firmware);
  if (typeof memoryMiB === 'number') parts.push(`${memoryMiB} MiB`);
  return parts.join(', ');
}

function table(order: string[], summary: Record<string, PhaseSummary>): string[] {
  const { head, rows } = summaryCells(order, summary);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmtRow = (r: string[]) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmtRow(head), ...rows.map(fmtRow)];
}


export function formatRunList(items: RunListItem[], someSkipped = false): string {
  if (items.length === 0) return someSkipped ? 'No readable runs.' : 'No runs yet. Start one with `isolab bench containers`.';
  const rows = items.map((r) => [r.id, r.model, r.status, String(r.iterations), r.medianTotalMs !== undefined ? ms(r.medianTotalMs) : '–', r.startedAt.replace('T', ' ').slice(0, 19)]);
  const head = ['id', 'model', 'status', 'n', 'median', 'started (UTC)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const SKIP_WHY: Record<SkipReason, string> = {
  'invalid-json': 'not valid JSON (cut short by a crash or a full disk?)',
  'invalid-document': 'not an isolab run document',
  unreadable: 'cannot be read',
  'bad-name': 'not named like a run (<id>.json)',
};

/** The files `runs list` could not read, each with why, so a damaged run is never silently hidden. */
export function formatSkipped(scan: Pick<RunScan, 'skipped' | 'dir'>): string {
  const n = scan.skipped.length;
  const lines = [`isolab: ${n} file${n === 1 ? '' : 's'} in ${scan.dir} ${n === 1 ? 'was' : 'were'} skipped:`];
  for (const s of scan.skipped) lines.push(`  ${s.file}: ${SKIP_WHY[s.reason]}${s.detail ? ` (${s.detail})` : ''}`);
  lines.push('They are left as they are; `isolab runs show ID` says more about one.');
  return lines.join('\n');
}
