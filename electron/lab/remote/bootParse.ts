import type { BootTimeline, WaterfallBar } from '../../../shared/api-hosts';

/** Parses systemd's time spans: "1min 2.345s", "345ms", "2h 3min", "12us", "1.234s". */
export function parseSpan(text: string): number | undefined {
  const units: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*(us|µs|ms|min|s|h|d)\b/g)];
  if (!parts.length) return undefined;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * units[u], 0);
}

/** `systemd-analyze time`: "Startup finished in 1.2s (kernel) + 3.4s (initrd) + 10.5s (userspace) = 15.1s". */
export function parseAnalyzeTime(text: string): Record<string, number> | undefined {
  const line = text.split('\n').find((l) => l.includes('Startup finished in'));
  if (!line) return undefined;
  const out: Record<string, number> = {};
  const [phases, total] = line.replace(/^.*Startup finished in/, '').split('=');
  for (const part of phases.split('+')) {
    const m = /^(.*)\(([\w ]+)\)\s*$/.exec(part.trim());
    const ms = m ? parseSpan(m[1]) : undefined;
    if (m && ms !== undefined) out[m[2].trim()] = ms;
  }
  const t = total ? parseSpan(total) : undefined;
  if (t !== undefined) out.total = t;
  return out;
}

/** `systemd-analyze blame`: "  5.123s cloud-init.service", slowest first. */
export function parseBlame(text: string): { unit: string; ms: number }[] {
  const out: { unit: string; ms: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(.+?)\s+(\S+)\s*$/.exec(line);
    const ms = m ? parseSpan(m[1]) : undefined;
    if (m && ms !== undefined && /\.[a-z]+$/.test(m[2])) out.push({ unit: m[2], ms });
  }
  return out;
}

/** `systemd-analyze critical-chain`: "└─ssh.service @3.456s +123ms"; @ is when the unit became active. */
export function parseCriticalChain(text: string): { unit: string; atMs: number; tookMs: number }[] {
  const out: { unit: string; atMs: number; tookMs: number }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[\s└─│├]+/u, '');
    const m = /^(\S+\.[a-z]+)\s+@([^+]+?)(?:\s+\+(.+?))?\s*$/.exec(line);
    if (!m) continue;
    const at = parseSpan(m[2]);
    if (at === undefined) continue;
    out.push({ unit: m[1], atMs: at, tookMs: m[3] ? (parseSpan(m[3]) ?? 0) : 0 });
  }
  return out;
}

/** `cloud-init analyze show`: "Finished stage: (init-network) 03.14 seconds". */
export function parseCloudInitShow(text: string): { name: string; ms: number }[] {
  return [...text.matchAll(/Finished stage:\s*\(([^)]+)\)\s*([\d.]+)\s*seconds/g)].map(([, name, s]) => ({ name, ms: Number(s) * 1000 }));
}

/** `cloud-init analyze blame`: "     00.51600s (init-network/config-ssh)". */
export function parseCloudInitBlame(text: string): { name: string; ms: number }[] {
  return [...text.matchAll(/^\s*([\d.]+)s\s+\(([^)]+)\)/gm)].map(([, s, name]) => ({ name, ms: Number(s) * 1000 }));
}

const BOOT_PHASES = ['firmware', 'loader', 'kernel', 'initrd', 'userspace'];

/**
 * One waterfall for the chart: the boot phases end to end from power-on, then the units of the critical chain
 * placed where they ran (from @at - took to @at), measured from the kernel's start as systemd reports them.
 */
export function waterfall(systemd: Record<string, number> | undefined, chain: BootTimeline['criticalChain']): WaterfallBar[] {
  const bars: WaterfallBar[] = [];
  let t = 0;
  for (const p of BOOT_PHASES) {
    const ms = systemd?.[p];
    if (ms === undefined) continue;
    bars.push({ label: p, startMs: t, durationMs: ms, group: 'phase' });
    t += ms;
  }
  // critical-chain times count from the kernel's start; shift them past firmware and loader.
  const offset = (systemd?.firmware ?? 0) + (systemd?.loader ?? 0);
  for (const c of [...chain].reverse()) {
    bars.push({ label: c.unit, startMs: offset + Math.max(0, c.atMs - c.tookMs), durationMs: c.tookMs, group: 'unit' });
  }
  return bars;
}
