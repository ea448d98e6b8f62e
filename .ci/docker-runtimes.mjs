// Registers gVisor's runsc as a runtime of dockerd, in its daemon.json, keeping every other key as it was.
//
//   node .ci/docker-runtimes.mjs [--pid PID]
//
// Without --pid (dockerd is not running yet): writes /etc/docker/daemon.json, prints "written" or "unchanged".
// With --pid, the running dockerd: its own config file (--config-file on its command line, else the default), and
// prints "reload" when that dockerd must be sent SIGHUP, "ok" when it already lists runsc as wanted.
//
// runtimeArgs --network=none: Debian's runsc (2022-12) tells the host's network namespace from others by whether
// /proc/sys/net/core/rmem_default exists in it; recent kernels show that file in every namespace (gVisor issue
// 10704), so its default network ("sandbox") refuses to start anything: "cannot run with network enabled in root
// network namespace". none keeps gVisor's own network stack with a loopback only, which is what a container on
// network none gets anyway (and a plain registration gives no more on a host network: runsc then starts the
// sandbox in a new, empty namespace).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CONFIG = '/etc/docker/daemon.json';
export const WANTED = { runsc: { path: '/usr/bin/runsc', runtimeArgs: ['--network=none'] } };
/** Runtimes dockerd lists by itself: never written to the file. */
const BUILT_IN = new Set(['runc', 'io.containerd.runc.v2', 'io.containerd.runtime.v1.linux']);

/**
 * The config with the wanted runtimes in it. `listed` are the runtimes the running daemon lists: those it got
 * from --add-runtime flags are carried into the file, since a reload takes the file's runtimes in their place.
 */
export function mergeRuntimes(config, wanted, listed = {}) {
  const carried = Object.fromEntries(Object.entries(listed).filter(([name]) => !BUILT_IN.has(name)));
  return { ...config, runtimes: { ...carried, ...(config.runtimes ?? {}), ...wanted } };
}

/** True when the daemon lists every wanted runtime with the same path and arguments. */
export function listsWanted(listed, wanted) {
  return Object.entries(wanted).every(([name, want]) => {
    const have = listed?.[name];
    return have && have.path === want.path && JSON.stringify(have.runtimeArgs ?? []) === JSON.stringify(want.runtimeArgs ?? []);
  });
}

/** The --config-file a dockerd was started with, else the default. */
export function configFileOf(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config-file') return argv[i + 1];
    if (argv[i].startsWith('--config-file=')) return argv[i].slice('--config-file='.length);
  }
  return DEFAULT_CONFIG;
}

function readConfig(file) {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    // Never overwrite a file someone else wrote and broke: say so and stop.
    throw new Error(`${file} is not valid JSON (${err.message}); fix it, then run .ci/run again`);
  }
}

/** Writes the merged config when it differs; true when it did. */
export function register(file, wanted, listed = {}) {
  const before = readConfig(file);
  const after = mergeRuntimes(before, wanted, listed);
  if (JSON.stringify(after) === JSON.stringify(before)) return false;
  const tmp = `${file}.isolab-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(after, null, 2) + '\n', { mode: existsSync(file) ? statSync(file).mode & 0o777 : 0o644 });
  renameSync(tmp, file);
  return true;
}

function main(args) {
  const i = args.indexOf('--pid');
  if (i < 0) {
    process.stdout.write(register(DEFAULT_CONFIG, WANTED) ? 'written\n' : 'unchanged\n');
    return;
  }
  const pid = Number(args[i + 1]);
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
  if (!/dockerd$/.test(path.basename(argv[0] ?? ''))) throw new Error(`pid ${pid} is not dockerd (${argv[0]})`);
  const listed = JSON.parse(execFileSync('docker', ['info', '--format', '{{json .Runtimes}}'], { encoding: 'utf8' }));
  if (listsWanted(listed, WANTED)) {
    process.stdout.write('ok\n');
    return;
  }
  register(configFileOf(argv), WANTED, listed);
  process.stdout.write('reload\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`docker-runtimes: ${err.message}\n`);
    process.exit(1);
  }
}
