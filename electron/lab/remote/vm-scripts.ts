import type { Marks } from '../targets/target';
import { ERROR_MARK, MARK } from '../vm/guest-init';
import { parseProcessMemory, type ProcessMemory } from '../vm/procfs';
import { clockMs, shellQuote, type ShellClock } from '../shell-timing';

/**
 * The shell text isolab runs on a remote host to boot its VM kit there with QEMU (pure: built and parsed here, run
 * by electron/lab/remote/vm-target.ts). Every path and word that reaches a shell is single-quoted. The boot script
 * needs bash there: `/dev/tcp` reads the guest's SSH banner and `read -t` bounds every wait.
 */

/** Where the kit lives on the remote host: `${TMPDIR:-/tmp}/isolab-vm-XXXXXXXX`, made by mktemp as the SSH user. */
const REMOTE_DIR_PREFIX = 'isolab-vm-';
const OWNER_FILE = 'isolab-owner.json';
const CLOCK_EXPR: Record<ShellClock, string> = { epochrealtime: '$EPOCHREALTIME', date: '$(date +%s%N)' };
/** The free space the kit needs in the remote tmp (a distribution kernel and isolab's initramfs, with room to spare). */
export const KIT_SPACE_KIB = 64 * 1024;

/** What the host offers for a VM: QEMU and its machine types, the architecture, bash, /dev/kvm, free tmp space, the TSC. */
export const VM_PROBE = [
  'q=$(command -v qemu-system-x86_64 2>/dev/null); echo "isolab-qemu $q"',
  '[ -n "$q" ] && "$q" -machine help 2>/dev/null | sed -n "s/^\\(q35\\|pc\\|microvm\\) /isolab-machine \\1 /p"',
  '[ -n "$q" ] && echo "isolab-version $("$q" --version 2>/dev/null | head -n 1)"',
  'echo "isolab-arch $(uname -m)"',
  'echo "isolab-bash $(command -v bash 2>/dev/null)"',
  'if [ -e /dev/kvm ]; then if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then echo "isolab-kvm rw"; else echo "isolab-kvm denied"; fi; else echo "isolab-kvm none"; fi',
  'echo "isolab-space $(df -Pk "${TMPDIR:-/tmp}" 2>/dev/null | awk \'NR==2{print $4}\')"',
  'grep -m 2 -E "^(flags|bogomips)" /proc/cpuinfo 2>/dev/null | sed "s/^/isolab-cpu /"',
  'true',
].join('\n');

export interface VmProbe {
  qemu?: string;
  /** QEMU's machine types there, alias -> what it stands for (`q35` -> `pc-q35-7.2`). */
  machines: Record<string, string>;
  version?: string;
  arch: string;
  bash?: string;
  kvm: 'rw' | 'denied' | 'none';
  freeKiB?: number;
  /** The /proc/cpuinfo lines parseTscKhz reads. */
  cpuinfo: string;
}

export function parseVmProbe(stdout: string): VmProbe {
  const lines = stdout.split('\n');
  const field = (key: string) => lines.find((l) => l.startsWith(`isolab-${key} `))?.slice(key.length + 8).trim() ?? '';
  const machines: Record<string, string> = {};
  for (const l of lines) {
    const m = /^isolab-machine (\S+) (.*)$/.exec(l.trim());
    if (m) machines[m[1]] = m[2].match(/\(alias of ([^)]+)\)/)?.[1] ?? m[1];
  }
  const abs = (p: string) => (/^\/[\w./+-]+$/.test(p) ? p : undefined);
  const kvm = field('kvm');
  const space = Number(field('space'));
  return {
    qemu: abs(field('qemu')),
    machines,
    version: field('version').match(/version\s+(\S+)/)?.[1],
    arch: field('arch'),
    bash: abs(field('bash')),
    kvm: kvm === 'rw' || kvm === 'denied' ? kvm : 'none',
    freeKiB: field('space') && Number.isFinite(space) ? space : undefined,
    cpuinfo: lines.filter((l) => l.startsWith('isolab-cpu ')).map((l) => l.slice(11)).join('\n'),
  };
}

/** Makes the kit dir (the SSH user's) with its owner file first, so a run stopped at any later step leaves a dir the sweep knows. */
export function makeVmDirScript(owner: Record<string, unknown>): string {
  return `d=$(mktemp -d "\${TMPDIR:-/tmp}/${REMOTE_DIR_PREFIX}XXXXXXXX") && printf '%s\\n' ${shellQuote(JSON.stringify(owner))} > "$d/${OWNER_FILE}" && echo "isolab-dir $d"`;
}

export function parseVmDir(stdout: string): string {
  const dir = stdout.split('\n').find((l) => l.startsWith('isolab-dir '))?.slice(11).trim() ?? '';
  if (!isVmDir(dir)) throw new Error(`mktemp on the remote host gave no directory for the VM kit: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  return dir;
}

/** An absolute path whose last part is isolab's mktemp name: the only directories isolab removes there. */
function isVmDir(dir: string): boolean {
  return dir.startsWith('/') && !/[\n\0]/.test(dir) && new RegExp(`/${REMOTE_DIR_PREFIX}[A-Za-z0-9]{6,}$`).test(dir);
}

/**
 * Kills the QEMU processes of a kit dir (each boot's pid file, and only a process whose command line carries
 * isolab's `-name` marker: a reused pid is never hit), then removes the dir when `removeDir`.
 */
export function killScript(dir: string, removeDir: boolean): string {
  const q = shellQuote;
  return [
    `for f in ${q(dir)}/*.pid; do [ -f "$f" ] || continue; p=$(head -c 20 "$f" | tr -cd 0-9); [ -n "$p" ] || continue`,
    `  if tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q -- 'qemu-system.* -name isolab-'; then kill -9 "$p" 2>/dev/null; fi; done`,
    removeDir ? `rm -rf ${q(dir)}` : 'true',
  ].join('\n');
}

/** Lists isolab's kit dirs under the SSH user's tmp that this user owns, each with its owner file. */
export const LIST_VM_LEFTOVERS = `for d in "\${TMPDIR:-/tmp}"/${REMOTE_DIR_PREFIX}*; do [ -d "$d" ] && [ -O "$d" ] && [ -f "$d/${OWNER_FILE}" ] || continue; printf 'isolab-left %s ' "$d"; head -c 2000 "$d/${OWNER_FILE}" | tr -d '\\n'; echo; done; true`;

export function parseVmLeftovers(stdout: string): { dir: string; owner: Record<string, string> }[] {
  const out: { dir: string; owner: Record<string, string> }[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^isolab-left (\S+) (\{.*\})$/.exec(line.trim());
    if (!m || !isVmDir(m[1])) continue;
    try {
      const owner = JSON.parse(m[2]) as unknown;
      if (owner && typeof owner === 'object' && !Array.isArray(owner)) out.push({ dir: m[1], owner: Object.fromEntries(Object.entries(owner).map(([k, v]) => [k, String(v)])) });
    } catch {
      /* not an owner file isolab wrote: leave the dir */
    }
  }
  return out;
}

export interface BootScript {
  dir: string;
  /** The boot's id: names its serial fifo, pid file and QEMU's stderr in the dir. */
  id: string;
  qemu: string;
  /** QEMU's arguments (qemuArgs, with the remote kit's paths and `-pidfile <dir>/<id>.pid`). */
  args: string[];
  clock: ShellClock;
  /** `ready`: the guest's ready marker, then its SSH banner on `port`; `init`: the accelerator's test boot. */
  until: 'ready' | 'init';
  /** The forwarded port on the remote host's 127.0.0.1 (with `until: 'ready'`). */
  port?: number;
  /** Whole seconds the boot may take to its last mark. */
  timeoutS: number;
}

/**
 * One boot, all in one exec of bash on the remote clock. `t0` is read just before QEMU is forked; QEMU's serial
 * console goes to a fifo this shell reads, and each stage is stamped with the shell's clock as it arrives: `spawn`
 * (the fork returned), `firmware` (the first serial byte), `kernel` (the banner), `init` and `ready` (the guest's
 * markers, with its own uptime). With `until: 'ready'` the shell then reads the guest's SSH banner through the
 * forward on 127.0.0.1 (`ssh`: bash's /dev/tcp, retried every 20 ms), and stops QEMU (SIGTERM, SIGKILL after 2 s)
 * and reaps it (`shutdown`). Output lines: `isolab-vm-t0 T`, `isolab-vm-mark PHASE T [UPTIME]`, `isolab-vm-end
 * OUTCOME`, and on a failure QEMU's last words and console lines.
 */
export function bootScript(o: BootScript): string {
  const q = shellQuote;
  const t = CLOCK_EXPR[o.clock];
  const f = `${o.dir}/${o.id}.serial`;
  const e = `${o.dir}/${o.id}.err`;
  const cmd = [o.qemu, ...o.args].map(q).join(' ');
  const lines = [
    `f=${q(f)}; e=${q(e)}; end=$((SECONDS + ${Math.max(1, Math.round(o.timeoutS))})); out=timeout; kern=; tail=`,
    `rm -f "$f"; mkfifo "$f" || { echo "isolab-vm-end setup-failed"; exit 1; }`,
    // Read-write: opening never blocks, and the fifo stays open if QEMU dies before it writes.
    'exec 3<>"$f"',
    'mark() { echo "isolab-vm-mark $1 $2 $3"; }',
    `t0=${t}; ${cmd} </dev/null >"$f" 2>"$e" & qp=$!; mark spawn ${t}`,
    `echo "isolab-vm-t0 $t0"`,
    // The first serial byte: the firmware and loader are done.
    'while [ $SECONDS -lt $end ]; do if IFS= read -r -n 1 -t 0.2 c <&3; then mark firmware ' + t + '; buf="$c"; break; fi; kill -0 $qp 2>/dev/null || { out=exited; break; }; done',
    'while [ "$out" = timeout ] && [ $SECONDS -lt $end ]; do',
    '  if IFS= read -r -t 0.2 part <&3; then line="$buf$part"; buf=; line="${line%$\'\\r\'}"',
    // The last console lines, for an error message (a negative offset past the start would give nothing).
    '    tail="$tail|${line:0:200}"; [ ${#tail} -le 600 ] || tail="${tail: -600}"',
    '    case "$line" in',
    `      *"Linux version"*) [ -n "$kern" ] || { kern=1; mark kernel ${t}; } ;;`,
    `      *"${MARK} init "*) u="\${line##*${MARK} init }"; mark init ${t} "\${u%% *}"; [ ${o.until} = init ] && out=init ;;`,
    `      *"${MARK} ready "*) u="\${line##*${MARK} ready }"; mark ready ${t} "\${u%% *}"; out=ready ;;`,
    `      *"${ERROR_MARK}"*|*"Kernel panic"*) out=guest-failed ;;`,
    '    esac',
    '  else buf="$buf$part"; kill -0 $qp 2>/dev/null || out=exited; fi',
    'done',
  ];
  if (o.until === 'ready') {
    lines.push(
      // The rest of the console is drained so QEMU never blocks on it.
      'if [ "$out" = ready ]; then cat <&3 >/dev/null & dp=$!; out=no-banner',
      `  while [ $SECONDS -lt $end ]; do`,
      `    if { exec 4<>/dev/tcp/127.0.0.1/${Number(o.port)}; } 2>/dev/null; then`,
      `      if IFS= read -r -t 2 b <&4 && [ "\${b#SSH-}" != "$b" ]; then mark ssh ${t}; out=ready; fi; exec 4<&-`,
      '      [ "$out" = ready ] && break',
      '    fi',
      '    kill -0 $qp 2>/dev/null || break; sleep 0.02',
      '  done',
      // QEMU's memory and CPU at SSH ready, read with builtins (no process started beside it).
      '  if [ "$out" = ready ]; then r=; while IFS= read -r x; do case "$x" in Rss:*|Pss:*) r="$r$x;" ;; esac; done 2>/dev/null </proc/$qp/smaps_rollup',
      '    st=; IFS= read -r st 2>/dev/null </proc/$qp/stat; echo "isolab-vm-rollup $r"; echo "isolab-vm-stat $st"; fi',
      'fi',
    );
  }
  lines.push(
    // SIGTERM, SIGKILL after 2 s; no watchdog in the background (it would hold the exec's output open).
    'kill -TERM $qp 2>/dev/null; n=0; while kill -0 $qp 2>/dev/null && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done; kill -KILL $qp 2>/dev/null',
    `wait $qp 2>/dev/null; mark shutdown ${t}`,
    '[ -z "${dp:-}" ] || { kill $dp 2>/dev/null; wait $dp 2>/dev/null; }; exec 3<&-',
    'echo "isolab-vm-end $out"',
    `if [ "$out" != ready ] && [ "$out" != init ]; then echo "isolab-vm-err $(tail -c 400 "$e" | tr '\\n' ' ')"; echo "isolab-vm-tail $tail"; fi`,
    `rm -f "$f" "$e" ${q(`${o.dir}/${o.id}.pid`)}`,
  );
  return lines.join('\n');
}

/** The phases a boot script stamps, in order (the local VM's names: electron/lab/vm/guest.ts VM_PHASES). */
const BOOT_MARKS = ['spawn', 'firmware', 'kernel', 'init', 'ready', 'ssh', 'shutdown'] as const;

export interface BootResult {
  outcome: string;
  marks: Marks;
  guestUptime: { init?: number; ready?: number };
  /** What QEMU said on stderr and the console's last lines, on a failure. */
  detail: string;
  /** QEMU's memory and CPU time at SSH ready, from the remote /proc. */
  qemu?: ProcessMemory;
}

/**
 * The marks of one boot from its output, ms from t0, each less the shell's cost of one pair of readings. A phase
 * never ends before the one it follows (a marker can arrive with the line before it); a phase whose mark is missing
 * before one that came takes the later one's time, as the local console reader does.
 */
export function parseBoot(stdout: string, clock: ShellClock, overheadMs: number): BootResult {
  const lines = stdout.split('\n').map((l) => l.trim());
  const t0line = lines.find((l) => l.startsWith('isolab-vm-t0 '));
  const outcome = lines.find((l) => l.startsWith('isolab-vm-end '))?.slice(14).trim() ?? '';
  const err = lines.find((l) => l.startsWith('isolab-vm-err '))?.slice(14).trim();
  const tail = lines.find((l) => l.startsWith('isolab-vm-tail '))?.slice(15).replace(/^\|+/, '').trim();
  const detail = [err && `QEMU said: ${err}`, tail && `last console lines: ${tail.split('|').slice(-3).join(' | ')}`].filter(Boolean).join('; ');
  if (!t0line || !outcome) throw new Error(`the remote boot shell printed no timing lines: ${stdout.trim().slice(0, 200) || '(nothing)'}`);
  const t0 = clockMs(t0line.slice(13).trim(), clock);
  const raw: Partial<Record<(typeof BOOT_MARKS)[number], number>> = {};
  const guestUptime: BootResult['guestUptime'] = {};
  for (const l of lines) {
    const m = /^isolab-vm-mark (\w+) (\S+)(?: (\S+))?$/.exec(l);
    if (!m || !(BOOT_MARKS as readonly string[]).includes(m[1])) continue;
    const phase = m[1] as (typeof BOOT_MARKS)[number];
    if (raw[phase] === undefined) raw[phase] = Math.max(0, clockMs(m[2], clock) - t0 - overheadMs);
    if ((phase === 'init' || phase === 'ready') && m[3] && Number.isFinite(Number(m[3]))) guestUptime[phase] = Number(m[3]) * 1000;
  }
  const marks: Marks = {};
  const last = BOOT_MARKS.reduce((i, p, k) => (raw[p] !== undefined ? k : i), -1);
  let floor = 0;
  for (let k = 0; k <= last; k++) {
    const p = BOOT_MARKS[k];
    // A missing mark before a later one: the later one's time (never a gap in the phase order).
    const v = raw[p] ?? BOOT_MARKS.slice(k + 1).map((x) => raw[x]).find((x) => x !== undefined)!;
    floor = marks[p] = Math.max(floor, v);
  }
  const rollup = lines.find((l) => l.startsWith('isolab-vm-rollup '))?.slice(17);
  const stat = lines.find((l) => l.startsWith('isolab-vm-stat '))?.slice(15);
  const qemu = rollup !== undefined && stat ? parseProcessMemory(rollup.split(';').join('\n'), stat) : undefined;
  return { outcome, marks, guestUptime, detail, ...(qemu && qemu.rssBytes > 0 ? { qemu } : {}) };
}
