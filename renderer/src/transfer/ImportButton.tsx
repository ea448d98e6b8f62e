import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportOutcome } from '../../../shared/import';
import { IMPORT_LIMITS, isRefusal } from '../../../shared/import-limits';
import { useLab } from '../lab/LabContext';

/** Browser mode's WebSocket takes frames of at most 1 MiB (electron/serve.ts): base64 of ~700 KiB fits. */
const BROWSER_FILE_BYTES = 700 * 1024;

/**
 * The Runs page's Import: .json documents or .zip files made by another isolab. The files go to the engine as
 * names and bytes (never paths); what each gave is listed in words, and nothing local is ever overwritten.
 */
export function ImportButton({ onDone }: { onDone(outcomes: ImportOutcome[]): void }) {
  const { t } = useTranslation('transfer');
  const { api, info } = useLab();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const limit = info?.face === 'browser' ? BROWSER_FILE_BYTES : IMPORT_LIMITS.fileBytes;

  const importFiles = async (files: File[]) => {
    setBusy(true);
    const all: ImportOutcome[] = [];
    for (const file of files) {
      if (file.size > limit) {
        all.push({ file: file.name, code: 'too-large', detail: t('tooLargeHere', { size: Math.ceil(limit / 1024) }) });
        continue;
      }
      try {
        const base64 = toBase64(new Uint8Array(await file.arrayBuffer()));
        all.push(...(await api.importRuns([{ name: file.name, base64 }])).outcomes);
      } catch (err) {
        all.push({ file: file.name, code: 'unreadable', detail: (err as Error).message });
      }
    }
    setBusy(false);
    onDone(all);
  };

  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        accept=".json,.zip,application/json,application/zip"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) void importFiles(files);
        }}
      />
      <button type="button" className="button" disabled={busy} onClick={() => input.current?.click()}>
        {busy ? t('importing') : t('import')}
      </button>
    </>
  );
}

/** What each file gave, in words; a warning when something was refused. */
export function ImportResult({ outcomes }: { outcomes: ImportOutcome[] }) {
  const { t } = useTranslation('transfer');
  const imported = outcomes.filter((o) => o.code === 'imported').length;
  const refused = outcomes.filter((o) => isRefusal(o.code)).length;
  return (
    <div className={`banner import-result${refused ? ' banner-warn' : ''}`} role="status" data-testid="import-result">
      <p className="banner-text">{t('summary', { imported, other: outcomes.length - imported - refused, refused })}</p>
      <ul className="import-outcomes">
        {outcomes.map((o, i) => (
          <li key={i}>
            <span className="mono">{o.entry ? `${o.file} › ${o.entry}` : o.file}</span>
            {o.id && <span className="mono">{` (${o.id})`}</span>}
            {`: ${t(`code.${o.code}`)}`}
            {o.detail && <span className="muted">{` — ${o.detail}`}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
