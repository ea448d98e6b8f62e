/**
 * Durations in plain English text, as the CLI and the exports print them (the UI formats for the reader's
 * language instead: renderer/src/format.ts). Precision suits the size: "123 ms", "12.3 ms", "1.23 ms".
 */
export function ms(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;
}

/** A duration that may run to seconds: "1.35 s" from 1000 ms up, else as ms(). */
export function duration(v: number | undefined): string {
  return v !== undefined && Number.isFinite(v) && v >= 1000 ? `${(v / 1000).toFixed(2)} s` : ms(v);
}
