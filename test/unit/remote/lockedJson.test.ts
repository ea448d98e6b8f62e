import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { LockedJsonFile, MovedAsideError } from '../../../electron/lab/remote/lockedJson';
import { PassphraseStore } from '../../../electron/lab/remote/secrets';
import { HostService } from '../../../electron/lab/remote/service';
import { RunStore } from '../../../electron/lab/store';

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-locked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function service(root: string): HostService {
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, '.ssh'), { recursive: true });
  return new HostService({ store: new RunStore(path.join(root, 'runs')), root, home, emit: () => {} });
}

describe('small JSON files changed by several writers', () => {
  it('interleaved writers each keep their change (read-modify-write under one lock)', async () => {
    const file = path.join(dir, 'counts.json');
    const writers = Array.from({ length: 12 }, () => new LockedJsonFile({ file, schema: z.record(z.string(), z.number()), empty: () => ({}), what: 'a test file' }));
    await Promise.all(writers.map((w, i) => w.update((all) => ({ ...all, [`k${i}`]: i }))));
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toHaveLength(12);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('two faces saving hosts at once: no saved host is lost', async () => {
    const root = mkdtempSync(path.join(dir, 'hosts-'));
    const app = service(root);
    const cli = service(root);
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? app : cli).saveHost({ name: `vm${i}`, target: `ops@10.0.0.${i + 1}` })));
    expect((await app.listHosts()).filter((h) => h.source === 'saved').map((h) => h.name).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `vm${i}`).sort());
    await Promise.all([app.removeHost('vm1'), cli.removeHost('vm2'), app.saveHost({ name: 'late', target: 'ops@10.0.1.1' })]);
    expect((await cli.listHosts()).map((h) => h.name)).toEqual(expect.arrayContaining(['vm0', 'vm3', 'late']));
    expect((await cli.listHosts()).map((h) => h.name)).not.toContain('vm1');
  });

  it('an unparsable hosts.json is moved aside with a message, never replaced by an empty list', async () => {
    const root = mkdtempSync(path.join(dir, 'corrupt-'));
    const svc = service(root);
    const file = path.join(root, 'hosts', 'hosts.json');
    mkdirSync(path.dirname(file), { recursive: true });
    const broken = '[{"name": "prod-db", "target": "ops@10.0.0.9"},\n';
    writeFileSync(file, broken);
    const err = await svc.listHosts().catch((e) => e);
    expect(err).toBeInstanceOf(MovedAsideError);
    const aside = readdirSync(path.dirname(file)).filter((f) => f.startsWith('hosts.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(err.message).toContain(path.join(root, 'hosts', aside[0]));
    expect(err.message).toMatch(/not valid JSON/);
    expect(readFileSync(path.join(root, 'hosts', aside[0]), 'utf8')).toBe(broken);
    // Then the list starts empty, and saving works again.
    expect((await svc.listHosts()).filter((h) => h.source === 'saved')).toEqual([]);
    await svc.saveHost({ name: 'vm1', target: 'ops@10.0.0.1' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ name: 'vm1', target: 'ops@10.0.0.1' }]);
  });

  it('a hosts.json of the wrong shape is moved aside too, also when a save finds it', async () => {
    const root = mkdtempSync(path.join(dir, 'shape-'));
    const svc = service(root);
    const file = path.join(root, 'hosts', 'hosts.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{}\n');
    await expect(svc.saveHost({ name: 'vm1', target: 'ops@10.0.0.1' })).rejects.toThrow(/saved hosts file .* not what isolab writes there.*moved it to .*hosts\.json\.corrupt-/);
    expect(existsSync(file)).toBe(false);
    await svc.saveHost({ name: 'vm1', target: 'ops@10.0.0.1' });
  });

  it('an unparsable passphrase store is moved aside with a message', async () => {
    const file = path.join(dir, 'pp', 'passphrases.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, 'not json');
    await expect(new PassphraseStore(file).has('vm1')).rejects.toThrow(/remembered passphrases file .* moved it to .*passphrases\.json\.corrupt-/);
    expect(readdirSync(path.dirname(file)).filter((f) => f.startsWith('passphrases.json.corrupt-'))).toHaveLength(1);
  });
});
