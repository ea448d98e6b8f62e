import envPaths from 'env-paths';
import path from 'node:path';

/**
 * Where isolab keeps its data: ISOLAB_DATA_DIR when set (tests, portable installs), else the platform's
 * data directory ($XDG_DATA_HOME/isolab on Linux, ~/Library/Application Support/isolab on macOS,
 * %LOCALAPPDATA%\isolab\Data on Windows). The Electron app points its userData at the same folder so the
 * app, the CLI and browser mode share one store.
 */
export function dataDir(): string {
  const override = process.env.ISOLAB_DATA_DIR;
  if (override) return path.resolve(override);
  return envPaths('isolab', { suffix: '' }).data;
}

export const runsDir = (root = dataDir()) => path.join(root, 'runs');
export const cacheDir = (root = dataDir()) => path.join(root, 'cache');
