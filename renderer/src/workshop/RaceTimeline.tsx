import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { summarizeMarks, type RaceMark, type RaceState } from '../../../shared/learn/race';
import { useFormat } from '../format';

const PHASE_COLOUR: Record<string, string> = {
  create: 'var(--c5)',
  ready: 'var(--c3)',
  started: 'var(--c1)',
  exit: 'var(--muted)',
  remove: 'var(--border)',
  spawn: 'var(--c4)',
  firmware: 'var(--c4)',
  kernel: 'var(--c6)',
  init: 'var(--c2)',
  ssh: 'var(--accent-2)',
  shutdown: 'var(--border)',
};

const W = 1000;
const LABEL = 120;
const LANE = 22;
const VM_LANE = 34;

/** A tick step of 1, 2 or 5 × 10^k that gives about six ticks. */
function step(max: number): number {
  const raw = max / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? p * 10;
}

/**
 * The race drawn live: one lane per container and one for the VM, each coloured by phase from the shared
 * zero point, growing with the clock while it runs. The SVG has a title and a description with the
 * result; the same marks are also offered as a table.
 */
export function RaceTimeline({ race, elapsedMs, large }: { race: RaceState; elapsedMs: number; large?: boolean }) {
  const { t } = useTranslation('workshop');
  const f = useFormat();
  const id = useId();
  const lanes = ['vm', ...Array.from({ length: race.containers }, (_, i) => `c${i + 1}`)];
  const byLane = new Map<string, RaceMark[]>(lanes.map((l) => [l, []]));
  for (const m of race.marks) byLane.get(m.lane)?.push(m);
  const lastMark = Math.max(0, ...race.marks.map((m) => m.atMs));
  const span = Math.max(1000, race.status === 'running' ? Math.max(elapsedMs, lastMark) : lastMark) * 1.06;
  const x = (ms: number) => LABEL + ((W - LABEL - 10) * ms) / span;
  const laneH = (l: string) => (l === 'vm' ? VM_LANE : LANE);
  const top = 8;
  const ys = new Map<string, number>();
  let y = top;
  for (const l of lanes) {
    ys.set(l, y);
    y += laneH(l) + 6;
  }
  const height = y + 28;
  const s = race.summary ?? summarizeMarks(race.marks, race.containers);
  const tick = step(span);
  const done = (l: string) => byLane.get(l)!.some((m) => m.phase === (l === 'vm' ? 'shutdown' : 'remove'));
  const laneName = (l: string) => (l === 'vm' ? t('race.lane.vm') : t('race.lane.c', { n: l.slice(1) }));
  const desc =
    race.status === 'running'
      ? t('race.chartDescRunning', { elapsed: f.ms(elapsedMs) })
      : t('race.chartDesc', { containers: race.containers, cMedian: f.ms(s.containerReadyMedianMs), vm: f.ms(s.vmSshMs) });

  return (
    <div className={`race-chart${large ? ' is-large' : ''}`}>
      <svg viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`} data-testid="race-timeline">
        <title id={`${id}-t`}>{t('race.chartTitle')}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        {Array.from({ length: Math.floor(span / tick) + 1 }, (_, i) => i * tick).map((ms) => (
          <g key={ms} className="race-tick">
            <line x1={x(ms)} x2={x(ms)} y1={top - 4} y2={y} />
            <text x={x(ms)} y={y + 14} textAnchor="middle">
              {f.int(ms)}
            </text>
          </g>
        ))}
        <text x={W - 10} y={y + 26} textAnchor="end" className="race-axis">
          {t('race.axis')}
        </text>
        {lanes.map((l) => {
          const ly = ys.get(l)!;
          const h = laneH(l);
          const marks = byLane.get(l)!;
          let prev = 0;
          return (
            <g key={l} className={`race-lane${l === 'vm' ? ' is-vm' : ''}`} data-lane={l}>
              <text x={LABEL - 8} y={ly + h / 2} textAnchor="end" dominantBaseline="central" className="race-lane-label">
                {laneName(l)}
              </text>
              {marks.map((m) => {
                const from = prev;
                prev = m.atMs;
                return <rect key={m.phase} x={x(from)} y={ly} width={Math.max(1, x(m.atMs) - x(from))} height={h} fill={PHASE_COLOUR[m.phase] ?? 'var(--muted)'} rx={3} />;
              })}
              {race.status === 'running' && !done(l) && <rect className="race-pending" x={x(prev)} y={ly} width={Math.max(0, x(elapsedMs) - x(prev))} height={h} rx={3} />}
              {marks
                .filter((m) => m.phase === (l === 'vm' ? 'ssh' : 'ready'))
                .map((m) => (
                  <g key="flag">
                    <circle cx={x(m.atMs)} cy={ly + h / 2} r={l === 'vm' ? 7 : 4.5} className="race-flag" />
                    {l === 'vm' && (
                      <text
                        x={x(m.atMs) > W - 170 ? x(m.atMs) - 12 : x(m.atMs) + 12}
                        textAnchor={x(m.atMs) > W - 170 ? 'end' : 'start'}
                        y={ly + h / 2}
                        dominantBaseline="central"
                        className="race-flag-label"
                      >
                        {t('race.phase.ssh')} {f.ms(m.atMs)}
                      </text>
                    )}
                  </g>
                ))}
            </g>
          );
        })}
        {s.containerReadyMedianMs !== undefined && (
          <line className="race-median" x1={x(s.containerReadyMedianMs)} x2={x(s.containerReadyMedianMs)} y1={top - 6} y2={y} />
        )}
      </svg>
      <Legend title={t('race.lane.vm')} phases={['firmware', 'kernel', 'init', 'ready', 'ssh', 'shutdown']} />
      <Legend title={t('race.containers')} phases={['create', 'ready', 'started', 'exit', 'remove']} />
      <details className="race-table">
        <summary>{t('race.tableToggle')}</summary>
        <table className="table num-table">
          <thead>
            <tr>
              <th scope="col">{t('race.tableLane')}</th>
              <th scope="col">{t('race.tablePhase')}</th>
              <th scope="col">{t('race.tableAt')}</th>
            </tr>
          </thead>
          <tbody>
            {race.marks.map((m, i) => (
              <tr key={i}>
                <th scope="row">{laneName(m.lane)}</th>
                <td>{t(`race.phase.${m.phase}`)}</td>
                <td>{f.ms(m.atMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}

/** Each segment is coloured by the phase that ends at its right edge. */
function Legend({ title, phases }: { title: string; phases: string[] }) {
  const { t } = useTranslation('workshop');
  return (
    <ul className="race-legend" aria-hidden="true">
      <li className="race-legend-title">{title}</li>
      {phases.map((p) => (
        <li key={p}>
          <span className="swatch" style={{ background: PHASE_COLOUR[p] }} />
          {t(`race.phase.${p}`)}
        </li>
      ))}
    </ul>
  );
}
