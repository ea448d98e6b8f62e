import { describe, expect, it } from 'vitest';
import { audienceEvent } from '../../electron/audience';
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
});
