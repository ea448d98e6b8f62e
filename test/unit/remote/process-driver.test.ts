import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { orphanedRemote, parseStart, startScript, stopScript } from '../../../electron/lab/remote/process-driver';

describe('the remote floor driver (pure parts)', () => {
  it('starts the program in its own session with the marker, quoted as words, and parses its pid and spawn time', () => {
    const s = startScript({ busybox: '/bin/busybox', argv: ['sh', '-c', `echo 'a b'; sleep 9`], clock: '$EPOCHREALTIME' });
    expect(s).toContain(`'/bin/busybox' 'setsid' '/bin/busybox' 'sh' '-c' 'echo '\\''a b'\\''; sleep 9'`);
    expect(s).toContain(`ISOLAB_MANAGED=true ISOLAB_OWNER_PID=${process.pid} ISOLAB_OWNER_HOST='${os.hostname()}'`);
    const toMs = (r: string) => Number(r) * 1000;
    expect(parseStart('noise\nisolab-s 4242 100.000 100.002\n', toMs, 0.5)).toEqual({ pid: 4242, spawnMs: expect.closeTo(1.5, 6) });
    expect(() => parseStart('bash: busybox: not found\n', toMs, 0)).toThrow(/printed no pid: bash: busybox: not found/);
    expect(() => parseStart('isolab-s 1 1 2', toMs, 0)).toThrow(/no pid/);
  });

  it('runs for real in a local sh: the instance is up, in its own session, and the stop script ends it', () => {
    const bb = ['/bin/busybox', '/usr/bin/busybox'].find((p) => spawnSync(p, ['true']).status === 0);
    if (!bb) return;
    const out = spawnSync('sh', ['-c', startScript({ busybox: bb, argv: ['sleep', '30'], clock: '$(date +%s%N)' })], { encoding: 'utf8' });
    const { pid } = parseStart(out.stdout, (r) => Number(r) / 1e6, 0);
    const alive = () => spawnSync('sh', ['-c', `[ -e /proc/${pid} ] && ! grep -q '^State:.*Z' /proc/${pid}/status`]).status === 0;
    expect(alive()).toBe(true);
    // Its own session: it leads its process group.
    expect(spawnSync('ps', ['-o', 'pgid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim()).toBe(String(pid));
    expect(spawnSync('sh', ['-c', stopScript(pid)]).status).toBe(0);
    expect(alive()).toBe(false);
  });

  it('sweeps only what an isolab of this machine left and no longer runs', () => {
    const host = 'lab-box';
    const lines = ['100 7 lab-box', '101 8 lab-box', '102 7 other-box', '103 7 ', 'junk', `104 ${process.pid} lab-box`, '1 7 lab-box'].join('\n');
    expect(orphanedRemote(lines, host, (pid) => pid === 8)).toEqual([100]);
  });
});
