import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BenchRequest } from '../../../shared/api';
import { resolveWorkload } from '../../../shared/plan';
import type { SshConnection } from '../../../electron/lab/remote/connect';
import type { EngineConnection } from '../../../electron/lab/docker/engine';
import { MODELS } from '../../../electron/lab/models';
import { benchEntry, capabilitiesOf, discoverModels } from '../../../electron/lab/models/registry';
import type { ModelContext, ModelEntry, ModelRegistration } from '../../../electron/lab/models/types';

/**
 * The registry over a stand-in engine (an object answering info/version as dockerd does) and a PATH the test
 * owns, so what is "installed" is known. The real engine, QEMU and runtimes are proven in
 * test/integration/models.test.ts and gvisor.test.ts.
 */
function engine(info: Record<string, unknown>): EngineConnection {
  const docker = {
    version: async () => ({ Version: '24.0.0', ApiVersion: '1.43' }),
    info: async () => ({ OSType: 'linux', Architecture: 'x86_64', DefaultRuntime: 'runc', ...info }),
  };
  return { docker: docker as unknown as Docker, endpoint: 'unix:///fake.sock' };
}

let bin: string;
let root: string;
const saved = { PATH: process.env.PATH, ISOLAB_QEMU: process.env.ISOLAB_QEMU, ISOLAB_VM_KERNEL: process.env.ISOLAB_VM_KERNEL };

beforeEach(() => {
  bin = mkdtempSync(path.join(os.tmpdir(), 'isolab-models-bin-'));
  root = mkdtempSync(path.join(os.tmpdir(), 'isolab-models-root-'));
  process.env.PATH = bin;
  delete process.env.ISOLAB_QEMU;
  delete process.env.ISOLAB_VM_KERNEL;
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(bin, { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
});

function install(name: string): void {
  const file = path.join(bin, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, 0o755);
}

const ctx = (conn: EngineConnection | Error, log?: (l: string) => void): ModelContext => ({
  root,
  docker: async () => {
    if (conn instanceof Error) throw conn;
    return conn;
  },
  log,
});
const byModel = (entries: ModelEntry[]) => new Map(entries.map((e) => [e.model, e]));

describe('model registry: discovery', () => {
  it('lists runnable models with a factory and the rest with a code, its parameters and English text', async () => {
    install('firecracker');
    const found = byModel(await discoverModels(ctx(engine({ Runtimes: { runc: {}, runsc: {} }, Swarm: { LocalNodeState: 'inactive' } }))));
    expect(found.get('process')?.driver).toBeTypeOf('function');
    expect(found.get('container:runc')?.driver).toBeTypeOf('function');
    expect(found.get('container:runsc')?.unavailable).toBeUndefined();
    // Outside a comparison (no engine event stream in the context): this machine's clock, no clock field.
    expect(found.get('container:runc')?.clock).toBeUndefined();
    // No oci:RUNTIME row: none of them is on this PATH, and a runtime not installed is not a model of this host.
    expect([...found.keys()].filter((m) => m.startsWith('oci:'))).toEqual([]);
    // No QEMU: both VM models say why, with no factory to run.
    for (const vm of ['vm:qemu', 'vm:microvm']) {
      expect(found.get(vm)?.unavailable?.code, vm).toBe('host-cannot-run');
      expect(found.get(vm)?.target).toBeUndefined();
    }
    expect(found.get('swarm')?.unavailable).toMatchObject({ code: 'swarm-needs-consent', params: { command: 'isolab bench swarm --create-swarm' } });
    expect(found.get('swarm')?.unavailable?.text).toMatch(/^needs consent \(isolab bench swarm --create-swarm\)/);
    expect(found.get('vm:firecracker')?.unavailable).toMatchObject({ code: 'no-driver', params: { tool: 'Firecracker', path: path.join(bin, 'firecracker') } });
    for (const m of ['vm:cloud-hypervisor', 'container:kata', 'podman', 'lxc']) {
      expect(found.get(m)?.unavailable?.code, m).toBe('not-installed');
      expect(found.get(m)?.unavailable?.text, m).toMatch(/^not installed: /);
      expect(found.get(m)?.driver ?? found.get(m)?.target, m).toBeUndefined();
    }
  });

  it('an existing swarm is named for its own command, a worker node as unusable', async () => {
    const manager = byModel(await discoverModels(ctx(engine({ Runtimes: { runc: {} }, Swarm: { LocalNodeState: 'active', NodeID: 'n1', ControlAvailable: true } }))));
    expect(manager.get('swarm')?.unavailable).toMatchObject({ code: 'own-command', params: { command: 'isolab bench swarm' } });
    const worker = byModel(await discoverModels(ctx(engine({ Runtimes: { runc: {} }, Swarm: { LocalNodeState: 'active', NodeID: 'n1', ControlAvailable: false } }))));
    expect(worker.get('swarm')?.unavailable?.code).toBe('swarm-unusable');
  });

  it('with no engine: one container row says so, no swarm row, Kata still says it is not installed', async () => {
    const found = byModel(await discoverModels(ctx(new Error('connect ENOENT /var/run/docker.sock'))));
    expect(found.get('container:*')?.unavailable).toMatchObject({ code: 'no-engine', params: { error: 'connect ENOENT /var/run/docker.sock' } });
    expect(found.has('swarm')).toBe(false);
    expect(found.get('container:kata')?.unavailable?.code).toBe('not-installed');
    expect(found.get('process')?.unavailable).toBeUndefined();
  });

  it("in a comparison, each local container model is timed on the engine's clock from the comparison's stream, opened by its prepare", async () => {
    let opened = 0;
    const withEvents: ModelContext = { ...ctx(engine({ Runtimes: { runc: {}, runsc: {} } })), engineEvents: () => (opened++, Promise.reject(new Error('no stream here'))) };
    const found = byModel(await discoverModels(withEvents));
    // Discovery alone opens nothing (a comparison of the floor alone never subscribes).
    expect(opened).toBe(0);
    const w = resolveWorkload({ kind: 'true', timeoutMs: 30_000 });
    // The model has a clock; with no start on the engine's clock it says nothing (this machine's, as before).
    expect(found.get('container:runc')?.clock?.(w)).toBeUndefined();
    expect(found.get('container:runc')?.driver?.(w, 'r1').notes?.()).toEqual([]);
  });

  it('Kata registered as an engine runtime is a container:RUNTIME like any other, and its absent row goes', async () => {
    const found = byModel(await discoverModels(ctx(engine({ Runtimes: { runc: {}, 'io.containerd.kata.v2': {} }, Swarm: {} }))));
    expect(found.get('container:io.containerd.kata.v2')?.driver).toBeTypeOf('function');
    expect(found.has('container:kata')).toBe(false);
  });

  it('Kata installed but not registered with the engine says how to register it', async () => {
    install('kata-runtime');
    const found = byModel(await discoverModels(ctx(engine({ Runtimes: { runc: {} }, Swarm: {} }))));
    expect(found.get('container:kata')?.unavailable?.code).toBe('no-driver');
    expect(found.get('container:kata')?.unavailable?.text).toMatch(/register it/);
  });

  it('a registration whose discovery throws is logged and listed with the error; the others are still listed', async () => {
    const broken: ModelRegistration = { id: 'broken', family: 'absent', capabilities: MODELS[0].capabilities, discover: async () => { throw new Error('boom'); } };
    const lines: string[] = [];
    const found = await discoverModels(ctx(new Error('no engine'), (l) => lines.push(l)), [broken, ...MODELS.slice(0, 1)]);
    expect(found.map((e) => e.model)).toEqual(['broken', 'process']);
    expect(found[0].unavailable).toMatchObject({ code: 'discovery-failed', params: { error: 'boom' } });
    expect(lines).toEqual(['discovering broken failed: boom']);
  });
});

describe('model registry: on a remote host', () => {
  /** The remote host's shell: `command -v X` finds what `installed` names; the engine answers pings. */
  const remoteCtx = (conn: EngineConnection | Error, installed: Record<string, string>, root = 'root'): ModelContext => {
    const exec = async (command: string) => {
      // The raw runtimes' access probe: who we are there, and whether sudo asks no password.
      if (command.includes('isolab-root')) return { stdout: `isolab-root ${root}\nisolab-shell /bin/bash\nisolab-arch x86_64\n`, stderr: '', code: 0, ms: 1 };
      const tool = /^command -v (\S+)$/.exec(command)?.[1];
      const where = tool && installed[tool];
      return { stdout: where ? `${where}\n` : '', stderr: '', code: where ? 0 : 1, ms: 1 };
    };
    return { ...ctx(conn), remote: { name: 'vm1', conn: { exec } as unknown as SshConnection } };
  };
  const pinging = (info: Record<string, unknown>): EngineConnection => {
    const e = engine(info);
    (e.docker as unknown as { ping: () => Promise<string> }).ping = async () => 'OK';
    return e;
  };

  it("lists the host's floor, its engine's runtimes, installed raw runtimes and VMs with why not; nothing of this machine", async () => {
    install('firecracker');
    install('runc');
    const found = byModel(await discoverModels(remoteCtx(pinging({ Runtimes: { runc: {}, runsc: {} } }), { runsc: '/usr/bin/runsc' })));
    // The floor times its own starts there (a target), its footprint and density from a driver there; the
    // containers run on the remote engine.
    expect(found.get('process')?.target).toBeTypeOf('function');
    expect(found.get('process')?.driver).toBeTypeOf('function');
    expect(found.get('container:runc')?.driver).toBeTypeOf('function');
    expect(found.get('container:runsc')?.clock?.(resolveWorkload({ kind: 'true', timeoutMs: 30_000 }))).toMatchObject({ clock: 'local-through-ssh', roundTripsToReady: 3 });
    // Raw runtimes: the one installed THERE times its own starts on the remote clock; this machine's runc is not the host's.
    expect(found.get('oci:runsc')?.unavailable).toBeUndefined();
    expect(found.get('oci:runsc')?.target).toBeTypeOf('function');
    expect(found.has('oci:runc')).toBe(false);
    // No QEMU there (the probe found none): both VM models say why; this machine's QEMU is not the host's.
    for (const vm of ['vm:qemu', 'vm:microvm']) {
      expect(found.get(vm)?.unavailable?.code, vm).toBe('host-cannot-run');
      expect(found.get(vm)?.unavailable?.text, vm).toMatch(/qemu-system-x86_64 is not on the remote host/);
    }
    // Families that only know this machine say nothing about the remote host (this machine's Firecracker is not its).
    for (const m of ['vm:firecracker', 'container:kata', 'swarm', 'podman', 'lxc']) expect(found.has(m), m).toBe(false);
  });

  it('a raw runtime there needs root: a user who is not root and whose sudo asks a password gets needs-root, never a number', async () => {
    const found = byModel(await discoverModels(remoteCtx(new Error('no engine'), { runc: '/usr/sbin/runc' }, 'none alice')));
    expect(found.get('oci:runc')?.unavailable).toMatchObject({ code: 'needs-root', params: { tool: 'runc', user: 'alice' } });
    expect(found.get('oci:runc')?.target).toBeUndefined();
    expect(found.get('oci:runc')?.unavailable?.text).toMatch(/sudo/);
  });

  it('a host without an engine lists the containers as unavailable with the reason, and still its floor', async () => {
    const found = byModel(await discoverModels(remoteCtx(new Error('sh: docker: not found'), {})));
    expect(found.get('container:*')?.unavailable).toMatchObject({ code: 'no-engine', params: { error: 'sh: docker: not found' } });
    expect(found.get('process')?.target).toBeTypeOf('function');
  });
});

describe('model registry: registrations', () => {
  it('registers each model once', () => {
    const ids = MODELS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const family of ['process', 'container', 'oci', 'vm', 'swarm', 'host', 'absent']) expect(MODELS.some((m) => m.family === family), family).toBe(true);
  });

  it('bench resolves each target through one registration, named as before', () => {
    const plan = (r: Record<string, unknown>) => BenchRequest.parse(r);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ target: 'process' }, 'process', 'process'],
      [{ target: 'containers' }, 'container:engine', 'container-engine'],
      [{ target: 'containers', runtime: 'runsc' }, 'container:runsc', 'container-runsc'],
      [{ target: 'vm' }, 'vm:qemu', 'vm'],
      [{ target: 'vm', machine: 'pc' }, 'vm:qemu', 'vm'],
      [{ target: 'vm', machine: 'microvm' }, 'vm:microvm', 'vm'],
    ];
    for (const [req, model, prefix] of cases) {
      const p = plan(req);
      const entry = benchEntry(p);
      expect(entry.model(p), JSON.stringify(req)).toBe(model);
      expect(entry.runPrefix(p), JSON.stringify(req)).toBe(prefix);
    }
  });

  it('capabilities by model name: families, accelerator suffixes, consent', () => {
    expect(capabilitiesOf('container:runsc')?.footprint).toBe(true);
    expect(capabilitiesOf('vm:microvm-tcg')).toBe(capabilitiesOf('vm:microvm'));
    expect(capabilitiesOf('vm:qemu-kvm')?.startup).toBe(true);
    expect(capabilitiesOf('swarm')).toMatchObject({ startup: true, footprint: false, density: false, needsConsent: true });
    expect(capabilitiesOf('vm:firecracker')?.startup).toBe(false);
    expect(capabilitiesOf('nosuch')).toBeUndefined();
  });
});

describe('model registry: reason codes', () => {
  it('every code has its words in English and in French, with the same parameters', async () => {
    const { UNAVAILABLE_CODES } = await import('../../../electron/lab/models/types');
    const en = (await import('../../../renderer/src/locales/en/compare.json')).default.reason as Record<string, string>;
    const fr = (await import('../../../renderer/src/locales/fr/compare.json')).default.reason as Record<string, string>;
    const params = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const code of UNAVAILABLE_CODES) {
      expect(en[code], code).toMatch(/\S/);
      expect(fr[code], code).toMatch(/\S/);
      expect(fr[code], code).not.toBe(en[code]);
      expect(params(fr[code]), code).toEqual(params(en[code]));
    }
    expect(Object.keys(en).sort()).toEqual([...UNAVAILABLE_CODES].sort());
  });
});
