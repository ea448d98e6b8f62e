import { isJobRunning } from '../../../../shared/job-running';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunScan } from '../../../../shared/run';
import { useLab, useRunEvent } from '../../lab/LabContext';
import type { ImportOutcome } from '../../../../shared/import';
import { ImportButton, ImportResult } from '../../transfer/ImportButton';
import { RunsTable } from './RunsTable';
import { SkippedFiles } from './SkippedFiles';

export function RunsList() {
  const { t } = useTranslation('runs');
  const { api, tracker, readOnly } = useLab();
  const [scan, setScan] = useState<RunScan>();
  const items = scan?.runs;
  const [error, setError] = useState<string>();
  const [imported, setImported] = useState<ImportOutcome[]>();

  const load = useCallback(() => {
    api.scanRuns().then(
      (r) => {
        setScan(r);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  }, [api]);
  useEffect(load, [load]);
  // A run that starts is already on disk as "partial"; one that ends has its final status.
  useRunEvent(tracker, (e) => e.type !== 'progress' && load());

  const remove = async (id: string) => {
    try {
      await api.deleteRun(id);
    } catch (err) {
      // Not reloaded: the list is as it was, and the refusal stays on screen.
      return setError(isJobRunning(err) ? t('delete.running') : (err as Error).message);
    }
    load();
  };

  return (
    <div className="page">
      <div className="page-head page-head-row">
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
        </div>
        <div className="page-head-actions">
          {!readOnly && (
            <ImportButton
              onDone={(outcomes) => {
                setImported(outcomes);
                load();
              }}
            />
          )}
          <button type="button" className="button" onClick={load}>
            {t('refresh')}
          </button>
        </div>
      </div>
      {error && (
        <div className="banner banner-danger" role="alert">
          <p className="banner-text">{error}</p>
        </div>
      )}
      {imported && <ImportResult outcomes={imported} />}
      {scan && <SkippedFiles scan={scan} />}
      <section className="card">
        {!items ? <p className="muted">{t('loading')}</p> : items.length === 0 ? <p className="muted">{scan.skipped.length ? t('emptyReadable') : t('empty')}</p> : <RunsTable items={items} onDelete={readOnly ? undefined : remove} />}
      </section>
    </div>
  );
}
