import { readFileSync } from 'node:fs';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { Run } from '../../shared/run';
import { formatRun } from '../../electron/report';
import { savedLine } from '../../electron/commands/host';
import { makeFormatters } from '../../renderer/src/format';
import { environmentRows } from '../../renderer/src/result/environment';

const oldRun = () => JSON.parse(readFileSync('test/fixtures/old/run-string-notes.json', 'utf8')) as Record<string, unknown>;

describe('a run as the faces show it', () => {
  it('`runs show` strips terminal controls from a remote run saved before the probe stripped them', () => {
    const raw = oldRun();
    const run = Run.parse({
      ...raw,
      model: 'host:evil\u001b]0;owned\u0007',
      environment: { host: { os: 'Debian\u001b[2J\u001b[31m 12', kernel: '6.1\u009b31m', arch: 'x64', cpus: 2, memoryBytes: 1 }, isolabVersion: '0' },
      error: 'boom\u001b]52;c;cGF5bG9hZA==\u0007',
      notes: ['from the host: \u202eevil'],
    });
    const text = formatRun(run);
    expect(text).toContain('Debian 12');
    expect(text).toContain('boom');
    for (const c of ['\u001b', '\u0007', '\u009b', '\u202e']) expect(text).not.toContain(c);
  });

  it('says a host run was not saved when its save failed, instead of "Saved as"', () => {
    expect(savedLine('r1', true)).toMatch(/^Saved as r1\. .*isolab runs show r1/);
    const failed = savedLine('r1', false);
    expect(failed).not.toMatch(/Saved as/);
    expect(failed).toMatch(/^Not saved/);
  });

  it('shows no "0 × ?" (or "2 × ?") CPUs or 0 bytes for a remote run that never reached its host', () => {
    const t = ((k: string) => k) as unknown as TFunction;
    const f = makeFormatters('en');
    const never = { host: { os: '', kernel: '', arch: '', cpus: 0, memoryBytes: 0 }, isolabVersion: '0.1.0', remote: { reached: false } };
    const rows = Object.fromEntries(environmentRows(never, t, f));
    expect(rows['env.host']).toBe('env.notReached');
    expect(rows['env.cpu']).toBeUndefined();
    expect(rows['env.memory']).toBeUndefined();
    expect(JSON.stringify(rows)).not.toMatch(/0 × \?/);
    const reached = Object.fromEntries(environmentRows({ ...never, host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, memoryBytes: 2 ** 30 }, remote: { reached: true } }, t, f));
    // A host that gave no CPU model: the count alone (i18next's plural key), never "2 × ?".
    expect(reached['env.cpu']).toBe('env.cpuCount');
    const named = Object.fromEntries(environmentRows({ ...never, host: { os: 'linux', kernel: '6.1', arch: 'x64', cpus: 2, cpuModel: 'EPYC', memoryBytes: 1 }, remote: { reached: true } }, t, f));
    expect(named['env.cpu']).toBe('2 × EPYC');
    expect(reached['env.memory']).toMatch(/1\.0\s*GiB/);
  });
});
