import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLab } from '../lab/LabContext';

/**
 * Export report: the engine renders one self-contained HTML file (no script, no request) in the reader's
 * language; it is saved as a download, or printed (the browser's print dialog, "Save as PDF" there) from a
 * hidden frame that holds it, so the app's own page is not what prints.
 */
export function ReportButtons({ ids }: { ids: string[] }) {
  const { t, i18n } = useTranslation('transfer');
  const { api, readOnly } = useLab();
  const [error, setError] = useState<string>();
  if (readOnly) return null;
  const lang = i18n.language.startsWith('fr') ? 'fr' : 'en';

  const make = async (): Promise<string | undefined> => {
    try {
      const html = await api.report(ids, lang);
      setError(undefined);
      return html;
    } catch (err) {
      setError((err as Error).message);
      return undefined;
    }
  };
  const download = async () => {
    const html = await make();
    if (!html) return;
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `isolab-report-${ids[0]}.html`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const print = async () => {
    const html = await make();
    if (!html) return;
    const frame = document.createElement('iframe');
    frame.title = t('report.frame');
    frame.style.cssText = 'position:fixed;width:0;height:0;border:0;right:0;bottom:0';
    frame.srcdoc = html;
    frame.onload = () => {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
      setTimeout(() => frame.remove(), 60_000);
    };
    document.body.append(frame);
  };
  return (
    <div className="compare-export" role="group" aria-label={t('report.label')}>
      <button type="button" className="button button-small" onClick={() => void download()} data-testid="export-report">
        {t('report.export')}
      </button>
      <button type="button" className="button button-small" onClick={() => void print()}>
        {t('report.print')}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
