import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

// Two isolab processes (the desktop app and `isolab serve`, say) saving hosts in one data folder at the same
// time: every save is kept. The writer is HostService itself, bundled once for plain Node.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'isolab-hosts-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}: ${stderr}`))));
  });
}

describe('hosts.json shared by two processes', () => {
  it('two processes saving 25 hosts each at once: all 50 are kept', async () => {
    // Beside the sources, so the bundle's bare imports (proper-lockfile, zod...) resolve from node_modules.
    const script = path.join(process.cwd(), 'dist', 'test-fixtures', 'hostsWriter.mjs');
    await build({ entryPoints: ['test/fixtures/hostsWriter.ts'], bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', outfile: script, logLevel: 'warning' });
    const root = path.join(tmp, 'data');
    const home = path.join(tmp, 'home');
    mkdirSync(path.join(home, '.ssh'), { recursive: true });
    await Promise.all([run(script, [root, home, 'app-', '25']), run(script, [root, home, 'serve-', '25'])]);
    const names = (JSON.parse(readFileSync(path.join(root, 'hosts', 'hosts.json'), 'utf8')) as { name: string }[]).map((h) => h.name);
    expect(names).toHaveLength(50);
    expect(new Set(names).size).toBe(50);
  });
});
