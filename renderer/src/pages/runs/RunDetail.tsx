import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from '../../../../shared/run';
import { early } from '../../lab/early';
import { useLab, useRunEvent } from '../../lab/LabContext';
import { ResultView } from '../../result/ResultView';
import { ReportButtons } from '../../transfer/ReportButtons';
import { href } from '../../router';

export function RunDetail({ id }: { id: string }) {
  const { t } = useTranslation('runs');
  const { api, tracker } = useLab();
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    // The first read was started at boot (lab/early.ts); a reload after the run ends asks the engine again.
    early(api, 'getRun', id).then(
      (r) => live && setRun(r),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
  }, [api, id, version]);
  // A partial run being watched: reload when it ends.
  useRunEvent(tracker, (e) => e.type === 'run-finished' && e.runId === id && setVersion((v) => v + 1));

  return (
    <div className="page">
      <p>
        <a href={href('runs')}>← {t('back')}</a>
      </p>
      {error && (
        <div className="banner banner-danger" role="alert">
          <p className="banner-text">{error}</p>
        </div>
      )}
      {!run && !error && <p className="muted">{t('loading')}</p>}
      {run && <ReportButtons ids={[run.id]} />}
      {run && <ResultView run={run} />}
    </div>
  );
}
