import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../electron/cli';
import { Comparison } from '../../shared/compare';
import { Run } from '../../shared/run';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

// The CLI in-process, as `isolab bench host ...`, with HOME pointing at the fixture's ~/.ssh.
let sshd: SshdFixture;
let data: string;
const saved = { HOME: process.env.HOME, ISOLAB_DATA_DIR: process.env.ISOLAB_DATA_DIR, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK, ISOLAB_IMDS: process.env.ISOLAB_IMDS };

async function isolab(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => ((stdout += c), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => ((stderr += c), true)) as typeof process.stderr.write;
  process.exitCode = 0;
  try {
    await buildCli().exitOverride().parseAsync(['node', 'isolab', ...args]);
  } catch (err) {
    stderr += `isolab: ${(err as Error).message}\n`;
    process.exitCode ||= 1;
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
}

const kh = () => path.join(sshd.home, '.ssh', 'known_hosts');

beforeAll(async () => {
  sshd = await startSshd({ alias: 'cli-vm' });
  data = mkdtempSync(path.join(os.tmpdir(), 'isolab-cli-'));
  process.env.HOME = sshd.home;
  process.env.ISOLAB_DATA_DIR = data;
  delete process.env.SSH_AUTH_SOCK;
  // The loopback sshd is this machine: should it ever carry Azure's asset tag, IMDS must still not be asked.
  process.env.ISOLAB_IMDS = 'off';
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await sshd?.stop();
  rmSync(data, { recursive: true, force: true });
});

describe('isolab bench host', () => {
  it('refuses an unknown host key without a terminal to ask on, naming the fingerprint and --accept-new', async () => {
    writeFileSync(kh(), '');
    const r = await isolab('bench', 'host', 'cli-vm', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not in known_hosts \(ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}\).*--accept-new/);
    expect(readFileSync(kh(), 'utf8')).toBe('');
  });

  it('--accept-new: records the key and prints the Run document with facts, virtualization, footprint and latency', async () => {
    const r = await isolab('bench', 'host', 'cli-vm', '--accept-new', '--json', '--iterations', '3');
    expect(r.code, r.stderr).toBe(0);
    const run = Run.parse(JSON.parse(r.stdout));
    expect(run.model).toBe('host:cli-vm');
    expect(run.environment.host.kernel).toBe(os.release());
    expect((run.environment.remote as { virtualization: object }).virtualization).toBeTruthy();
    expect(run.footprint?.memory?.used).toBeGreaterThan(0);
    expect(run.summary.connect.n).toBe(3);
    expect(readFileSync(kh(), 'utf8')).toMatch(/^\|1\|/);
    const list = await isolab('runs', 'list', '--json');
    expect(JSON.parse(list.stdout).map((x: { id: string }) => x.id)).toContain(run.id);
    console.log(`loopback sshd: connect median ${run.summary.connect.median.toFixed(1)} ms, exec median ${run.summary.exec.median.toFixed(1)} ms`);
  });

  it('the text report names the host, the virtualization and the footprint', async () => {
    const r = await isolab('bench', 'host', 'cli-vm', '--iterations', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/host:cli-vm\s+complete/);
    expect(r.stdout).toMatch(/virtualization: /);
    expect(r.stdout).toMatch(/idle footprint: \d+ MiB memory used/);
    expect(r.stdout).toMatch(/connect\s+2\s+[\d.]+ ms/);
  });

  it('user@host with --port and --identity, no config needed', async () => {
    const r = await isolab('bench', 'host', `${sshd.user}@127.0.0.1`, '--port', String(sshd.port), '--identity', sshd.identity, '--json', '--iterations', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).model).toBe(`host:${sshd.user}@127.0.0.1`);
  });

  it('refuses a changed host key, even with --accept-new, with a clear warning', async () => {
    const other = 'AAAAC3NzaC1lZDI1NTE5AAAAIHWFYdMbNQMNz0fMMoyQdBBVo8/vNo4OqX+ZeLGVxdn2';
    writeFileSync(kh(), `${sshd.knownHostsName} ssh-ed25519 ${other}\n`);
    const r = await isolab('bench', 'host', 'cli-vm', '--accept-new');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/WARNING: the host key of \[127\.0\.0\.1\]:\d+ has CHANGED.*ssh-keygen -R/);
    expect(readFileSync(kh(), 'utf8')).toBe(`${sshd.knownHostsName} ssh-ed25519 ${other}\n`);
  });

  it('an unreachable host is reported as not reached, never with this machine\'s facts', async () => {
    const r = await isolab('bench', 'host', `${sshd.user}@127.0.0.1:1`, '--iterations', '1');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/host: .*127\.0\.0\.1:1 was not reached; nothing is known of the machine/);
    expect(r.stdout).not.toContain(os.release());
    expect(r.stderr).toMatch(/connection refused/);
  });

  it('bad input gets one clear line', async () => {
    const r = await isolab('bench', 'host', 'vm;reboot');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^isolab: target: a host is an alias or user@host\[:port\]/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('several targets make a fleet: each host on its own line, one failure fails only itself', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    const r = await isolab('bench', 'host', 'cli-vm', `${sshd.user}@127.0.0.1:1`, 'cli-vm', '--iterations', '1', '--concurrency', '2');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^cli-vm\s+complete/);
    expect(lines[2]).toMatch(/failed.*connection refused/);
    expect(lines[3]).toMatch(/^cli-vm\s+complete/);
  });

  it('a host cannot drive the terminal: control characters in what it prints are stripped, in the report and in the saved run', async () => {
    // A real sshd whose uname and systemd-detect-virt answer with escape sequences (title, clear screen, OSC 52
    // clipboard write, 8-bit CSI, bell), as a hostile or broken host could.
    const bin = mkdtempSync(path.join(os.tmpdir(), 'isolab-evilbin-'));
    const script = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    script('uname', `if [ "$1" = "-r" ]; then printf '6.1-evil\\033]0;pwned\\007\\033[2J\\033[31m\\302\\233' ; printf '1m\\n'; else exec /bin/uname "$@"; fi`);
    script('systemd-detect-virt', `printf 'kvm\\033]52;c;cm0gLXJmIH4=\\007\\n'`);
    script('wrap', `PATH=${bin}:$PATH; export PATH; exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"`);
    const evil = await startSshd({ alias: 'evil-vm', extraConfig: [`ForceCommand ${path.join(bin, 'wrap')}`] });
    const home = process.env.HOME;
    process.env.HOME = evil.home;
    try {
      const text = await isolab('bench', 'host', 'evil-vm', '--accept-new', '--iterations', '1');
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/kernel 6\.1-evil, /); // the 8-bit CSI took its '1m' with it
      expect(text.stdout).toMatch(/virtualization: kvm\n/);
      for (const out of [text.stdout, text.stderr]) expect(out).not.toMatch(/(?![\t\n])\p{Cc}/u);
      const json = await isolab('bench', 'host', 'evil-vm', '--json', '--iterations', '1');
      const run = Run.parse(JSON.parse(json.stdout));
      expect(run.environment.host.kernel).toBe('6.1-evil');
      expect(JSON.stringify(run)).not.toMatch(/\\u00(?:0[0-8]|0b|0c|0e|0f|1[0-9a-f]|7f|8[0-9a-f]|9[0-9a-f])/);
    } finally {
      process.env.HOME = home;
      await evil.stop();
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('isolab compare --host, several hosts', () => {
  it('runs the hosts in parallel, one machine never twice at once (two names of one sshd wait for each other), and an unreachable host fails alone', async () => {
    writeFileSync(kh(), `${sshd.knownHostsName} ${sshd.hostKeyLine}\n`);
    // A second name of the same machine: the fleet must not measure it twice at the same time.
    const config = path.join(sshd.home, '.ssh', 'config');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, `${original}\n${original.replace(/^Host cli-vm$/m, 'Host cli-vm-again')}`);
    try {
      const r = await isolab('compare', '--host', 'cli-vm', '--host', 'cli-vm-again', '--host', `${sshd.user}@127.0.0.1:1`, '--models', 'process', '--iterations', '3', '--no-footprint', '--json');
      expect(r.code, r.stderr).toBe(1);
      const docs = (JSON.parse(r.stdout) as unknown[]).map((d) => Comparison.parse(d));
      expect(docs.map((d) => (d.environment.remote as { target?: string }).target)).toEqual(['cli-vm', 'cli-vm-again', `${sshd.user}@127.0.0.1:1`]);
      const [a, b, dead] = docs;
      expect([a.status, b.status, dead.status]).toEqual(['complete', 'complete', 'failed']);
      expect((dead.environment.remote as { reached?: boolean }).reached).toBe(false);
      // One machine (the same hashed id): the two windows of measuring do not overlap.
      expect(a.environment.host.machineId).toBe(b.environment.host.machineId);
      const window = (c: Comparison) => [Date.parse(c.startedAt), Date.parse(c.finishedAt!)] as const;
      const [first, second] = [window(a), window(b)].sort((x, y) => x[0] - y[0]);
      expect(second[0]).toBeGreaterThanOrEqual(first[1]);
      expect(r.stderr).toMatch(/\[cli-vm(-again)?\] waiting: another comparison is running on cli-vm/);
      expect(JSON.stringify(dead.notes)).toMatch(/refused/i);
    } finally {
      writeFileSync(config, original);
    }
  });
});
