import type { ReportLanguage } from './strings';

/** Numbers in the report's language, as the app shows them (renderer/src/format.ts): ms, ratios, bytes, dates. */
export interface ReportFormat {
  ms(v: number | undefined): string;
  ratio(v: number | undefined): string;
  bytes(v: number | undefined): string;
  int(v: number): string;
  tick(v: number): string;
  date(iso: string | undefined): string;
}

const digitsFor = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3);

export function reportFormat(lang: ReportLanguage): ReportFormat {
  const nf = (d: number) => new Intl.NumberFormat(lang, { minimumFractionDigits: d, maximumFractionDigits: d });
  const num = (v: number, d = digitsFor(v)) => nf(d).format(v);
  const ok = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
  return {
    ms: (v) => (ok(v) ? `${num(v)}\u202fms` : '–'),
    ratio: (v) => (ok(v) ? `${num(v, v >= 10 ? 0 : 1)}×` : '–'),
    bytes: (v) => {
      if (!ok(v)) return '–';
      const a = Math.abs(v);
      const [div, unit] = a >= 2 ** 30 ? [2 ** 30, 'GiB'] : a >= 2 ** 20 ? [2 ** 20, 'MiB'] : a >= 2 ** 10 ? [2 ** 10, 'KiB'] : [1, 'B'];
      return `${num(v / div, div === 1 ? 0 : 1)}\u202f${unit}`;
    },
    int: (v) => nf(0).format(v),
    tick: (v) => new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(v),
    date: (iso) => (iso && Number.isFinite(Date.parse(iso)) ? `${dateFmt.format(new Date(iso))} UTC` : '–'),
  };
}
