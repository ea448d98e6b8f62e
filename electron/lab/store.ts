import { Run, RUN_SCHEMA, toListItem, type RunListItem } from '../../shared/run';
import { JsonStore, NotSavedError, StoreError } from './json-store';
import { runsDir } from './paths';
import { parseRunFast } from './run-parse';

export { NotSavedError, StoreError };

/** Run documents on disk, one JSON file per run, in <data dir>/runs. */
export class RunStore extends JsonStore<Run, RunListItem> {
  constructor(dir = runsDir()) {
    super({ dir, noun: 'run', schema: Run, schemaName: RUN_SCHEMA, fastParse: parseRunFast, toListItem });
  }
}

/** Sortable, unique, readable: 20261126T160102123Z-container-runc-3fa2. */
export function newRunId(model: string, date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('.', '');
  const slug = model.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
  const rand = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
  return `${stamp}-${slug}-${rand}`;
}
