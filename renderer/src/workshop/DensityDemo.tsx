import { useTranslation } from 'react-i18next';
import type { DensityDemo as Density } from '../../../shared/learn/race';
import { useFormat } from '../format';
import { useBytes } from '../learn/units';

const BOX_W = 320;
const BOX_H = 320;

/** Two 1 GiB boxes filled with as many instances as fit, each square's area its measured cost. */
export function DensityDemo({ data, busy, onMeasure, readOnly }: { data?: Density; busy: boolean; onMeasure(): void; readOnly: boolean }) {
  const { t } = useTranslation('workshop');
  return (
    <section className="demo" aria-labelledby="density-title" data-testid="density-demo">
      <h2 id="density-title">{t('density.title')}</h2>
      <p className="muted">{t('density.lead')}</p>
      {!readOnly && (
        <div className="demo-controls">
          <button type="button" className="button button-primary" disabled={busy} onClick={onMeasure} data-testid="density-measure">
            {busy ? t('density.measuring') : t('density.measure')}
          </button>
        </div>
      )}
      {data && (
        <div className="density-boxes">
          <Box what={t('density.containers')} side={data.container} budget={data.budgetBytes} colour="var(--c1)" />
          <Box what={t('density.vms')} side={data.vm} budget={data.budgetBytes} colour="var(--c4)" />
        </div>
      )}
    </section>
  );
}

function Box({ what, side, budget, colour }: { what: string; side: Density['container']; budget: number; colour: string }) {
  const { t } = useTranslation('workshop');
  const f = useFormat();
  const bytes = useBytes();
  const fits = side.fits ?? 0;
  const per = side.perInstanceBytes;
  // A grid that holds all `fits` squares; each square's area is close to its share of the budget.
  const cols = fits ? Math.max(1, Math.ceil(Math.sqrt((fits * BOX_W) / BOX_H))) : 0;
  const rows = cols ? Math.ceil(fits / cols) : 0;
  const cell = per && cols ? Math.min(BOX_W / cols, BOX_H / rows, Math.sqrt((BOX_W * BOX_H * per) / budget)) : 0;
  const label = per ? t('density.chartLabel', { what, fits: f.int(fits), per: bytes(per) }) : `${what}: ${t('density.none')}`;
  return (
    <figure className="density-box">
      <figcaption>
        <strong>{what}</strong>
        <span className="figure-value" data-testid={`density-fits-${what}`}>{per ? t('density.fits', { value: f.int(fits) }) : t('density.none')}</span>
        {per && <span className="small muted">{t('density.per', { value: bytes(per) })}</span>}
      </figcaption>
      <svg viewBox={`0 0 ${BOX_W} ${BOX_H}`} width="100%" role="img" aria-label={label}>
        <rect x={0.5} y={0.5} width={BOX_W - 1} height={BOX_H - 1} className="density-frame" />
        {cell > 0 &&
          Array.from({ length: Math.min(fits, 4096) }, (_, i) => {
            const c = i % cols;
            const r = Math.floor(i / cols);
            const gap = cell > 6 ? 1.5 : 0.5;
            return <rect key={i} x={c * cell + gap} y={r * cell + gap} width={Math.max(0.5, cell - 2 * gap)} height={Math.max(0.5, cell - 2 * gap)} fill={colour} rx={cell > 12 ? 3 : 0} />;
          })}
      </svg>
      <p className="small muted" title={side.source}>
        {side.error ? side.error : t('density.source', { source: t(`density.how.${side.how}`, { ref: side.ref }) })}
      </p>
    </figure>
  );
}
