import { duration as s } from './units';

/**
 * Notes and warnings as data (after hyperfine's warnings): the engine records a code and its parameters, and
 * each face puts them in words: the CLI in English with its flag names (electron/note-text.ts), the UI in the
 * user's language (renderer/src/notes.ts, locales/<lang>/notes.json). `text` keeps the English words beside,
 * with no flag names, for readers that predate codes and for exports (Markdown).
 */

/** Every note code with its parameters. A new note is one line here, its English words below, and en/fr keys. */
export interface NoteParams {
  /** A note written before notes had codes: only its English text is known. */
  text: Record<string, never>;
  /** Statistics (shared/stats.ts spreadWarnings). `model` names the series; `baseline` when it is the floor. */
  'few-iterations': { model: string; baseline?: boolean; n: number };
  'wide-spread': { model: string; baseline?: boolean; stddevMs: number; cvPct: number };
  'cold-first': { model: string; baseline?: boolean; firstMs: number; medianMs: number };
  /** `examples`: the first few outlier iterations ("3, 17, 40"); `count` of them in all. */
  outliers: { model: string; baseline?: boolean; count: number; examples: string };
  /** Drivers and targets. */
  'process-echo-fallback': Record<string, never>;
  'silent-program': { model: string; count: number; iterations: number };
  'answer-before-output': { model: string; count: number; iterations: number };
  'concurrent-instances': { count: number };
  'ssh-proxy-jump': { hops: string };
  'ssh-idle-footprint': Record<string, never>;
  'ssh-remote-engine': Record<string, never>;
  /** A comparison on a remote host (isolab compare --host). */
  'remote-shell-clock': { clock: string; overheadMs: number };
  /** This machine's floor timed by the same timing shell as a remote one (spawnMs: isolab's spawn of the shell, outside the figure). */
  'local-shell-clock': { clock: string; overheadMs: number; spawnMs: number };
  /** This machine's floor timed by isolab's own spawn, for a workload the timing shell cannot see ready (a log line, a TCP accept, k at a time). */
  'process-spawn-clock': { readiness: string; concurrency: number };
  /** This machine has no shell that can read a fine clock (no bash with $EPOCHREALTIME, no date +%s%N): the floor keeps isolab's spawn. */
  'process-no-timing-shell': { reason: string };
  'remote-engine-clock': { samples: number; localFallback: number };
  /** A container here timed on this machine's engine's event stream, the same instrument as remote-engine-clock, no SSH. */
  'local-engine-clock': { samples: number; localFallback: number };
  /** This machine's engine's event stream could not be opened: its containers kept this machine's clock at the engine's answers. */
  'local-engine-no-events': { error: string };
  'remote-startup-only': { model: string };
  /** A raw OCI runtime run on the remote host: where its bundle was and how isolab was root there (`sudo -n`, or `ssh root`: logged in as root). */
  'remote-oci-bundle': { model: string; dir: string; via: string };
  /** A raw OCI runtime here timed by the same start script in a local timing shell as on a remote host (spawnMs: isolab's spawn of the shell, outside the figure). */
  'oci-local-shell-clock': { model: string; clock: string; overheadMs: number; spawnMs: number };
  /** A raw OCI runtime here timed by isolab's own spawn of the runtime, for a workload the timing shell cannot see ready (a log line, a TCP accept, k at a time). */
  'oci-spawn-clock': { model: string; readiness: string; concurrency: number };
  'boot-unfinished': Record<string, never>;
  'boot-no-systemd': Record<string, never>;
  'vm-tcg': Record<string, never>;
  'vm-accel-failed': { accel: string; detail: string };
  'vm-microvm': Record<string, never>;
  'vm-microvm-tsc': { khz: number };
  'vm-memory-at-ready': Record<string, never>;
  /** Footprint and density (electron/lab/footprint, compare/run.ts). */
  'host-memory-method': Record<string, never>;
  'cgroup-unreadable': { dir: string; error: string };
  'disk-unreadable': { error: string };
  'no-cgroup': { model: string };
  'vm-qemu-pss': { guestMiB?: number };
  'vm-footprint-from-run': { model: string };
  'startup-only': { model: string };
  'host-memory-noise': { model: string; instances: number };
  'footprint-failed': { model: string; error: string };
  /** Footprint figures the host refused without root: one code per figure (the correction for other programs, PSS, cgroup). */
  'root-host-correction': { host: string };
  'root-process-pss': { host: string };
  'root-helper-pss': { host: string };
  'root-cgroup': { host: string };
  /** A footprint measured on another host: its request-side CPU is the engine's daemons there, without isolab's own. */
  'footprint-remote-cpu': { host: string };
  'density-left-behind': { model: string; count: number };
  'density-failed': { model: string; error: string };
  /** The comparison as a whole. */
  'comparison-stopped': { error: string };
  'back-to-back': Record<string, never>;
  /** Adaptive comparisons (issue 14): the order models took turns in, a figure the budget never reached, the VM's curve. */
  'pilot-first': Record<string, never>;
  'budget-not-reached': { model: string; figure: string };
  'vm-density': { model: string; count: number; accel: string; memoryMiB: number };
  'not-measured': { models: string };
  /** Swarm (electron/lab/swarm). */
  'swarm-created-and-left': { initMs: number; leaveMs: number };
  'swarm-not-restored': Record<string, never>;
  'swarm-existing': { nodeId: string };
  'network-host': Record<string, never>;
  'states-missed': { missed: number; tasks: number; pollMs: number };
  'timeline-order': { count: number; first: string };
  'warmup-rounds': { rounds: number };
  'few-rounds': { rounds: number };
}
export type NoteCode = keyof NoteParams;

/**
 * A note as stored (its schema, which also reads plain strings of runs saved before notes had codes as code `text`,
 * is `Note` in shared/note-schema.ts: this module stays zod-free, so the run page words notes without the schemas).
 */
export interface Note {
  code: string;
  params: Record<string, string | number | boolean>;
  /** The English words, for old readers and exports; faces render from code and params. */
  text: string;
}

const series = (p: { model: string; baseline?: boolean }) => (p.baseline ? `${p.model} (baseline)` : p.model);

/** English words of each code, with no flag names: each face adds its own way to act on a note. */
const ENGLISH: { [C in NoteCode]: (p: NoteParams[C]) => string } = {
  text: () => '',
  'few-iterations': (p) => `${series(p)}: only ${p.n} timed iteration(s); the statistics are rough.`,
  'wide-spread': (p) =>
    `${series(p)}: the spread is wide (stddev ${s(p.stddevMs)} is ${p.cvPct}% of the mean). Other programs may be competing for the machine.`,
  'cold-first': (p) =>
    `${series(p)}: the first timed iteration (${s(p.firstMs)}) was much slower than the median (${s(p.medianMs)}): caches were probably cold.`,
  outliers: (p) =>
    `${series(p)}: ${p.count} statistical outlier(s) (e.g. iteration ${p.examples}); the median is robust to them, the mean is not.`,
  'process-echo-fallback': () => "No static busybox on this host: the process baseline ran /bin/echo instead of the probe image's program.",
  'silent-program': (p) =>
    `${p.model}: in ${p.count} of ${p.iterations} iterations (warmup included) the program printed nothing, so firstOutput is the end of its output: the program's own start is not seen there.`,
  'answer-before-output': (p) =>
    `${p.model}: in ${p.count} of ${p.iterations} iterations (warmup included) the engine answered the start call before the program's first output. Each phase runs from the mark before it in its own iteration, so there \`started\` counts from \`create\` and \`firstOutput\` from \`started\`; the ready line gives both moments from the request.`,
  'concurrent-instances': (p) => `${p.count} instances started at once per iteration; each iteration's times are its slowest instance's.`,
  'ssh-proxy-jump': (p) => `Reached through ProxyJump (${p.hops}): connect times include every hop.`,
  'ssh-idle-footprint': () => "The idle footprint was read right after connecting; isolab's own SSH session is part of it (one sshd and one shell).",
  'ssh-remote-engine': () => 'Run on the remote engine over one SSH connection (docker system dial-stdio): each engine call includes the SSH round trip.',
  'remote-shell-clock': (p) =>
    `Timed on the remote host's clock by a shell there (${p.clock === 'date' ? 'date +%s%N' : '$EPOCHREALTIME'}), one SSH exec per start, so no SSH round trip is in the figure; the shell's own cost (${s(p.overheadMs)} per pair of readings) is taken off each interval. That shell is started by the host's SSH server, not by isolab: on one machine timed both ways, start by start, process starts read 4-17% shorter in it (9% in the median round) than in a shell isolab started, so compare such short figures from two machines within about 10%.`,
  'local-shell-clock': (p) =>
    `The floor was timed inside a shell on this machine (${p.clock === 'date' ? 'date +%s%N' : '$EPOCHREALTIME'}), one shell started per start, the same instrument as the floor on a remote host: the interval is the shell's fork and exec of the program, the shell's own cost (${s(p.overheadMs)} per pair of readings) taken off; isolab's own spawn of the shell (${s(p.spawnMs)}) is outside the figure.`,
  'process-spawn-clock': (p) =>
    `The floor was timed by isolab's own spawn of the program (readiness ${p.readiness}, ${p.concurrency} at a time), not by the timing shell, which sees only an exit or a forked process one at a time: Node's spawn and pipes are inside each figure, so ratios to this floor are lower than to a shell-timed one.`,
  'process-no-timing-shell': (p) =>
    `The floor was timed by isolab's own spawn of the program, not by the timing shell: this machine has no shell that reads a fine clock (${p.reason}). Node's spawn and pipes are inside each figure, so ratios to this floor are lower than to a shell-timed one, such as a remote host's.`,
  'remote-engine-clock': (p) =>
    `Timed on the remote engine's clock: each phase the engine marks (the start, the workload's exit or its ready line in the engine's log, the removal) runs from the container's create event to that event, both read from the engine's event stream (timeNano): the round trips of the calls after the last one the engine waited for are out of the figure; the create call and the turnaround to the next call stay in (see the clock's round trips to ready).${p.localFallback ? ` ${p.localFallback} of ${p.samples} starts kept this machine's clock, SSH included: their events had not come in time.` : ''}`,
  'local-engine-clock': (p) =>
    `Timed on this machine's engine's clock, as on a remote host: each phase the engine marks (the start, the workload's exit or its ready line in the engine's log, the removal) runs from the container's create event to that event, both read from the engine's event stream (timeNano), added to the create call as isolab saw it; no SSH, nothing to allow for. The engine's handling of the calls after that event (the wait call's answer) is out of the figure.${p.localFallback ? ` ${p.localFallback} of ${p.samples} starts kept isolab's own clock at the engine's answers: their events had not come in time.` : ''}`,
  'local-engine-no-events': (p) =>
    `This machine's engine's event stream could not be opened (${p.error}): the starts were timed on isolab's own clock at the engine's answers, not on the engine's clock as on a remote host, so they read a little higher than a remote engine-clock figure.`,
  'remote-startup-only': (p) => `${p.model}: on a remote host only startup is measured; footprint and density need the remote /proc and cgroups, which this version does not read.`,
  'remote-oci-bundle': (p) =>
    `${p.model}: run straight on a bundle in ${p.dir} on the remote host, as root (${p.via === 'sudo -n' ? 'through sudo -n' : 'logged in as root'}); its containers and the bundle are removed after the model.`,
  'oci-local-shell-clock': (p) =>
    `${p.model}: each start was timed inside a shell on this machine (${p.clock === 'date' ? 'date +%s%N' : '$EPOCHREALTIME'}) running the same start script as on a remote host, one shell per start: the interval is the runtime's run from the shell's fork, the shell's own cost (${s(p.overheadMs)} per pair of readings) taken off; isolab's own spawn of the shell (${s(p.spawnMs)}) is outside the figure.`,
  'oci-spawn-clock': (p) =>
    `${p.model}: each start was timed by isolab's own spawn of the runtime (readiness ${p.readiness}, ${p.concurrency} at a time), not by the timing shell, which sees only an exit or a running container one at a time: Node's spawn (a few ms) is inside each figure.`,
  'boot-unfinished': () => 'systemd reports that boot has not finished yet (a unit is still starting); the timeline is partial.',
  'boot-no-systemd': () => 'No systemd boot timeline: systemd-analyze is missing or systemd is not PID 1 (a container, or another init).',
  'vm-tcg': () => 'TCG: QEMU emulated the CPU (no working hardware accelerator), so these timings are emulation: a VM under KVM, HVF or WHPX boots several times faster.',
  'vm-accel-failed': (p) => `${p.accel} was found but failed its test boot (${p.detail}), so isolab fell back to TCG.`,
  'vm-microvm': () =>
    'microvm: no PCI bus, no ACPI PM timer or HPET; the network device is on virtio-mmio and the firmware is qboot. The kernel, initramfs and serial marks are those of the q35 VM, so each phase compares side by side.',
  'vm-microvm-tsc': (p) =>
    `microvm under TCG: the guest was given the host's TSC rate (tsc_early_khz=${p.khz} tsc=reliable) because it has no timer to calibrate or check it against; a q35 guest calibrates its own against its HPET during boot.`,
  'vm-memory-at-ready': () => "Guest memory and QEMU RSS/PSS were read at SSH ready; the shutdown phase is from that moment to QEMU's exit.",
  'host-memory-method': () =>
    "The host-side figure is the drop in the machine's MemAvailable per instance, less what unrelated programs allocated or freed meanwhile (their anonymous memory and page tables, counted in the same /proc/meminfo read); the uncorrected drop is kept in hostBytesRawRounds. Other programs' page cache and kernel memory are not taken out.",
  'cgroup-unreadable': (p) => `could not read ${p.dir}: ${p.error}`,
  'disk-unreadable': (p) => `disk: ${p.error}`,
  'no-cgroup': (p) => `${p.model}: no cgroup found for its instances; only the host-side figure is available.`,
  'vm-qemu-pss': (p) =>
    `QEMU's PSS per booted VM (the guest's memory lives inside it)${p.guestMiB !== undefined ? `; the guest itself used ${p.guestMiB.toFixed(1)} MiB` : ''}.`,
  'vm-footprint-from-run': (p) => `${p.model}: footprint from its own benchmark run (per booted instance).`,
  'startup-only': (p) => `${p.model}: startup only; footprint and density are not measured for this model yet.`,
  'host-memory-noise': (p) =>
    `${p.model}: the host-side memory figure is below this machine's noise (other programs moved MemAvailable more than ${p.instances} idle instances did); read the cgroup and PSS columns, or hold more instances for more rounds.`,
  'footprint-failed': (p) => `${p.model}: footprint: ${p.error}`,
  'root-host-correction': (p) =>
    `${p.host}: correcting for other programs' memory needs root on that host (the engine's and instances' smaps_rollup), so the host-side figure is the plain drop in MemAvailable, not corrected for other programs.`,
  'root-process-pss': (p) => `${p.host}: the workload process's PSS needs root on that host and was not read.`,
  'root-helper-pss': (p) => `${p.host}: the PSS of the helper processes (shim, sandbox, VMM) needs root on that host and was not read.`,
  'root-cgroup': (p) => `${p.host}: the instances' cgroup memory needs root on that host and was not read.`,
  'footprint-remote-cpu': (p) =>
    `${p.host}: measured on another host over SSH: the request-side CPU of a start counts the engine's daemons there, not isolab itself (it runs on this machine).`,
  'density-left-behind': (p) => `${p.model}: density: ${p.count} instance(s) could not be removed`,
  'density-failed': (p) => `${p.model}: density: ${p.error}`,
  'comparison-stopped': (p) => `the comparison stopped: ${p.error}`,
  'back-to-back': () => "Models ran back to back, not interleaved: a change in the machine's load between models moves their ratios.",
  'pilot-first': () =>
    "Models took turns pilot-first: each model's first block in order, then one more block each, so each model's samples come from at most two stretches of time. A change in the machine's load between stretches moves their ratios.",
  'budget-not-reached': (p) => `${p.model}: ${p.figure} not measured, the time budget ran out first.`,
  'vm-density': (p) => `${p.model}: density from ${p.count} VM(s) booted side by side (${p.accel}, ${p.memoryMiB} MiB each); memory is MemAvailable's drop, not corrected for other programs.`,
  'not-measured': (p) => `Not measured here: ${p.models}.`,
  'swarm-created-and-left': (p) =>
    `isolab created a single-node swarm for this run (init ${s(p.initMs)}) and left it (${s(p.leaveMs)}); its docker_gwbridge went with it: the engine is as found.`,
  'swarm-not-restored': () => 'isolab created a swarm for this run and could NOT leave the engine as found (see the messages above).',
  'swarm-existing': (p) => `The engine's own swarm was used as it was (node ${p.nodeId}); isolab's service was pinned to this node and removed.`,
  'network-host': () => "Tasks and bare containers share the host's network stack: swarm services have no `none` network; nothing is sent.",
  'states-missed': (p) =>
    `${p.missed} task state(s) over ${p.tasks} task(s) went by between two polls (every ${p.pollMs} ms) and are not in their timelines; stages that need them have fewer samples.`,
  'timeline-order': (p) => `${p.count} task timeline(s) are out of swarmkit's order (${p.first}): the engine's clock may have stepped.`,
  'warmup-rounds': (p) =>
    `${p.rounds} warmup round(s) ran first and are not in the figures (the first tasks on a fresh swarm also set up its ingress sandbox).`,
  'few-rounds': (p) => `Only ${p.rounds} timed round(s): the per-round ratios' intervals are rough.`,
};

export const NOTE_CODES = Object.keys(ENGLISH) as NoteCode[];

/** A note of `code`, with its English words beside for old readers. */
export function note<C extends NoteCode>(code: C, ...params: NoteParams[C] extends Record<string, never> ? [] : [NoteParams[C]]): Note {
  const p = (params[0] ?? {}) as NoteParams[C];
  const clean: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) clean[k] = v as string | number | boolean;
  return { code, params: clean, text: ENGLISH[code](p) };
}

/** A note's English words (no flag names), rebuilt from its code when the code is known, else its stored text. */
export function englishNote(n: Note): string {
  const words = isNoteCode(n.code) && n.code !== 'text' ? (ENGLISH[n.code] as (p: Note['params']) => string)(n.params) : '';
  return words || n.text || n.code;
}

export function isNoteCode(code: string): code is NoteCode {
  return Object.prototype.hasOwnProperty.call(ENGLISH, code);
}

/** Notes from several sources once each (a comparison gathers its models' notes), by code and parameters. */
export function uniqueNotes(notes: readonly Note[]): Note[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.code}\u0000${JSON.stringify(n.params)}\u0000${n.code === 'text' ? n.text : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
