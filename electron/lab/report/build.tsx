import { renderToStaticMarkup } from 'react-dom/server';
import figures from '../../../shared/reference/published-figures.json';
import { PublishedFigure } from '../../../shared/learn/tradeoffs';
import type { ComparisonStore } from '../compare/store';
import type { RunStore } from '../store';
import { reportFormat } from './format';
import { Report, type ReportDoc } from './Report';
import { reportStrings, type ReportLanguage } from './strings';
import { REPORT_CSS } from './styles';

const PUBLISHED: PublishedFigure[] = PublishedFigure.array().parse(figures.figures);

export interface ReportOptions {
  lang: ReportLanguage;
  version: string;
  generatedAt?: Date;
}

/**
 * One self-contained HTML file for runs and comparisons: rendered once with React on the server side
 * (renderToStaticMarkup, no hydration, no script), charts as inline SVG, styles inline. It opens from a mail
 * attachment or a USB stick with no network, and prints to PDF with its own print layout.
 */
export function buildReport(docs: ReportDoc[], o: ReportOptions): string {
  const html = renderToStaticMarkup(
    <Report
      lang={o.lang}
      docs={docs}
      sources={citedFor(docs)}
      generatedAt={(o.generatedAt ?? new Date()).toISOString()}
      version={o.version}
      css={REPORT_CSS}
      s={reportStrings[o.lang]}
      f={reportFormat(o.lang)}
    />,
  );
  return `<!doctype html>\n${html}\n`;
}

/** The published figures about the kinds of model the report measured (shared/reference), and only those. */
function citedFor(docs: ReportDoc[]): PublishedFigure[] {
  const models = docs.flatMap((d) => (d.kind === 'run' ? [d.doc.model, d.doc.baseline?.model ?? ''] : d.doc.models.map((m) => m.model)));
  const families = new Set<string>();
  for (const m of models) {
    if (/runsc|gvisor/i.test(m)) families.add('gvisor');
    else if (/^(container|oci|swarm)/.test(m)) families.add('container');
    if (/microvm|firecracker/i.test(m)) families.add('microvm');
    else if (/^vm:/.test(m)) families.add('vm');
    if (/^host:/.test(m)) families.add('cloud');
  }
  const family = (f: PublishedFigure) =>
    /gvisor/i.test(f.model) ? 'gvisor' : /microvm/i.test(f.model) ? 'microvm' : /^VM \(|unikernel/i.test(f.model) ? 'vm' : /cloud VM/i.test(f.model) ? 'cloud' : /container|pod/i.test(f.model) ? 'container' : 'other';
  return PUBLISHED.filter((f) => families.has(family(f)));
}

/** The documents by id (a comparison's id or a run's), in the order given; an unknown id is an error naming it. */
export async function loadReportDocs(stores: { runs: RunStore; comparisons: ComparisonStore }, ids: string[]): Promise<ReportDoc[]> {
  const docs: ReportDoc[] = [];
  for (const id of [...new Set(ids)]) {
    if (await stores.comparisons.has(id)) docs.push({ kind: 'comparison', doc: await stores.comparisons.get(id) });
    else docs.push({ kind: 'run', doc: await stores.runs.get(id) });
  }
  return docs;
}
