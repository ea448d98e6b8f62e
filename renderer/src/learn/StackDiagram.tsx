import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { sharesHostKernel, type Layer, type ModelStack } from '../../../shared/learn/content';

export interface ActiveLayer {
  model: string;
  layer: string;
}

const W = 280;
const ROW = 40;
const GAP = 6;

/**
 * One isolation model as a stack of layers, hardware at the bottom. A shared layer spans the width; a layer
 * each tenant has its own is drawn twice, side by side. Each layer is focusable: hovering or focusing it
 * selects it, and the panel beside the diagrams says what it shares and what it isolates.
 */
export function StackDiagram({ model, active, onSelect }: { model: ModelStack; active?: ActiveLayer; onSelect(a: ActiveLayer): void }) {
  const { t } = useTranslation('learn');
  const titleId = useId();
  const layers = [...model.layers].reverse(); // top row first
  const height = layers.length * (ROW + GAP) + 22;
  const name = (l: Layer) => t(`layers.${model.id}.${l.id}.name`);
  const kernel = sharesHostKernel(model) ? t('diagrams.kernelShared') : t('diagrams.ownKernel');
  return (
    <figure className="stack">
      <figcaption id={titleId}>
        <strong>{t(`models.${model.id}.name`)}</strong>
        <span className={`stack-kernel ${sharesHostKernel(model) ? 'is-shared' : 'is-own'}`}>{kernel}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        width="100%"
        role="group"
        aria-labelledby={titleId}
        aria-describedby={`${titleId}-desc`}
      >
        <desc id={`${titleId}-desc`}>{t('diagrams.diagramLabel', { model: t(`models.${model.id}.name`), layers: model.layers.map(name).join(', '), kernel })}</desc>
        <text x={W * 0.25} y={12} className="stack-tenant" textAnchor="middle">{t('diagrams.tenant', { n: 1 })}</text>
        <text x={W * 0.75} y={12} className="stack-tenant" textAnchor="middle">{t('diagrams.tenant', { n: 2 })}</text>
        {layers.map((l, i) => {
          const y = 20 + i * (ROW + GAP);
          const boxes = l.shared ? [{ x: 0, w: W }] : [{ x: 0, w: W / 2 - 3 }, { x: W / 2 + 3, w: W / 2 - 3 }];
          const selected = active?.model === model.id && active.layer === l.id;
          const select = () => onSelect({ model: model.id, layer: l.id });
          return (
            <g
              key={l.id}
              className={`layer tone-${l.tone}${selected ? ' is-active' : ''}`}
              tabIndex={0}
              role="button"
              aria-pressed={selected}
              aria-label={`${name(l)}: ${l.shared ? t('diagrams.shared') : t('diagrams.perTenant')}`}
              onMouseEnter={select}
              onFocus={select}
              onClick={select}
              data-layer={`${model.id}.${l.id}`}
            >
              {boxes.map((b, k) => (
                <g key={k}>
                  <rect x={b.x + 1} y={y} width={b.w - 2} height={ROW} rx={7} />
                  <Label x={b.x + b.w / 2} y={y + ROW / 2} text={t(`layers.${model.id}.${l.id}.short`, { defaultValue: name(l) })} max={l.shared ? 40 : 22} />
                </g>
              ))}
            </g>
          );
        })}
      </svg>
      <p className="small muted">{t('diagrams.examples', { list: t(`models.${model.id}.examples`) })}</p>
    </figure>
  );
}

/** One centred line, or two smaller ones when the short name has a line break. */
function Label({ x, y, text, max }: { x: number; y: number; text: string; max: number }) {
  const lines = text.split('\n');
  if (lines.length === 1) {
    return (
      <text x={x} y={y} dominantBaseline="central" textAnchor="middle">
        {shorten(text, max)}
      </text>
    );
  }
  return (
    <text x={x} y={y} textAnchor="middle" className="two-lines">
      {lines.slice(0, 2).map((l, i) => (
        <tspan key={i} x={x} dy={i === 0 ? '-0.25em' : '1.15em'}>
          {shorten(l, max + 2)}
        </tspan>
      ))}
    </text>
  );
}

function shorten(s: string, n: number): string {
  const base = s.replace(/\s*\(.*\)$/, '');
  return base.length > n ? base.slice(0, n - 1) + '…' : base;
}
