import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SwarmDoc, SwarmListItem } from '../../../shared/swarm';
import { useFormat } from '../format';
import { useLab } from '../lab/LabContext';
import { SwarmResult } from './SwarmResult';

/**
 * The swarm benches saved before: newest first, each opened on demand (a document is read only when asked).
 * `refresh` changes when a bench ends, so the list takes it in without a reload.
 */
export function SwarmHistory({ refresh, hide }: { refresh: unknown; hide?: string }) {
  const { t } = useTranslation('swarm');
  const f = useFormat();
  const { api } = useLab();
  const [items, setItems] = useState<SwarmListItem[]>();
  const [open, setOpen] = useState<SwarmDoc>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    api.listSwarm().then(
      (list) => live && setItems([...list].sort((a, b) => b.startedAt.localeCompare(a.startedAt))),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [api, refresh]);

  const show = (id: string) => {
    if (open?.id === id) return setOpen(undefined);
    setError(undefined);
    api.getSwarm(id).then(setOpen, (err: Error) => setError(err.message));
  };

  const shown = items?.filter((i) => i.id !== hide) ?? [];
  if (!items || (!shown.length && !error)) return null;
  return (
    <section className="card" data-testid="swarm-history">
      <h2>{t('history.title')}</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('history.started')}</th>
            <th scope="col">{t('history.status')}</th>
            <th scope="col">{t('history.tasks')}</th>
            <th scope="col">{t('history.allRunning')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('history.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => (
            <tr key={i.id}>
              <td>{f.date(i.startedAt)}</td>
              <td>{t(`status.${i.status}`)}</td>
              <td>{i.replicas === undefined ? '–' : i.scaleTo ? `${i.replicas} → ${i.scaleTo}` : i.replicas}</td>
              <td>{f.ms(i.medianAllRunningMs)}</td>
              <td>
                <button type="button" className="button button-small" onClick={() => show(i.id)} aria-expanded={open?.id === i.id} data-testid={`swarm-open-${i.id}`}>
                  {open?.id === i.id ? t('history.close') : t('history.open')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {open && <SwarmResult doc={open} />}
    </section>
  );
}
