import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modinfoDepends, modName, parseModulesDep, planModules } from '../../../electron/lab/vm/modules';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-mods-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in .ko: only its .modinfo strings matter to the planner. */
const ko = (name: string, depends: string[]) => Buffer.from(`\x7fELF junk\0license=GPL\0depends=${depends.join(',')}\0name=${name}\0vermagic=6.1\0`, 'latin1');

function tree(files: Record<string, string[]>, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmp, 'm-'));
  for (const [rel, deps] of Object.entries(files)) {
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), ko(modName(rel), deps));
  }
  for (const [rel, text] of Object.entries(extra)) writeFileSync(path.join(dir, rel), text);
  return dir;
}

// The layout of Debian's 6.1 cloud kernel, as `modinfo -F depends` reports it.
const debian = {
  'kernel/drivers/virtio/virtio.ko': [],
  'kernel/drivers/virtio/virtio_ring.ko': [],
  'kernel/drivers/virtio/virtio_pci_modern_dev.ko': [],
  'kernel/drivers/virtio/virtio_pci_legacy_dev.ko': [],
  'kernel/drivers/virtio/virtio_pci.ko': ['virtio_pci_modern_dev', 'virtio_ring', 'virtio', 'virtio_pci_legacy_dev'],
  'kernel/net/core/failover.ko': [],
  'kernel/drivers/net/net_failover.ko': ['failover'],
  'kernel/drivers/net/virtio_net.ko': ['net_failover', 'virtio_ring', 'virtio'],
};

describe('module order', () => {
  it('reads depends= from .modinfo', () => {
    expect(modinfoDepends(ko('virtio_net', ['net_failover', 'virtio_ring', 'virtio']))).toEqual(['net_failover', 'virtio_ring', 'virtio']);
    expect(modinfoDepends(ko('virtio', []))).toEqual([]);
    expect(modinfoDepends(Buffer.from('no modinfo here'))).toEqual([]);
  });

  it('puts every dependency before its dependents, each module once (no modules.dep)', async () => {
    const plan = await planModules(tree(debian), ['virtio_pci', 'virtio_net']);
    const names = plan.order.map(modName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(8);
    for (const [rel, deps] of Object.entries(debian)) {
      for (const d of deps) expect(names.indexOf(d), `${d} before ${modName(rel)}`).toBeLessThan(names.indexOf(modName(rel)));
    }
    expect(names.at(-1)).toBe('virtio_net');
  });

  it('skips what the kernel has built in', async () => {
    const dir = tree({ 'kernel/drivers/net/virtio_net.ko': ['net_failover'], 'kernel/drivers/net/net_failover.ko': [] }, { 'modules.builtin': 'kernel/drivers/virtio/virtio_pci.ko\n' });
    const plan = await planModules(dir, ['virtio_pci', 'virtio_net']);
    expect(plan.builtin).toEqual(['virtio_pci']);
    expect(plan.order.map(modName)).toEqual(['net_failover', 'virtio_net']);
  });

  it('uses modules.dep paths when depmod has run', async () => {
    const dir = tree(
      { 'kernel/a/virtio_net.ko': ['virtio'], 'kernel/b/virtio.ko': [] },
      { 'modules.dep': 'kernel/a/virtio_net.ko: kernel/b/virtio.ko\nkernel/b/virtio.ko:\n' },
    );
    expect(parseModulesDep('kernel/a/virtio_net.ko: kernel/b/virtio.ko\n').get('virtio_net')).toEqual({ file: 'kernel/a/virtio_net.ko', deps: ['kernel/b/virtio.ko'] });
    expect((await planModules(dir, ['virtio_net'])).order).toEqual(['kernel/b/virtio.ko', 'kernel/a/virtio_net.ko']);
  });

  it('names the missing module and what to do', async () => {
    await expect(planModules(tree({ 'kernel/x/virtio.ko': [] }), ['virtio_net'])).rejects.toThrow(/no virtio_net .*built in or as modules/);
  });

  it('reports a dependency cycle instead of looping', async () => {
    await expect(planModules(tree({ 'kernel/a.ko': ['b'], 'kernel/b.ko': ['a'] }), ['a'])).rejects.toThrow(/cycle: a -> b -> a/);
  });
});
