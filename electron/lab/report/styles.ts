/**
 * The report's only styles, inlined in its <head>: system fonts (nothing to fetch), colours that pass WCAG AA
 * contrast, and a print layout for the browser's "Save as PDF" and Electron's printToPDF (A4, no table of
 * contents, tables and charts never split across pages, link targets printed).
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid #4a78b0; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.subtitle { margin: 0; font-size: 1.05rem; }
.muted { color: #57606a; }
.small { font-size: .85rem; }
.mono, .url { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }
.url { color: #57606a; }
.report-head { border-bottom: 1px solid #d0d7de; padding-bottom: .75rem; }
.toc ol { margin: .25rem 0; padding-left: 1.25rem; }
.toc h2 { font-size: 1rem; border: 0; margin: 1rem 0 0; }
a { color: #0b57b0; }
.doc { margin-top: 1.5rem; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .25rem 1.25rem; margin: .25rem 0; }
.facts div { display: flex; gap: .5rem; }
.facts dt { font-weight: 600; min-width: 8rem; }
.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .75rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.chart { margin: .75rem 0; }
.chart figcaption { font-size: .85rem; color: #57606a; }
.notes li { margin: .2rem 0; }
.error { color: #a0111f; }
footer { margin-top: 2rem; border-top: 1px solid #d0d7de; }
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .toc, .print-hint { display: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  table, .chart, .facts { break-inside: avoid; }
  .doc + .doc { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
`;
