import { describe, expect, it } from 'vitest';
import { compareFacts, parseFactsOutput, type IsolationView } from '../../../shared/learn/facts';
import { engineHardening } from '../../../shared/learn/hardening';
import { engineViewFrom, kernelVerdict } from '../../../shared/learn/verdict';

// The facts script's output under gVisor, recorded on this machine: runsc (Debian's 20221219 build, ptrace
// platform, network none) running isolab's facts script over a busybox root file system.
const GVISOR_OUTPUT = `@ns
total 0
lrwxrwxrwx    1 0        0                0 Nov 30 15:30 net -> net:[157]
lrwxrwxrwx    1 0        0                0 Nov 30 15:30 pid -> pid:[158]
lrwxrwxrwx    1 0        0                0 Nov 30 15:30 user -> user:[159]
@status
CapEff:	0000000020000420
Seccomp:	0
@cgroup
@limits
@uname
4.4.0
#1 SMP Sun Jan 10 15:06:54 PST 2016
x86_64
@dmesg
[   0.000000] Starting gVisor...
[   0.446106] Daemonizing children...
[   0.752821] Digging up root...
@end
`;

// `docker info` fields as engines print them: this machine's engine (Debian 12, runc), and Docker Desktop's on
// macOS (LinuxKit kernel) and on Windows (WSL 2 kernel), as quoted in public issue reports.
const DEBIAN_INFO = {
  OperatingSystem: 'Debian GNU/Linux 12 (bookworm)',
  OSType: 'linux',
  KernelVersion: '6.18.44-fc-v782',
  DefaultRuntime: 'runc',
  Isolation: '',
  SecurityOptions: ['name=seccomp,profile=default'],
  Runtimes: { crun: { path: '/usr/bin/crun' }, 'io.containerd.runc.v2': { path: 'runc' }, runc: { path: 'runc' } },
};
const DESKTOP_MAC_INFO = { OperatingSystem: 'Docker Desktop', OSType: 'linux', KernelVersion: '6.12.76-linuxkit', DefaultRuntime: 'runc', SecurityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'], Runtimes: { runc: { path: 'runc' } } };
const DESKTOP_WSL_INFO = { OperatingSystem: 'Docker Desktop', OSType: 'linux', KernelVersion: '5.15.90.1-microsoft-standard-WSL2', DefaultRuntime: 'runc', SecurityOptions: ['name=seccomp,profile=default'], Runtimes: { runc: { path: 'runc' } } };

const kernel = (release: string, version = '#1 SMP') => ({ release, version });
const host = (release: string, platform = 'linux', version?: string) => ({ kernel: kernel(release, version), platform });

describe('engineViewFrom', () => {
  it('reads the engine\'s OS, kernel, the runtime the probe used (its binary or shim type) and its security options', () => {
    expect(engineViewFrom(DEBIAN_INFO)).toEqual({
      operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
      osType: 'linux',
      kernelVersion: '6.18.44-fc-v782',
      runtime: 'runc',
      runtimePath: 'runc',
      runtimeType: undefined,
      isolation: undefined,
      securityOptions: ['name=seccomp,profile=default'],
    });
    expect(engineViewFrom({ ...DEBIAN_INFO, Runtimes: { kata: { runtimeType: 'io.containerd.kata.v2' } } }, 'kata')).toMatchObject({ runtime: 'kata', runtimeType: 'io.containerd.kata.v2' });
    expect(engineViewFrom(DEBIAN_INFO, 'crun').runtimePath).toBe('/usr/bin/crun');
  });
  it('takes whatever an odd or old engine leaves out', () => {
    expect(engineViewFrom({ SecurityOptions: null, Runtimes: null })).toEqual({ securityOptions: [] });
    expect(engineViewFrom('not an object')).toEqual({ securityOptions: [] });
  });
});

describe('kernelVerdict', () => {
  it('runc on Linux: the host kernel, shared', () => {
    const v = kernelVerdict(host('6.18.44-fc-v782'), { kernel: kernel('6.18.44-fc-v782') }, engineViewFrom(DEBIAN_INFO));
    expect(v).toMatchObject({ code: 'hostKernel', release: '6.18.44-fc-v782', runtime: 'runc' });
  });

  it('Docker Desktop on macOS: the kernel of its Linux VM, shared by every container, not macOS\'s', () => {
    const v = kernelVerdict(host('23.1.0', 'darwin'), { kernel: kernel('6.12.76-linuxkit') }, engineViewFrom(DESKTOP_MAC_INFO));
    expect(v).toMatchObject({ code: 'engineVm', engineVm: 'dockerDesktop', release: '6.12.76-linuxkit', host: '23.1.0', engineKernel: '6.12.76-linuxkit' });
    expect(v!.evidence).toEqual(expect.arrayContaining(['operatingSystem', 'kernelName', 'hostPlatform', 'engineKernel']));
  });

  it('Docker Desktop on Windows (WSL 2), and a WSL 2 engine that does not call itself Docker Desktop', () => {
    const v = kernelVerdict(host('10.0.22631', 'win32'), { kernel: kernel('5.15.90.1-microsoft-standard-WSL2') }, engineViewFrom(DESKTOP_WSL_INFO));
    expect(v).toMatchObject({ code: 'engineVm', engineVm: 'dockerDesktop' });
    const plain = kernelVerdict(host('10.0.22631', 'win32'), { kernel: kernel('5.15.90.1-microsoft-standard-WSL2') }, engineViewFrom({ ...DESKTOP_WSL_INFO, OperatingSystem: 'Ubuntu 22.04.4 LTS' }));
    expect(plain).toMatchObject({ code: 'engineVm', engineVm: 'wsl2' });
  });

  it('Docker Desktop for Linux: a VM too, although the host is Linux', () => {
    const v = kernelVerdict(host('6.8.0-45-generic'), { kernel: kernel('6.10.14-linuxkit') }, engineViewFrom({ ...DESKTOP_MAC_INFO, KernelVersion: '6.10.14-linuxkit' }));
    expect(v).toMatchObject({ code: 'engineVm', engineVm: 'dockerDesktop' });
  });

  it('any other Linux engine on a macOS host (Colima, Rancher Desktop …) runs in a VM', () => {
    const v = kernelVerdict(host('23.1.0', 'darwin'), { kernel: kernel('6.8.0-31-generic') }, engineViewFrom({ OperatingSystem: 'Ubuntu 24.04 LTS', OSType: 'linux', KernelVersion: '6.8.0-31-generic' }));
    expect(v).toMatchObject({ code: 'engineVm', engineVm: 'desktopVm' });
  });

  it('Kata (by runtime name or shim type): a kernel of its own in a VM', () => {
    const info = { ...DEBIAN_INFO, Runtimes: { ...DEBIAN_INFO.Runtimes, 'kata-fc': { runtimeType: 'io.containerd.kata-fc.v2' } } };
    const v = kernelVerdict(host('6.18.44-fc-v782'), { kernel: kernel('6.1.62') }, engineViewFrom(info, 'kata-fc'));
    expect(v).toMatchObject({ code: 'vmRuntime', runtime: 'kata-fc', evidence: ['runtimeName'] });
    const shim = kernelVerdict(host('6.18.44-fc-v782'), { kernel: kernel('6.1.62') }, engineViewFrom(DEBIAN_INFO, 'io.containerd.kata.v2'));
    expect(shim?.code).toBe('vmRuntime');
  });

  it('Hyper-V isolation: a utility VM per container, even when it boots the host\'s own Windows build', () => {
    const v = kernelVerdict(host('10.0.20348', 'win32'), { kernel: kernel('10.0.20348') }, engineViewFrom({ OperatingSystem: 'Windows Server 2022 Datacenter', OSType: 'windows', KernelVersion: '10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)', Isolation: 'hyperv' }));
    expect(v).toMatchObject({ code: 'vmRuntime', evidence: ['isolation'] });
  });

  it('gVisor: the recorded sandbox answers with its own kernel and its own kernel log', () => {
    const c = parseFactsOutput(GVISOR_OUTPUT, 'container', 'runsc');
    expect(c.kernel?.release).toBe('4.4.0');
    expect(c.dmesg?.[0]).toMatch(/Starting gVisor/);
    // By the runtime's name …
    expect(kernelVerdict(host('6.18.44-fc-v782'), c, engineViewFrom({ ...DEBIAN_INFO, Runtimes: { runsc: { path: '/usr/bin/runsc' } } }, 'runsc'))).toMatchObject({
      code: 'userKernel',
      release: '4.4.0',
      evidence: ['runtimeName', 'dmesg'],
    });
    // … and by its log alone, under a runtime name that says nothing.
    expect(kernelVerdict(host('6.18.44-fc-v782'), c, engineViewFrom({ ...DEBIAN_INFO, Runtimes: { sandboxed: { path: '/opt/bin/sandboxed' } } }, 'sandboxed'))).toMatchObject({ code: 'userKernel', evidence: ['dmesg'] });
  });

  it('a remote engine: the kernel of the machine it runs on', () => {
    const v = kernelVerdict(host('6.18.44-fc-v782'), { kernel: kernel('6.1.0-26-amd64') }, engineViewFrom({ ...DEBIAN_INFO, KernelVersion: '6.1.0-26-amd64' }));
    expect(v).toMatchObject({ code: 'engineHost', engineKernel: '6.1.0-26-amd64' });
  });

  it('another kernel nothing explains is called unknown, not a sandbox', () => {
    const v = kernelVerdict(host('6.18.44-fc-v782'), { kernel: kernel('5.4.0') }, engineViewFrom(DEBIAN_INFO));
    expect(v).toMatchObject({ code: 'unknownKernel', release: '5.4.0' });
    expect(kernelVerdict(host('6.18'), {}, engineViewFrom(DEBIAN_INFO))).toBeUndefined();
  });
});

describe('compareFacts carries the verdict', () => {
  const view = (side: IsolationView['side'], release: string, extra: Partial<IsolationView> = {}): IsolationView => ({ side, source: '', kernel: { release, version: '#1' }, namespaces: {}, limits: {}, ...extra });
  it('from the container\'s engine view and the host\'s platform', () => {
    const f = compareFacts(view('host', '23.1.0', { platform: 'darwin' }), view('container', '6.12.76-linuxkit', { engine: engineViewFrom(DESKTOP_MAC_INFO) }), { side: 'vm', source: '', namespaces: {}, limits: {} }, 'now');
    expect(f.containerSharesKernel).toBe(false);
    expect(f.containerKernel?.code).toBe('engineVm');
  });
});

describe('engineHardening', () => {
  it('reads which of seccomp, AppArmor, SELinux, user namespaces and rootless the engine turns on', () => {
    expect(engineHardening(['name=seccomp,profile=default'])).toEqual({ seccomp: 'default', apparmor: false, selinux: false, userns: false, rootless: false });
    expect(engineHardening(['name=apparmor', 'name=seccomp,profile=builtin', 'name=userns', 'name=cgroupns'])).toEqual({ seccomp: 'builtin', apparmor: true, selinux: false, userns: true, rootless: false });
    expect(engineHardening(['name=selinux', 'name=rootless', 'name=seccomp,profile=unconfined'])).toMatchObject({ seccomp: 'unconfined', selinux: true, rootless: true });
    expect(engineHardening([])).toEqual({ seccomp: undefined, apparmor: false, selinux: false, userns: false, rootless: false });
  });
});
