#!/usr/bin/env node
// `npm start`: the desktop app when Electron can run here; otherwise browser mode, printing its URL.
// Electron cannot run without a display, or when its binary was never downloaded (offline machines, CI with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1): the same UI is then served on 127.0.0.1 by `isolab serve`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const say = (line) => process.stderr.write(`isolab: ${line}\n`);

if (!existsSync(path.join(root, 'dist', 'cli.mjs')) || !existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  say('building first (npm run build)...');
  const built = spawnSync(process.execPath, [path.join(root, 'build', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

function browserMode(why) {
  say(`${why}; starting browser mode instead.`);
  const args = [path.join(root, 'bin', 'isolab.mjs'), 'serve', ...process.argv.slice(2)];
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** The Electron binary's path, or why there is none (checked in a child: the lookup may try a download). */
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.status === 0 && probe.stdout && existsSync(probe.stdout)) return { path: probe.stdout };
  const why = (probe.stderr || '').split('\n').find((l) => /Error|error/.test(l)) || 'it was not downloaded';
  return { error: `Electron's binary is not available (${why.trim()})` };
}

const forced = process.env.ISOLAB_START;
if (forced === 'browser') {
  browserMode('ISOLAB_START=browser');
} else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  browserMode('no desktop display here (DISPLAY and WAYLAND_DISPLAY are unset)');
} else {
  const bin = electronBinary();
  if (bin.error) {
    browserMode(bin.error);
  } else {
    // Chromium refuses to run as root without --no-sandbox; say so rather than fail silently.
    const extra = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    if (extra.length) say('running as root: Chromium\'s OS sandbox is off for this session (run as a normal user to keep it).');
    const started = Date.now();
    const child = spawn(bin.path, [...extra, path.join(root, 'dist', 'main.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    child.on('error', (e) => browserMode(`Electron did not start (${e.message})`));
    child.on('exit', (code) => {
      // A crash within seconds means Electron cannot run here (missing libraries, no GPU/display access).
      if (code !== 0 && Date.now() - started < 10_000) browserMode(`Electron exited at once with code ${code}${err ? `: ${err.trim().split('\n').pop()}` : ''}`);
      else process.exit(code ?? 0);
    });
  }
}
