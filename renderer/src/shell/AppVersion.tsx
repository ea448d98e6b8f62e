import { useLab } from '../lab/LabContext';

/** Which isolab answers and through which face: useful in bug reports and screenshots. */
export function AppVersion() {
  const { info } = useLab();
  if (!info) return null;
  return <p className="app-version muted small mono">{`isolab ${info.version} · ${info.face}`}</p>;
}
