import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sweepRemoteOci } from '../../electron/lab/remote/oci-target';
import type { SshConnection } from '../../electron/lab/remote/connect';
import { asRoot, isBundleDir, makeDirScript, parseAccess, parseDir, parseLeftovers, remoteGlobalArgs, removeScript, sameArch } from '../../electron/lab/remote/oci-scripts';
import { parseStart, startScript } from '../../electron/lab/oci/start-script';

const sh = (script: string) => execFileSync('sh', ['-n', '-c', script]); // syntax only: nothing runs

describe('raw OCI runtimes on a remote host: the shell text', () => {
  it('reads who we are there: root, sudo without a password, or neither (with the user to name)', () => {
    expect(parseAccess('isolab-root root\nisolab-shell /usr/bin/bash\nisolab-arch x86_64\n')).toEqual({ how: 'root', shell: '/usr/bin/bash', arch: 'x86_64' });
    expect(parseAccess('isolab-root sudo\nisolab-shell /bin/sh\nisolab-arch aarch64')).toMatchObject({ how: 'sudo', arch: 'aarch64' });
    expect(parseAccess('isolab-root none alice\nisolab-shell /bin/bash')).toMatchObject({ how: 'none', user: 'alice' });
    // A hostile or broken answer is never root, and never a shell path with spaces or quotes.
    expect(parseAccess('')).toMatchObject({ how: 'none', shell: '/bin/sh' });
    expect(parseAccess("isolab-root root\nisolab-shell /bin/sh; rm -rf /\n").shell).toBe('/bin/sh');
  });

  it('runs as root through sudo -n with the script as one quoted word', () => {
    const cmd = asRoot({ how: 'sudo', shell: '/bin/bash', arch: 'x86_64' }, `echo 'it''s'`);
    expect(cmd).toBe(`sudo -n '/bin/bash' -c 'echo '\\''it'\\'''\\''s'\\'''`);
    expect(execFileSync('sh', ['-c', cmd.replace(/^sudo -n '\/bin\/bash'/, "'/bin/sh'")], { encoding: 'utf8' })).toBe("its\n");
    expect(asRoot({ how: 'root', shell: '/bin/sh', arch: 'x86_64' }, 'true')).toBe(`'/bin/sh' -c 'true'`);
  });

  it('matches architectures by their two names', () => {
    expect(sameArch('x86_64', 'x64')).toBe(true);
    expect(sameArch('aarch64', 'arm64')).toBe(true);
    expect(sameArch('aarch64', 'x64')).toBe(false);
  });

  it('gives runsc its own state dir and network none, runc nothing', () => {
    expect(remoteGlobalArgs('/usr/bin/runsc', '/tmp/isolab-oci-Ab12Cd34', 'none')).toEqual(['--root', '/tmp/isolab-oci-Ab12Cd34/runsc', '--network=none']);
    expect(remoteGlobalArgs('/usr/sbin/runc', '/tmp/isolab-oci-Ab12Cd34', 'none')).toEqual([]);
  });

  it('times a start between remote clock readings, with its bundle written before and its container removed after', () => {
    const config = { process: { args: ["it's"] } };
    const dir = '/tmp/isolab-oci-Ab12Cd34';
    const o = { runtime: '/usr/bin/runsc', globalArgs: remoteGlobalArgs('/usr/bin/runsc', dir, 'none'), dir, id: 'isolab-1-2-ab', config, clock: 'epochrealtime' as const };
    const exit = startScript({ ...o, readiness: 'exit' });
    sh(exit);
    // The bundle is written before t0; the runtime forked in the background (create), waited for (ready).
    expect(exit.indexOf('config.json')).toBeLessThan(exit.indexOf('t0='));
    expect(exit).toMatch(/t0=\$EPOCHREALTIME; '\/usr\/bin\/runsc' '--root' '\/tmp\/isolab-oci-Ab12Cd34\/runsc' '--network=none' run --bundle '\/tmp\/isolab-oci-Ab12Cd34\/isolab-1-2-ab' 'isolab-1-2-ab' .* & p=\$!; t1=\$EPOCHREALTIME; wait \$p; rc=\$\?; t2=/);
    expect(exit).toContain(`"it'\\''s"`); // the config's quote closed, escaped and reopened
    // Delete and the bundle's removal are inside the exec and inside the last interval.
    expect(exit).toMatch(/delete --force 'isolab-1-2-ab' >\/dev\/null 2>&1; rm -rf '\/tmp\/isolab-oci-Ab12Cd34\/isolab-1-2-ab'; t3=/);
    const running = startScript({ ...o, runtime: '/usr/sbin/runc', globalArgs: [], readiness: 'running', clock: 'date' });
    sh(running);
    expect(running).toMatch(/t0=\$\(date \+%s%N\); '\/usr\/sbin\/runc' run --detach --pid-file '[^']+\/pid' --bundle/);
  });

  it('parses the marks of a start, less the cost of the readings, in order', () => {
    const { marks, rc } = parseStart('noise\nisolab-oci 0 100.000000 100.010000 100.250000 100.300000\n', 'epochrealtime', 1);
    expect(rc).toBe(0);
    expect(marks.create).toBeCloseTo(9, 6);
    expect(marks.ready).toBeCloseTo(248, 6);
    expect(marks.delete).toBeCloseTo(297, 6);
    // A reading cost larger than a gap never puts a mark before the one that came first.
    expect(parseStart('isolab-oci 0 100.000000 100.000500 100.000600 100.001', 'epochrealtime', 1).marks).toEqual({ create: 0, ready: 0, delete: 0 });
    expect(parseStart('isolab-oci 0 1700000000000000000 1700000000005000000 1700000000007000000 1700000000009000000', 'date', 0).marks).toEqual({ create: 5, ready: 7, delete: 9 });
    expect(parseStart('isolab-oci 1 1.0 1.1 1.2 1.3', 'epochrealtime', 0).rc).toBe(1);
    expect(() => parseStart('isolab-oci-setup-failed', 'epochrealtime', 0)).toThrow(/could not write the bundle/);
    expect(() => parseStart('', 'epochrealtime', 0)).toThrow(/no timing line/);
    expect(() => parseStart('isolab-oci 0 1.0 1.1', 'epochrealtime', 0)).toThrow(/broken line/);
  });

  it('makes and removes only mktemp dirs with isolab prefix, and lists leftovers with their owner files', () => {
    const make = makeDirScript({ 'isolab.managed': 'true', 'isolab.owner-pid': 42 });
    sh(make);
    expect(make).toMatch(/mktemp -d "\$\{TMPDIR:-\/tmp\}\/isolab-oci-XXXXXXXX"/);
    expect(parseDir('isolab-dir /tmp/isolab-oci-Ab12Cd34\n')).toBe('/tmp/isolab-oci-Ab12Cd34');
    expect(() => parseDir('isolab-dir /etc\n')).toThrow(/no bundle directory/);
    for (const bad of ['/tmp', 'tmp/isolab-oci-Ab12Cd34', '/tmp/isolab-oci-../..', '/tmp/isolab-oci-Ab12\n/etc', '/tmp/isolab-oci-']) expect(isBundleDir(bad), bad).toBe(false);
    const left = parseLeftovers(['isolab-left /tmp/isolab-oci-Ab12Cd34 {"isolab.managed":"true","runtime":"/usr/sbin/runc"}', 'isolab-left /etc {"isolab.managed":"true"}', 'isolab-left /tmp/isolab-oci-Zz99Yy88 not json', 'isolab-left /tmp/isolab-oci-Qq11Ww22 [1]'].join('\n'));
    expect(left).toEqual([{ dir: '/tmp/isolab-oci-Ab12Cd34', owner: { 'isolab.managed': 'true', runtime: '/usr/sbin/runc' } }]);
    const all = removeScript('/usr/bin/runsc', '/tmp/isolab-oci-Ab12Cd34', 'all');
    sh(all);
    expect(all).toContain(`'/tmp/isolab-oci-Ab12Cd34'/isolab-*`);
    expect(all).toContain(`'--root' '/tmp/isolab-oci-Ab12Cd34/runsc' delete --force`);
    expect(all).toMatch(/rm -rf '\/tmp\/isolab-oci-Ab12Cd34'$/);
    expect(removeScript('/usr/sbin/runc', '/tmp/isolab-oci-Ab12Cd34', [])).toBe(`true; rm -rf '/tmp/isolab-oci-Ab12Cd34'`);
  });

  it('sweeps only dirs whose owner file names an ended isolab of this machine, as root, once per connection', async () => {
    const dead = spawnSync('true').pid!;
    const owner = (pid: number, host = os.hostname()) => JSON.stringify({ 'isolab.managed': 'true', 'isolab.owner-pid': pid, 'isolab.owner-host': host, runtime: '/usr/sbin/runc' });
    const listing = [
      `isolab-left /tmp/isolab-oci-Dead0001 ${owner(dead)}`,
      `isolab-left /tmp/isolab-oci-Live0001 ${owner(1)}`,
      `isolab-left /tmp/isolab-oci-Else0001 ${owner(dead, 'another-machine')}`,
      `isolab-left /tmp/isolab-oci-Bad00001 ${JSON.stringify({ 'isolab.managed': 'true', 'isolab.owner-pid': dead, 'isolab.owner-host': os.hostname(), runtime: 'runc; reboot' })}`,
    ].join('\n');
    const ran: string[] = [];
    const conn = {
      exec: async (command: string) => {
        ran.push(command);
        return { stdout: command.includes('isolab-left') ? listing : '', stderr: '', code: 0, ms: 1 };
      },
    } as unknown as SshConnection;
    const access = { how: 'sudo' as const, shell: '/bin/bash', arch: 'x86_64' };
    expect(await sweepRemoteOci(conn, access)).toEqual(['/tmp/isolab-oci-Dead0001']);
    expect(await sweepRemoteOci(conn, access)).toEqual(['/tmp/isolab-oci-Dead0001']);
    const removals = ran.filter((c) => c.includes('rm -rf'));
    expect(removals).toHaveLength(1);
    expect(removals[0]).toMatch(/^sudo -n '\/bin\/bash' -c /);
    expect(removals[0]).toContain('isolab-oci-Dead0001');
    // Without root nothing could have been started there: nothing is listed or removed.
    const none: string[] = [];
    const conn2 = { exec: async (c: string) => (none.push(c), { stdout: listing, stderr: '', code: 0, ms: 1 }) } as unknown as SshConnection;
    expect(await sweepRemoteOci(conn2, { how: 'none', user: 'alice', shell: '/bin/sh', arch: 'x86_64' })).toEqual([]);
    expect(none).toEqual([]);
  });
});

describe('isolab compare --host: the Clock line of a raw runtime', () => {
  it('says the root shell there runs the runtime on its bundle, and that SSH adds nothing', async () => {
    const { remoteLines } = await import('../../electron/commands/compare-remote');
    const host = { os: 'Linux', kernel: '6.1.0', arch: 'x64', cpus: 2, memoryBytes: 8 * 2 ** 30 };
    const c = {
      schema: 'isolab.comparison/v1', id: 'c1', status: 'complete', startedAt: '2026-12-01T00:00:00Z', plan: {}, floor: 'process', notes: [],
      environment: { host, isolabVersion: '0', remote: { target: 'vm1', reached: true } },
      models: [{ model: 'oci:runc', status: 'ok', notes: [], clock: { clock: 'remote-shell', shell: 'epochrealtime', overheadMs: 0.02, roundTripMs: 40, sshAllowanceMs: 0 } }],
    } as unknown as Parameters<typeof remoteLines>[0];
    expect(remoteLines(c)[1]).toMatch(/^Clock: oci:runc: the remote host's clock \(a root shell there running runc on a bundle made there, \$EPOCHREALTIME; .*\); SSH adds nothing to the figure/);
  });
});
