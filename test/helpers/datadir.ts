import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throwaway data directory for one test file; ISOLAB_DATA_DIR points at it so nothing touches the user's. */
export function tempDataDir(prefix = 'isolab-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.ISOLAB_DATA_DIR = dir;
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
