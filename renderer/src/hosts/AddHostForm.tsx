import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SavedHost } from '../../../shared/api-hosts';

/** Add a host by name and target (alias or user@host:port), optional port and key file. Validated with the API's own schema. */
export function AddHostForm({ onSave, disabled }: { onSave(host: SavedHost): Promise<void>; disabled?: boolean }) {
  const { t } = useTranslation('hosts');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [port, setPort] = useState('');
  const [identityFile, setIdentityFile] = useState('');
  const [error, setError] = useState<string>();
  const submit = async () => {
    const parsed = SavedHost.safeParse({ name: name.trim(), target: target.trim(), port: port ? Number(port) : undefined, identityFile: identityFile.trim() || undefined });
    if (!parsed.success) return setError(parsed.error.issues.map((i) => `${t(`add.${String(i.path[0])}`)}: ${i.message}`).join('; '));
    setError(undefined);
    try {
      await onSave(parsed.data);
      setName('');
      setTarget('');
      setPort('');
      setIdentityFile('');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('add.title')}</h2>
      <div className="form-grid">
        <label className="field">
          <span>{t('add.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="azure-d4s" disabled={disabled} required data-testid="host-name" />
        </label>
        <label className="field">
          <span>{t('add.target')}</span>
          <input value={target} onChange={(e) => setTarget(e.target.value)} placeholder="azureuser@vm.example.org:22" disabled={disabled} required data-testid="host-target" />
          <small className="field-hint">{t('add.targetHint')}</small>
        </label>
        <label className="field">
          <span>{t('add.port')}</span>
          <input value={port} onChange={(e) => setPort(e.target.value.replace(/\D/g, ''))} inputMode="numeric" placeholder="22" disabled={disabled} />
        </label>
        <label className="field">
          <span>{t('add.identityFile')}</span>
          <input value={identityFile} onChange={(e) => setIdentityFile(e.target.value)} placeholder="~/.ssh/id_ed25519" disabled={disabled} data-testid="host-identity" />
        </label>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={disabled} data-testid="add-host">
          {t('add.save')}
        </button>
      </div>
    </form>
  );
}
