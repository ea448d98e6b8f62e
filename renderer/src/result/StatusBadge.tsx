import { useTranslation } from 'react-i18next';
import type { RunStatus } from '../../../shared/run';

const TONE: Record<RunStatus, string> = { complete: 'ok', cancelled: 'muted', failed: 'danger', partial: 'warn', interrupted: 'danger' };

export function StatusBadge({ status }: { status: RunStatus }) {
  const { t } = useTranslation('result');
  return (
    <span className={`badge badge-${TONE[status]}`} data-testid="status">
      {t(`status.${status}`)}
    </span>
  );
}
