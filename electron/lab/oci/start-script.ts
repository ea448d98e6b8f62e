import type { Marks } from '../targets/target';
import { clockExpr, clockMs, shellQuote, type ShellClock } from '../shell-timing';

/**
 * One timed start of a raw OCI runtime, run by a shell on the host that runs the runtime: the same text on this
 * machine (electron/lab/targets/oci-local.ts, a local timing shell) and on a remote host
 * (electron/lab/remote/oci-target.ts, a root shell over SSH), so both are one instrument. Every path and word that
 * reaches the shell is single-quoted.
 */
export interface StartScript {
  /** The runtime as the shell calls it (an absolute path there, its name on PATH here). */
  runtime: string;
  /** Flags before the runtime's command (runsc's state dir and network; none for runc and crun). */
  globalArgs: string[];
  /** The bundle dir: the start's own bundle is `<dir>/<id>`, its rootfs `<dir>/rootfs`. */
  dir: string;
  id: string;
  config: Record<string, unknown>;
  readiness: 'exit' | 'running';
  clock: ShellClock;
}

/**
 * One timed start, all in one exec on the host's clock: its bundle (config.json) written first, outside the
 * interval; then `run` (in the foreground for an `exit` workload: `create` once the shell forked the runtime,
 * `ready` when it exited; `--detach` for a `running` one: `create` and `ready` once the runtime returned), then
 * `delete --force` and the bundle's removal (the stop phase `delete`). The container is always removed inside the
 * exec, so a start leaves nothing behind. Output: `isolab-oci RC T0 T1 T2 T3`.
 */
export function startScript(o: StartScript): string {
  const q = shellQuote;
  const t = clockExpr(o.clock);
  const b = `${o.dir}/${o.id}`;
  const rt = [o.runtime, ...o.globalArgs].map(q).join(' ');
  const io = `</dev/null >/dev/null 2>${q(`${b}/err`)}`;
  const run =
    o.readiness === 'exit'
      ? `t0=${t}; ${rt} run --bundle ${q(b)} ${q(o.id)} ${io} & p=$!; t1=${t}; wait $p; rc=$?; t2=${t}`
      : `t0=${t}; ${rt} run --detach --pid-file ${q(`${b}/pid`)} --bundle ${q(b)} ${q(o.id)} ${io}; rc=$?; t1=${t}; t2=${t}`;
  return [
    `mkdir ${q(b)} && printf '%s' ${q(JSON.stringify(o.config))} > ${q(`${b}/config.json`)} || { echo "isolab-oci-setup-failed"; exit 1; }`,
    run,
    `if [ "$rc" != 0 ]; then head -c 600 ${q(`${b}/err`)} >&2; fi`,
    `${rt} delete --force ${q(o.id)} >/dev/null 2>&1; rm -rf ${q(b)}; t3=${t}`,
    'echo "isolab-oci $rc $t0 $t1 $t2 $t3"',
  ].join('\n');
}

/** The marks of one start (create, ready, delete from its request), each less the shell's cost of its readings. */
export function parseStart(stdout: string, clock: ShellClock, overheadMs: number, where = ''): { marks: Marks; rc: number } {
  const line = stdout.split('\n').find((l) => l.startsWith('isolab-oci '));
  if (!line) {
    if (stdout.includes('isolab-oci-setup-failed')) throw new Error(`could not write the bundle of a start${where} (is its temp dir full or gone?)`);
    throw new Error(`the timing shell${where} printed no timing line: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  }
  const [, rc, ...readings] = line.trim().split(/\s+/);
  if (readings.length !== 4) throw new Error(`the timing shell${where} printed a broken line: ${line.slice(0, 200)}`);
  const [t0, ...t] = readings.map((r) => clockMs(r, clock));
  const marks: Marks = {};
  let last = 0;
  ['create', 'ready', 'delete'].forEach((phase, i) => {
    // The i-th reading after t0 carries i+1 readings' cost; never before the mark that came first.
    last = marks[phase] = Math.max(last, t[i] - t0 - (i + 1) * overheadMs);
  });
  return { marks, rc: Number(rc) };
}
