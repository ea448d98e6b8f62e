import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SavedFleet, type HostListItem } from '../../../shared/api-hosts';
import { useLab } from '../lab/LabContext';

/**
 * Fleets: a name for a set of hosts compared together, saved with the hosts (the CLI's `isolab compare --fleet
 * NAME` takes the same ones). Members are the hosts listed on this page, chosen by name.
 */
export function FleetsSection({ hosts, busy, onCompare }: { hosts: HostListItem[]; busy: boolean; onCompare(names: string[]): void }) {
  const { t } = useTranslation('hosts');
  const { api } = useLab();
  const [fleets, setFleets] = useState<SavedFleet[]>([]);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const refresh = useCallback(() => {
    api.listFleets().then(setFleets, (err: Error) => setError(err.message));
  }, [api]);
  // The hosts change when one is added or removed (a removed host leaves its fleets on the engine's side).
  useEffect(refresh, [refresh, hosts]);

  const save = async () => {
    const parsed = SavedFleet.safeParse({ name: name.trim(), hosts: chosen });
    if (!parsed.success) return setError(parsed.error.issues.map((i) => i.message).join('; '));
    try {
      await api.saveFleet(parsed.data);
      setError(undefined);
      setName('');
      setChosen([]);
      refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const toggle = (h: string, on: boolean) => setChosen((cur) => (on ? [...cur, h] : cur.filter((x) => x !== h)));

  return (
    <section className="card" data-testid="fleets">
      <h2>{t('fleets.title')}</h2>
      <p className="muted small">{t('fleets.intro')}</p>
      {fleets.length > 0 && (
        <ul className="hosts-fleets">
          {fleets.map((f) => (
            <li key={f.name} data-testid={`fleet-${f.name}`}>
              <span className="mono">{f.name}</span> <span className="muted small">{f.hosts.join(', ')}</span>{' '}
              <button type="button" className="button" disabled={busy} onClick={() => onCompare(f.hosts)} data-testid={`compare-fleet-${f.name}`}>
                {t('fleets.compare', { count: f.hosts.length })}
              </button>{' '}
              <button type="button" className="button button-small" onClick={() => void api.removeFleet(f.name).then(refresh)} aria-label={t('fleets.removeLabel', { name: f.name })}>
                {t('fleets.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>{t('fleets.new')}</h3>
        <label className="field hosts-fleet-name">
          <span>{t('fleets.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="azure-eu" required data-testid="fleet-name" />
        </label>
        <fieldset className="hosts-fleet-members">
          <legend>{t('fleets.members')}</legend>
          {hosts.map((h) => (
            <label key={h.name} className="field-check">
              <input type="checkbox" checked={chosen.includes(h.name)} onChange={(e) => toggle(h.name, e.target.checked)} data-testid={`fleet-member-${h.name}`} />
              <span className="mono">{h.name}</span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button" data-testid="fleet-save">
            {t('fleets.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
