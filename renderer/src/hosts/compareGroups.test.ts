import { describe, expect, it } from 'vitest';
import type { RunListItem } from '../../../shared/run';
import { compareGroups, measureOf } from './compareGroups';

const run = (id: string, kind: string, model: string, medianTotalMs: number, status: RunListItem['status'] = 'complete'): RunListItem => ({
  id,
  kind,
  model,
  status,
  startedAt: '2026-01-01T00:00:00Z',
  iterations: 5,
  medianTotalMs,
});

describe('the Hosts page comparison', () => {
  it('never ranks SSH latency, container lifecycles and VM boots in one column', () => {
    const runs = [
      run('vm', 'bench:vm', 'vm:qemu-tcg', 2400),
      run('ssh-a', 'bench:host', 'host:a', 35),
      run('ct-remote', 'bench:host', 'host:a/container:runc', 450),
      run('ct-local', 'bench:containers', 'container:runc', 380),
      run('proc', 'bench:process', 'process', 2),
      run('cmp', 'compare:startup', 'container:runc', 300),
      run('ssh-b', 'bench:host', 'host:b', 12),
    ];
    const groups = compareGroups(runs);
    expect(groups.map((g) => [g.measure, g.runs.map((r) => r.id)])).toEqual([
      ['ssh', ['ssh-b', 'ssh-a']],
      ['container', ['ct-local', 'ct-remote']],
    ]);
    // Every group holds one kind of figure only.
    for (const g of groups) expect(new Set(g.runs.map(measureOf))).toEqual(new Set([g.measure]));
  });

  it('keeps the newest complete run of each model, and leaves out a group with no remote run', () => {
    const groups = compareGroups([
      run('new-failed', 'bench:host', 'host:a', 1, 'failed'),
      run('new', 'bench:host', 'host:a', 30),
      run('old', 'bench:host', 'host:a', 20),
      run('local-only', 'bench:containers', 'container:runc', 380),
    ]);
    expect(groups).toEqual([{ measure: 'ssh', runs: [expect.objectContaining({ id: 'new' })] }]);
  });
});
