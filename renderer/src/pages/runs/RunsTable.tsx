import { useTranslation } from 'react-i18next';
import type { RunListItem } from '../../../../shared/run';
import { useFormat } from '../../format';
import { StatusBadge } from '../../result/StatusBadge';
import { href } from '../../router';
import { DeleteButton } from './DeleteButton';

export function RunsTable({ items, onDelete }: { items: RunListItem[]; onDelete?: (id: string) => void }) {
  const { t } = useTranslation('runs');
  const f = useFormat();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="runs-table">
        <thead>
          <tr>
            <th scope="col">{t('col.model')}</th>
            <th scope="col">{t('col.status')}</th>
            <th scope="col" className="num">{t('col.n')}</th>
            <th scope="col" className="num">{t('col.median')}</th>
            <th scope="col">{t('col.started')}</th>
            <th scope="col"><span className="visually-hidden">{t('col.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <a href={href('runs', r.id)} className="mono">
                  {r.model}
                </a>
                <div className="muted small mono">{r.label ? `${r.label} · ${r.id}` : r.id}</div>
              </th>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td className="num mono">{f.int(r.iterations)}</td>
              <td className="num mono">{f.ms(r.medianTotalMs)}</td>
              <td>{f.date(r.startedAt)}</td>
              <td className="actions">{onDelete && <DeleteButton label={r.model} onConfirm={() => onDelete(r.id)} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
