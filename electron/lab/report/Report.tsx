import type { Comparison, ModelResult } from '../../../shared/compare';
import type { PublishedFigure } from '../../../shared/learn/tradeoffs';
import { englishNote } from '../../../shared/notes';
import type { Environment, PhaseSummary, Run } from '../../../shared/run';
import { ratioOfMedians } from '../../../shared/stats';
import type { ReportFormat } from './format';
import { IntervalChart, type IntervalRow } from './IntervalChart';
import { fill, type ReportStrings } from './strings';

export type ReportDoc = { kind: 'run'; doc: Run } | { kind: 'comparison'; doc: Comparison };

interface Ctx {
  s: ReportStrings;
  f: ReportFormat;
}

export interface ReportProps extends Ctx {
  lang: string;
  docs: ReportDoc[];
  sources: PublishedFigure[];
  generatedAt: string;
  version: string;
  css: string;
}

/** The whole report: one page, no script, styles inline, every figure with its interval, notes and sources. */
export function Report({ lang, docs, sources, generatedAt, version, css, s, f }: ReportProps) {
  const ctx = { s, f };
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        {/* Nothing in the report may load anything: no script, no request, whatever a document holds. */}
        <meta httpEquiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content={`isolab ${version}`} />
        <title>{`${s.title}: ${docs.map((d) => d.doc.id).join(', ')}`}</title>
        <style>{css}</style>
      </head>
      <body>
        <header className="report-head">
          <h1>{s.title}</h1>
          <p className="subtitle">{s.subtitle}</p>
          <p className="muted">{fill(s.generated, { at: f.date(generatedAt), version })}</p>
        </header>
        <nav aria-label={s.contents} className="toc">
          <h2>{s.contents}</h2>
          <ol>
            {docs.map((d, i) => (
              <li key={d.doc.id}>
                <a href={`#doc-${i}`}>{`${d.kind === 'comparison' ? s.comparison : s.run} ${d.kind === 'run' ? d.doc.model : ''} ${d.doc.id}`.replace(/\s+/g, ' ')}</a>
              </li>
            ))}
            <li>
              <a href="#sources">{s.sources}</a>
            </li>
          </ol>
        </nav>
        <main>
          {docs.map((d, i) => (d.kind === 'comparison' ? <ComparisonSection key={d.doc.id} c={d.doc} n={i} {...ctx} /> : <RunSection key={d.doc.id} run={d.doc} n={i} {...ctx} />))}
          <Sources sources={sources} {...ctx} />
        </main>
        <footer>
          <p className="muted print-hint">{s.print}</p>
        </footer>
      </body>
    </html>
  );
}

function Header({ n, title, doc, s, f }: Ctx & { n: number; title: string; doc: Run | Comparison }) {
  return (
    <>
      <h2 id={`doc-${n}`}>{title}</h2>
      <dl className="facts">
        <Fact k={s.id} v={doc.id} mono />
        <Fact k={s.status} v={s.statusNames[doc.status] ?? doc.status} />
        <Fact k={s.started} v={f.date(doc.startedAt)} />
        <Fact k={s.finished} v={doc.finishedAt && f.date(doc.finishedAt)} />
        <Fact k={s.imported} v={doc.imported && fill(s.importedFrom, { file: doc.imported.entry ? `${doc.imported.file} (${doc.imported.entry})` : doc.imported.file, at: f.date(doc.imported.at) })} />
      </dl>
    </>
  );
}

function Fact({ k, v, mono }: { k: string; v: string | undefined | false; mono?: boolean }) {
  if (!v) return null;
  return (
    <div>
      <dt>{k}</dt>
      <dd className={mono ? 'mono' : undefined}>{v}</dd>
    </div>
  );
}

function EnvironmentBlock({ env, n, s, f }: Ctx & { env: Environment; n: number }) {
  const h = env.host;
  const e = env.engine;
  const remote = env.remote as { target?: unknown } | undefined;
  return (
    <section aria-labelledby={`env-${n}`}>
      <h3 id={`env-${n}`}>{s.environment}</h3>
      <dl className="facts">
        <Fact k={s.remote} v={typeof remote?.target === 'string' && remote.target} />
        <Fact k={s.host} v={[h.hostname, h.arch].filter(Boolean).join(' · ')} />
        <Fact k={s.machine} v={h.machineId} mono />
        <Fact k={s.os} v={h.os} />
        <Fact k={s.kernel} v={h.kernel} />
        <Fact k={s.cpu} v={h.cpus ? `${h.cpus} × ${h.cpuModel ?? '?'}` : undefined} />
        <Fact k={s.memory} v={h.memoryBytes ? f.bytes(h.memoryBytes) : undefined} />
        <Fact k={s.virtualization} v={h.virtualization} />
        <Fact k={s.engine} v={e && `${e.name} ${e.version}${e.apiVersion ? ` (API ${e.apiVersion})` : ''}`} />
        <Fact k={s.runtime} v={e?.runtime ?? e?.defaultRuntime} />
        <Fact k={s.storage} v={e?.storageDriver} />
        <Fact k={s.cgroup} v={e?.cgroupVersion && `v${e.cgroupVersion}${e.cgroupDriver ? ` (${e.cgroupDriver})` : ''}`} />
        <Fact k={s.accelerator} v={env.accelerator} />
        <Fact k="isolab" v={`${env.isolabVersion}${env.node ? ` · Node ${env.node}` : ''}`} />
      </dl>
    </section>
  );
}

function PlanBlock({ plan, n, s }: Ctx & { plan: Record<string, unknown>; n: number }) {
  const entries = Object.entries(plan).filter(([, v]) => v !== undefined);
  return (
    <section aria-labelledby={`plan-${n}`}>
      <h3 id={`plan-${n}`}>{s.plan}</h3>
      {entries.length === 0 ? (
        <p className="muted">{s.planEmpty}</p>
      ) : (
        <dl className="facts">
          {entries.map(([k, v]) => (
            <Fact key={k} k={k} v={typeof v === 'object' ? JSON.stringify(v) : String(v)} mono />
          ))}
        </dl>
      )}
    </section>
  );
}

function NotesBlock({ notes, error, n, s }: Ctx & { notes: string[]; error?: string; n: number }) {
  const unique = [...new Set(notes)];
  return (
    <section aria-labelledby={`notes-${n}`}>
      <h3 id={`notes-${n}`}>{s.notes}</h3>
      {error && (
        <p className="error">
          <strong>{s.error}:</strong> {error}
        </p>
      )}
      {unique.length === 0 ? (
        <p className="muted">{s.noNotes}</p>
      ) : (
        <>
          <p className="muted small">{s.notesAsRecorded}</p>
          <ul className="notes">
            {unique.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ComparisonSection({ c, n, s, f }: Ctx & { c: Comparison; n: number }) {
  const ctx = { s, f };
  const timed = c.models.filter((m) => m.startup?.readyMs.length);
  const rows: IntervalRow[] = timed.map((m) => ({ label: m.model, median: m.startup!.ready.median, lo: m.startup!.ready.ci95[0], hi: m.startup!.ready.ci95[1] }));
  const withFp = c.models.filter((m) => m.footprint);
  const withDensity = c.models.filter((m) => m.density?.steps.length);
  return (
    <article className="doc" aria-labelledby={`doc-${n}`}>
      <Header n={n} title={`${s.comparison}${typeof c.plan.name === 'string' ? `: ${c.plan.name}` : ''}`} doc={c} {...ctx} />
      <EnvironmentBlock env={c.environment} n={n} {...ctx} />
      <PlanBlock plan={c.plan} n={n} {...ctx} />
      <section aria-labelledby={`fig-${n}`}>
        <h3 id={`fig-${n}`}>{s.figures}</h3>
        <p>{fill(s.floorIs, { floor: c.floor })}</p>
        <IntervalChart id={`chart-${n}`} title={s.startupChart} desc={s.startupChartDesc} rows={rows} fmt={f} logLabel={s.logScale} />
        <table>
          <caption>{s.figures}</caption>
          <thead>
            <tr>
              <th scope="col">{s.model}</th>
              <th scope="col">{s.status}</th>
              <th scope="col">{s.medianReady}</th>
              <th scope="col">{s.ci95}</th>
              <th scope="col">{s.timesFloor}</th>
              <th scope="col">{s.timesFloorCi}</th>
              <th scope="col">{s.lifecycle}</th>
            </tr>
          </thead>
          <tbody>
            {c.models.map((m) => (
              <ModelRow key={m.model} m={m} {...ctx} />
            ))}
          </tbody>
        </table>
        {withFp.length > 0 && (
          <table>
            <caption>{s.footprint}</caption>
            <thead>
              <tr>
                <th scope="col">{s.model}</th>
                <th scope="col">{s.instances}</th>
                <th scope="col">{s.cgroupMem}</th>
                <th scope="col">{s.hostMem}</th>
                <th scope="col">{s.helperPss}</th>
                <th scope="col">{s.cpuStart}</th>
              </tr>
            </thead>
            <tbody>
              {withFp.map((m) => (
                <tr key={m.model}>
                  <th scope="row">{m.model}</th>
                  <td className="num">{m.footprint!.instances}</td>
                  <td className="num">{f.bytes(m.footprint!.memory.cgroupBytes)}</td>
                  <td className="num">{f.bytes(m.footprint!.memory.hostBytes)}</td>
                  <td className="num">{f.bytes(m.footprint!.memory.helperPssBytes)}</td>
                  <td className="num">{f.ms(m.footprint!.cpu.startupMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {withDensity.length > 0 && (
          <table>
            <caption>{s.density}</caption>
            <thead>
              <tr>
                <th scope="col">{s.model}</th>
                <th scope="col">{s.running}</th>
                <th scope="col">{s.latency}</th>
                <th scope="col">{s.memPerNew}</th>
                <th scope="col">{s.stoppedBy}</th>
              </tr>
            </thead>
            <tbody>
              {withDensity.flatMap((m) =>
                m.density!.steps.map((st) => (
                  <tr key={`${m.model}-${st.count}`}>
                    <th scope="row">{m.model}</th>
                    <td className="num">{st.count}</td>
                    <td className="num">{f.ms(st.medianLatencyMs)}</td>
                    <td className="num">{f.bytes(st.memPerNewInstanceBytes)}</td>
                    <td>{m.density!.stoppedBy}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </section>
      <NotesBlock notes={[...c.notes.map(englishNote), ...c.models.flatMap((m) => m.notes.map((x) => `${m.model}: ${englishNote(x)}`))]} n={n} {...ctx} />
    </article>
  );
}

function ModelRow({ m, s, f }: Ctx & { m: ModelResult }) {
  const r = m.startup?.ready;
  const ratio = m.ratios?.ready;
  return (
    <tr>
      <th scope="row">{m.model}</th>
      <td>
        {s.statusNames[m.status] ?? m.status}
        {m.error && <span className="small muted">{` — ${m.error}`}</span>}
      </td>
      <td className="num">{r ? f.ms(r.median) : '–'}</td>
      <td className="num">{r ? `${f.ms(r.ci95[0])} – ${f.ms(r.ci95[1])}` : '–'}</td>
      <td className="num">{f.ratio(ratio?.ratio)}</td>
      <td className="num">{ratio ? `${f.ratio(ratio.ci95[0])} – ${f.ratio(ratio.ci95[1])}` : '–'}</td>
      <td className="num">{f.ms(m.startup?.summary.total?.median)}</td>
    </tr>
  );
}

function RunSection({ run, n, s, f }: Ctx & { run: Run; n: number }) {
  const ctx = { s, f };
  const phases = (order: string[], summary: Record<string, PhaseSummary>) => [...order, 'total'].filter((p) => summary[p]);
  const rows: IntervalRow[] = phases(run.phaseOrder, run.summary).map((p) => ({ label: p, median: run.summary[p].median, lo: run.summary[p].ci95[0], hi: run.summary[p].ci95[1] }));
  const ratio = baselineRatio(run);
  return (
    <article className="doc" aria-labelledby={`doc-${n}`}>
      <Header n={n} title={`${s.run}: ${run.model}`} doc={run} {...ctx} />
      <EnvironmentBlock env={run.environment} n={n} {...ctx} />
      <PlanBlock plan={run.plan} n={n} {...ctx} />
      <section aria-labelledby={`fig-${n}`}>
        <h3 id={`fig-${n}`}>{s.figures}</h3>
        <IntervalChart id={`chart-${n}`} title={s.phaseChart} desc={s.phaseChartDesc} rows={rows} fmt={f} logLabel={s.logScale} />
        <PhaseTable caption={s.phases} order={run.phaseOrder} summary={run.summary} {...ctx} />
        {run.baseline && <PhaseTable caption={fill(s.baseline, { model: run.baseline.model })} order={run.baseline.phaseOrder} summary={run.baseline.summary} {...ctx} />}
        {ratio && <p>{fill(s.ratioLine, { model: run.model, ratio: f.ratio(ratio.ratio), lo: f.ratio(ratio.ci95[0]), hi: f.ratio(ratio.ci95[1]) })}</p>}
      </section>
      <NotesBlock notes={run.notes.map(englishNote)} error={run.error} n={n} {...ctx} />
    </article>
  );
}

/** The run against the floor measured beside it, as `isolab runs show` prints it. */
function baselineRatio(run: Run): { ratio: number; ci95: [number, number] } | undefined {
  const a = run.samples.filter((x) => !x.warmup).map((x) => x.totalMs);
  const b = run.baseline?.samples.filter((x) => !x.warmup).map((x) => x.totalMs) ?? [];
  if (!a.length || !b.length) return undefined;
  const r = ratioOfMedians(a, b);
  return Number.isFinite(r.ratio) ? r : undefined;
}

function PhaseTable({ caption, order, summary, s, f }: Ctx & { caption: string; order: string[]; summary: Record<string, PhaseSummary> }) {
  const rows = [...order, 'total'].filter((p) => summary[p]);
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{s.phase}</th>
          <th scope="col">{s.n}</th>
          <th scope="col">{s.median}</th>
          <th scope="col">{s.ci95}</th>
          <th scope="col">{s.meanSd}</th>
          <th scope="col">{s.p95}</th>
          <th scope="col">{s.minMax}</th>
          <th scope="col">{s.outliers}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => {
          const x = summary[p];
          return (
            <tr key={p}>
              <th scope="row">{p}</th>
              <td className="num">{x.n}</td>
              <td className="num">{f.ms(x.median)}</td>
              <td className="num">{`${f.ms(x.ci95[0])} – ${f.ms(x.ci95[1])}`}</td>
              <td className="num">{`${f.ms(x.mean)} ± ${f.ms(x.stddev)}`}</td>
              <td className="num">{f.ms(x.p95)}</td>
              <td className="num">{`${f.ms(x.min)} … ${f.ms(x.max)}`}</td>
              <td className="num">{x.outliers.length}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Sources({ sources, s }: Ctx & { sources: PublishedFigure[] }) {
  return (
    <section id="sources" aria-labelledby="sources-title" className="doc">
      <h2 id="sources-title">{s.sources}</h2>
      <p>{s.sourcesIntro}</p>
      {sources.length === 0 ? (
        <p className="muted">{s.noSources}</p>
      ) : (
        <table>
          <caption>{s.sources}</caption>
          <thead>
            <tr>
              <th scope="col">{s.model}</th>
              <th scope="col">{s.metric}</th>
              <th scope="col">{s.value}</th>
              <th scope="col">{s.setting}</th>
              <th scope="col">{s.source}</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((x) => (
              <tr key={`${x.model}-${x.metric}-${x.source}`}>
                <th scope="row">{x.model}</th>
                <td>{x.metric}</td>
                <td className="num">{`${x.value} ${x.unit}`}</td>
                <td className="small">{`${x.kind}; ${x.setting}`}</td>
                <td className="small">
                  {x.url ? <a href={x.url}>{x.source}</a> : x.source}
                  {x.url && <span className="url">{` <${x.url}>`}</span>}
                  {!x.verified && <em>{` (${s.secondary})`}</em>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
