import { describe, expect, it } from 'vitest';
import { audienceEvent, withoutPaths } from '../../electron/audience';
import { StoreError } from '../../electron/lab/store';
import { newRunId } from '../../electron/lab/store';

describe('what the audience learns of the data directory', () => {
  it('gets a run-finished event without the paths of a run the disk could not take', () => {
    const runId = newRunId('process');
    const e = audienceEvent({ type: 'run-finished', runId, status: 'complete', notSaved: { file: '/home/alice/.local/share/isolab/runs/x.json', code: 'ENOSPC', fallback: '/tmp/isolab-unsaved/runs/x.json' } });
    expect(e).toEqual({ type: 'run-finished', runId, status: 'complete' });
    const plain = { type: 'run-finished' as const, runId, status: 'complete' as const };
    expect(audienceEvent(plain)).toBe(plain);
    expect(audienceEvent({ type: 'host-progress', host: 'alice@10.0.0.5', step: 'connect' })).toBeUndefined();
  });

  it('reads an error without the data directory or the home directory in it', () => {
    const err = withoutPaths(new StoreError('no run with id x in /home/alice/.local/share/isolab/runs (see /home/alice/notes)'), ['/home/alice/.local/share/isolab', '/home/alice']);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toBe('no run with id x in <data directory>/runs (see ~/notes)');
    expect(withoutPaths('plain', ['/x'])).toBe('plain');
  });
});
