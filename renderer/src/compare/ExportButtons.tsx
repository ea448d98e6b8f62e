import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat } from '../../../shared/api';
import { useLab } from '../lab/LabContext';

const TYPES: Record<ExportFormat, string> = { json: 'application/json', csv: 'text/csv', md: 'text/markdown' };

/** Download a run or a comparison as JSON, CSV or Markdown, exactly as `isolab runs export` writes it. */
export function ExportButtons({ id }: { id: string }) {
  const { t } = useTranslation('compare');
  const { api } = useLab();
  const [error, setError] = useState<string>();
  const download = async (format: ExportFormat) => {
    try {
      const text = await api.exportRun(id, format);
      const url = URL.createObjectURL(new Blob([text], { type: TYPES[format] }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${id}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="compare-export" role="group" aria-label={t('export.label')}>
      <span className="muted small">{t('export.label')}</span>
      {(['json', 'csv', 'md'] as const).map((fmt) => (
        <button key={fmt} type="button" className="button button-small" onClick={() => void download(fmt)}>
          {t(`export.${fmt}`)}
        </button>
      ))}
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}
