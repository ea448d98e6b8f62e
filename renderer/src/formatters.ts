// Without React or i18next, so boot.ts can build the reader's formatters while the page's code and data load.

/** Numbers, durations and dates in the reader's language (Intl), memoised per language. */
export interface Formatters {
  /** Milliseconds with a precision that suits the size, as the CLI prints them: "123 ms", "12.3 ms", "1.23 ms". */
  ms(v: number | undefined): string;
  /** A bare number of ms for axes and tight cells. */
  num(v: number, digits?: number): string;
  int(v: number): string;
  /** Axis ticks: as few digits as the value needs ("0.5", "20"). */
  tick(v: number): string;
  ratio(v: number): string;
  bytes(v: number): string;
  date(iso: string | undefined): string;
}

function digitsFor(v: number): number {
  const a = Math.abs(v);
  return a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
}

export function makeFormatters(locale: string): Formatters {
  const cache = new Map<number, Intl.NumberFormat>();
  const nf = (d: number) => {
    let f = cache.get(d);
    if (!f) cache.set(d, (f = new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d })));
    return f;
  };
  // Built on first use: the first Intl object of a page loads its locale's data (a date format, its time zones).
  const dateFmt = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }));
  const intFmt = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }));
  const tickFmt = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }));
  const num = (v: number, digits?: number) => (Number.isFinite(v) ? nf(digits ?? digitsFor(v)).format(v) : '–');
  return {
    ms: (v) => (v === undefined || !Number.isFinite(v) ? '–' : `${num(v)}\u202fms`),
    num,
    int: (v) => intFmt().format(v),
    tick: (v) => tickFmt().format(v),
    ratio: (v) => (Number.isFinite(v) ? `${nf(v >= 10 ? 0 : 1).format(v)}×` : '–'),
    bytes: (v) => `${nf(1).format(v / 2 ** 30)}\u202fGiB`,
    date: (iso) => (iso ? dateFmt().format(new Date(iso)) : '–'),
  };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** The browser's own locale when it speaks the chosen language (en-GB, fr-CA ...), else the bare language. */
export function localeFor(language: string): string {
  return navigator.languages?.find((l) => l.toLowerCase().split('-')[0] === language) ?? language;
}

/** One set per locale for the whole page: building Intl formatters costs ~1 ms each, and dozens of components ask. */
const byLocale = new Map<string, Formatters>();

export function formattersFor(locale: string): Formatters {
  let f = byLocale.get(locale);
  if (!f) byLocale.set(locale, (f = makeFormatters(locale)));
  return f;
}

/**
 * Builds a language's formatters and uses each once. The first date format of a page loads its locale's data
 * (patterns, time zones): tens of ms that boot.ts spends while the page waits for its code and data, not after.
 */
export function prewarmFormatters(language: string): void {
  const f = formattersFor(localeFor(language));
  f.date(new Date(0).toISOString());
  for (const v of [1234.5, 123.4, 12.34, 1.234, 0.1234]) f.ms(v);
  f.int(10_000);
  f.tick(0.5);
  f.ratio(12.3);
}
