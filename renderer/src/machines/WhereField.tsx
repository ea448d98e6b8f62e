import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostListItem } from '../../../shared/api-hosts';
import { useLab } from '../lab/LabContext';

/**
 * The Compare form's "Where": this machine (the default, '') or one of the saved hosts, by name. Only the
 * presenter's faces list hosts (the form is not shown to browser mode's audience); when the list cannot be
 * read the choice stays "this machine" and says why.
 */
export function WhereField({ value, onChange, disabled }: { value: string; onChange(host: string): void; disabled?: boolean }) {
  const { t } = useTranslation('machines');
  const { api } = useLab();
  const [hosts, setHosts] = useState<HostListItem[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.listHosts().then(
      (h) => live && setHosts(h),
      (err: Error) => live && (setHosts([]), setError(err.message)),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return (
    <label className="field">
      <span>{t('where.label')}</span>
      <select value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)} data-testid="compare-where" title={error ? t('where.unlisted', { message: error }) : undefined}>
        <option value="">{t('where.here')}</option>
        {hosts?.map((h) => (
          <option key={h.name} value={h.name}>
            {h.name === h.target ? h.name : `${h.name} (${h.target}${h.port ? `:${h.port}` : ''})`}
          </option>
        ))}
      </select>
    </label>
  );
}
