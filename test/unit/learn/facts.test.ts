import { describe, expect, it } from 'vitest';
import { compareFacts, decodeCapabilities, limitsFrom, parseFactsOutput, type IsolationView } from '../../../shared/learn/facts';

// Recorded from the probe container on this machine (busybox ls -l, cgroup v1).
const CONTAINER_OUTPUT = `@ns
total 0
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 cgroup -> cgroup:[4026531835]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 ipc -> ipc:[4026532179]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 mnt -> mnt:[4026532177]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 net -> net:[4026532181]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 pid -> pid:[4026532180]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 pid_for_children -> pid:[4026532180]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 user -> user:[4026531837]
lrwxrwxrwx    1 0        0                0 Nov 26 16:29 uts -> uts:[4026532178]
@status
NoNewPrivs:	0
Seccomp:	2
CapEff:	00000000a80425fb
@cgroup
4:memory:/docker/e19020cbb5a2
0::/docker/e19020cbb5a2
@limits
memory/memory.limit_in_bytes 268435456
pids/pids.max 64
cpu/cpu.cfs_quota_us 50000
cpu/cpu.cfs_period_us 100000
@uname
6.18.44-fc-v669
#1 SMP PREEMPT_DYNAMIC @0
x86_64
@end
`;

describe('parseFactsOutput', () => {
  it('reads namespaces, seccomp, capabilities, the cgroup path, limits and the kernel', () => {
    const v = parseFactsOutput(CONTAINER_OUTPUT, 'container', 'probe');
    expect(v.namespaces.pid).toBe('pid:[4026532180]');
    expect(v.namespaces.user).toBe('user:[4026531837]');
    expect(Object.keys(v.namespaces)).toHaveLength(8);
    expect(v.seccomp).toBe(2);
    expect(v.noNewPrivs).toBe(false);
    expect(v.capabilities).toHaveLength(14);
    expect(v.capabilities).toContain('CAP_NET_BIND_SERVICE');
    expect(v.capabilities).not.toContain('CAP_SYS_ADMIN');
    expect(v.cgroupPath).toBe('/docker/e19020cbb5a2');
    expect(v.limits).toEqual({ memoryBytes: 268435456, pids: 64, cpus: 0.5 });
    expect(v.kernel).toEqual({ release: '6.18.44-fc-v669', version: '#1 SMP PREEMPT_DYNAMIC @0', machine: 'x86_64' });
  });

  it('refuses output that stopped before the end marker, quoting it', () => {
    expect(() => parseFactsOutput('@ns\nsh: ls: not found\n', 'container', 'probe')).toThrow(/did not finish.*ls: not found/);
  });
});

describe('limitsFrom', () => {
  it('reads cgroup v2 files and treats "max" and huge v1 values as no limit', () => {
    expect(limitsFrom({ 'memory.max': '536870912', 'pids.max': 'max', 'cpu.max': '150000 100000' })).toEqual({ memoryBytes: 536870912, cpus: 1.5 });
    expect(limitsFrom({ 'memory/memory.limit_in_bytes': '9223372036854771712', 'cpu/cpu.cfs_quota_us': '-1', 'cpu/cpu.cfs_period_us': '100000' })).toEqual({});
  });
});

describe('decodeCapabilities', () => {
  it('decodes the full root set and the empty set', () => {
    expect(decodeCapabilities('000001ffffffffff')).toHaveLength(41);
    expect(decodeCapabilities('0000000000000000')).toEqual([]);
    expect(decodeCapabilities('0000000000200000')).toEqual(['CAP_SYS_ADMIN']);
  });
});

describe('compareFacts', () => {
  const view = (side: IsolationView['side'], release: string, ns: Record<string, string>): IsolationView => ({ side, source: '', kernel: { release, version: '#1' }, namespaces: ns, limits: {} });
  it('says the container shares the host kernel, the VM does not, and lists the namespaces not isolated', () => {
    const host = view('host', '6.18', { pid: 'pid:[1]', user: 'user:[9]', pid_for_children: 'pid:[1]' });
    const c = view('container', '6.18', { pid: 'pid:[2]', user: 'user:[9]', pid_for_children: 'pid:[2]' });
    const vm = view('vm', '6.1', { pid: 'pid:[1]' });
    const f = compareFacts(host, c, vm, 'now');
    expect(f.containerSharesKernel).toBe(true);
    expect(f.vmSharesKernel).toBe(false);
    expect(f.sharedNamespaces).toEqual(['user']);
  });
  it('a container that reports another kernel (a sandbox such as gVisor) does not share it', () => {
    const f = compareFacts(view('host', '6.18', {}), view('container', '4.4.0', {}), { side: 'vm', source: '', namespaces: {}, limits: {} }, 'now');
    expect(f.containerSharesKernel).toBe(false);
    expect(f.vmSharesKernel).toBeUndefined();
  });
});
