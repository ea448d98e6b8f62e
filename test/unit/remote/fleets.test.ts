import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HostService } from '../../../electron/lab/remote/service';
import { RunStore } from '../../../electron/lab/store';
import { SavedFleet } from '../../../shared/api-hosts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'isolab-fleets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A host service on its own data dir, with a ~/.ssh/config that has one alias. */
function service(): HostService {
  const root = mkdtempSync(path.join(dir, 'root-'));
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, '.ssh'), { recursive: true });
  writeFileSync(path.join(home, '.ssh', 'config'), 'Host from-config\n  HostName 127.0.0.1\n  User ops\n');
  return new HostService({ store: new RunStore(path.join(root, 'runs')), root, home, emit: () => {} });
}

describe('fleets saved on the Hosts page', () => {
  it('saves a fleet of saved hosts and config aliases, gives its members to compare --fleet, and replaces it by name', async () => {
    const s = service();
    await s.saveHost({ name: 'a', target: 'ops@127.0.0.1', port: 2201 });
    await s.saveHost({ name: 'b', target: 'ops@127.0.0.1', port: 2202 });
    await s.saveFleet({ name: 'lab', hosts: ['a', 'from-config'] });
    expect(await s.fleetHosts('lab')).toEqual(['a', 'from-config']);
    await s.saveFleet({ name: 'lab', hosts: ['a', 'b'] });
    expect(await s.listFleets()).toEqual([{ name: 'lab', hosts: ['a', 'b'] }]);
  });

  it('refuses a member nobody knows, an unknown fleet, and a member gone since, saying which', async () => {
    const s = service();
    await s.saveHost({ name: 'a', target: 'ops@127.0.0.1', port: 2201 });
    await expect(s.saveFleet({ name: 'lab', hosts: ['a', 'nowhere'] })).rejects.toThrow(/names nowhere, which is neither a saved host nor an alias/);
    expect(await s.listFleets()).toEqual([]);
    await expect(s.fleetHosts('lab')).rejects.toThrow(/no fleet named lab: no fleet is saved yet/);
    await s.saveFleet({ name: 'lab', hosts: ['a'] });
    await expect(s.fleetHosts('other')).rejects.toThrow(/the saved fleets are lab/);
  });

  it('takes a removed host out of its fleets, and drops a fleet left empty; a config alias stays', async () => {
    const s = service();
    await s.saveHost({ name: 'a', target: 'ops@127.0.0.1', port: 2201 });
    await s.saveHost({ name: 'b', target: 'ops@127.0.0.1', port: 2202 });
    await s.saveFleet({ name: 'ab', hosts: ['a', 'b', 'from-config'] });
    await s.saveFleet({ name: 'only-a', hosts: ['a'] });
    expect(await s.removeHost('a')).toBe(true);
    expect(await s.listFleets()).toEqual([{ name: 'ab', hosts: ['b', 'from-config'] }]);
    expect(await s.removeFleet('ab')).toBe(true);
    expect(await s.removeFleet('ab')).toBe(false);
  });

  it('validates names and duplicates at the contract', () => {
    expect(SavedFleet.safeParse({ name: 'lab', hosts: ['a', 'a'] }).success).toBe(false);
    expect(SavedFleet.safeParse({ name: 'a b', hosts: ['a'] }).success).toBe(false);
    expect(SavedFleet.safeParse({ name: 'lab', hosts: [] }).success).toBe(false);
    expect(SavedFleet.safeParse({ name: 'lab', hosts: ['a;rm -rf /'] }).success).toBe(false);
  });
});
