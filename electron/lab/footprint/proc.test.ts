import { describe, expect, it } from 'vitest';
import { parseKeyValues, parseProcCgroup } from './proc';

describe('cgroup paths from /proc/PID/cgroup', () => {
  it('takes the memory and cpuacct controllers on cgroup v1 (hybrid, with the unified line present)', () => {
    const text = '4:memory:/docker/abc\n2:cpuacct:/docker/abc\n1:cpu:/docker/abc\n0::/docker/abc\n';
    expect(parseProcCgroup(text, '/sys/fs/cgroup')).toEqual({ version: 1, memoryDir: '/sys/fs/cgroup/memory/docker/abc', cpuDir: '/sys/fs/cgroup/cpuacct/docker/abc' });
  });

  it('names the cpuacct folder after its hierarchy when cpu and cpuacct are co-mounted', () => {
    expect(parseProcCgroup('5:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n', '/c')?.cpuDir).toBe('/c/cpu,cpuacct/docker/abc');
  });

  it('uses the unified path on cgroup v2', () => {
    expect(parseProcCgroup('0::/system.slice/docker-abc.scope\n', '/sys/fs/cgroup')).toEqual({ version: 2, memoryDir: '/sys/fs/cgroup/system.slice/docker-abc.scope', cpuDir: '/sys/fs/cgroup/system.slice/docker-abc.scope' });
  });

  it('reads memory.stat style key-value files, skipping anything that is not a number', () => {
    expect(parseKeyValues('anon 53248\nfile 450560\nbogus x\n')).toEqual({ anon: 53248, file: 450560 });
  });
});
