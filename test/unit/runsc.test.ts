import { describe, expect, it } from 'vitest';
import { flagValue, isGvisor, ociGlobalArgs, withRuntimeHint } from '../../electron/lab/oci/runsc';

describe('runsc on a bundle', () => {
  it('gives runsc its own state dir and network, and runc or crun nothing', () => {
    expect(ociGlobalArgs('runsc', '/data', 'none')).toEqual(['--root', '/data/runsc', '--network=none']);
    expect(ociGlobalArgs('/usr/bin/runsc', '/data', 'host')).toEqual(['--root', '/data/runsc', '--network=host']);
    // delete and the sweep need the state dir only
    expect(ociGlobalArgs('runsc', '/data')).toEqual(['--root', '/data/runsc']);
    expect(ociGlobalArgs('runc', '/data', 'none')).toEqual([]);
    expect(ociGlobalArgs('crun', '/data', 'none')).toEqual([]);
    expect(isGvisor('runsc-wrapper')).toBe(false);
  });

  it('reads a flag as runsc and containerd write them', () => {
    const sandbox = ['runsc-sandbox', '--root=/r', 'boot', '--bundle=/b/c1', '--cpu-num', '2', 'c1'];
    const gofer = ['runsc-gofer', '--root=/r', 'gofer', '--bundle', '/b/c1', '--spec-fd=4'];
    const shim = ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'moby', '-id', 'abc', '-address', '/x.sock'];
    expect(flagValue(sandbox, 'bundle')).toBe('/b/c1');
    expect(flagValue(gofer, 'bundle')).toBe('/b/c1');
    expect(flagValue(shim, 'id')).toBe('abc');
    expect(flagValue(shim, 'bundle')).toBeUndefined();
    // a flag whose name starts another's is not it
    expect(flagValue(['x', '--bundles=/no'], 'bundle')).toBeUndefined();
  });

  it("adds what to do to gVisor's network refusal, and leaves other errors alone", () => {
    const refusal = 'OCI runtime start failed: starting container: setting up network: creating interfaces from net namespace "/proc/1/ns/net": cannot run with network enabled in root network namespace: unknown';
    expect(withRuntimeHint(refusal)).toMatch(/^OCI runtime start failed.*gVisor issue 10704: register it with "runtimeArgs": \["--network=none"\]/);
    expect(withRuntimeHint('exec: "/nonexistent": no such file')).toBe('exec: "/nonexistent": no such file');
  });
});
