import { useTranslation } from 'react-i18next';
import type { LabEvent } from '../../../../shared/api';

type NotSavedInfo = NonNullable<Extract<LabEvent, { type: 'run-finished' }>['notSaved']>;
const KNOWN = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS']);

/** The run was measured but the data directory would not take it: why, and where what was measured went. */
export function NotSaved({ info }: { info: NotSavedInfo }) {
  const { t } = useTranslation('bench');
  const why = info.code && KNOWN.has(info.code) ? t(`notSaved.why.${info.code}`) : t('notSaved.why.other', { code: info.code ?? '?' });
  const dir = info.file.replace(/[\\/][^\\/]*$/, '');
  return (
    <div className="banner banner-danger" role="alert" data-testid="run-not-saved">
      <div>
        <strong>{t('notSaved.title')}</strong>
        <p>{t('notSaved.where', { file: info.file, why })}</p>
        <p>{info.fallback ? t('notSaved.kept', { fallback: info.fallback, dir }) : t('notSaved.lost')}</p>
      </div>
    </div>
  );
}
