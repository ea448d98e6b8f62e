import type Docker from 'dockerode';
import os from 'node:os';
import { summarizeMarks, type RaceMark, type RaceSummary } from '../../../shared/learn/race';
import type { EngineConnection } from '../docker/engine';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { ownerLabels } from '../labels';
import { abortable, firstChunk } from '../targets/container';
import { CancelledError, now } from '../targets/target';
import { detectAccelerator, ensureVmKit } from '../vm';
import { killGuest, shutdownGuest, startGuest, type RunningGuest } from '../vm/guest';
import { findQemu, type Machine } from '../vm/qemu';
import { guestTsc } from '../vm/tsc';
import { stripDockerFrames } from '../workloads/readiness';

export interface RaceOptions {
  raceId: string;
  containers: number;
  memoryMiB: number;
  /** The engine runtime of the containers; the engine's default when left out. */
  runtime?: string;
  machine: Machine;
  root: string;
  conn: EngineConnection;
  signal: AbortSignal;
  /** Called once everything is prepared, right at the zero point. */
  onStart(): void;
  onMark(mark: RaceMark): void;
}

/** What each container runs: its first output line is the kernel it sees. */
const CONTAINER_CMD = ['uname', '-r'];

/**
 * The race: N containers and one VM, all asked for at the same zero point. Everything slow that is not the
 * start itself (probe image, VM kit, accelerator test) is done first, untimed. Each container is created,
 * started and read (its first output, `uname -r`, is its ready; the engine's answer to the start call is
 * `started`, usually a little later), waited for and removed; the VM boots to its first SSH command
 * (which asks the guest's `uname -r`) and is powered off. Whatever is cancelled or fails is removed or killed.
 */
export async function runRace(o: RaceOptions): Promise<RaceSummary> {
  const docker = o.conn.docker;
  await ensureProbeImage(docker);
  const kit = await ensureVmKit({ root: o.root });
  const qemu = await findQemu();
  const { accel } = await detectAccelerator({ root: o.root, kit, qemu, requested: 'auto', machine: o.machine, signal: o.signal });
  const runtime = o.runtime ?? (await docker.info()).DefaultRuntime ?? 'runc';
  // Under TCG the microvm needs the host's TSC rate to keep time (it has no firmware to calibrate against).
  const tsc = await guestTsc(o.machine, accel);
  if (o.signal.aborted) throw new CancelledError();

  const live = new Set<string>();
  let guest: RunningGuest | undefined;
  const marks: RaceMark[] = [];
  let containerKernel: string | undefined;
  let vmKernel: string | undefined;
  let vmPss: number | undefined;

  o.onStart();
  const t0 = now();
  const mark = (lane: string, phase: string) => {
    const m = { lane, phase, atMs: now() - t0 };
    marks.push(m);
    o.onMark(m);
  };

  const containerLane = async (i: number) => {
    const lane = `c${i}`;
    const c = await docker.createContainer({
      Image: PROBE_IMAGE,
      Cmd: CONTAINER_CMD,
      Labels: ownerLabels(o.raceId),
      AttachStdout: true,
      HostConfig: { NetworkMode: 'none', Runtime: runtime },
    });
    live.add(c.id);
    mark(lane, 'create');
    const stream = (await c.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    // Ready is the program's first output, marked the moment it arrives: usually before the engine answers the
    // start call (`started`), which is marked when it does, so the lane's marks keep the order they happened in.
    let out = '';
    let ready = false;
    const markReady = () => {
      if (!ready) mark(lane, 'ready');
      ready = true;
    };
    const first = firstChunk(stream, (d) => {
      out = stripDockerFrames(d).trim();
      markReady();
    });
    await abortable(c.start(), o.signal);
    mark(lane, 'started');
    const exited = c.wait() as Promise<{ StatusCode: number }>;
    exited.catch(() => {});
    await abortable(Promise.race([first, exited]), o.signal);
    markReady(); // when it printed nothing: its end is the first sign it ran
    containerKernel ??= out || undefined;
    const { StatusCode } = await abortable(exited, o.signal);
    if (StatusCode !== 0) throw new Error(`container ${i} exited with status ${StatusCode}`);
    mark(lane, 'exit');
    await c.remove({ force: true, v: true });
    live.delete(c.id);
    mark(lane, 'remove');
  };

  const vmLane = async () => {
    guest = await startGuest({
      root: o.root,
      runId: o.raceId,
      qemu,
      kit,
      accel,
      machine: o.machine,
      tscKhz: tsc?.khz,
      memoryMiB: o.memoryMiB,
      signal: o.signal,
      timeoutMs: accel === 'tcg' ? 120_000 : 30_000,
      onPhase: (p) => p !== 'ssh' && mark('vm', p),
    });
    mark('vm', 'ssh');
    vmPss = guest.measure.qemu?.pssBytes ?? guest.measure.qemu?.rssBytes;
    const r = await guest.session.exec('uname -r');
    vmKernel = r.stdout.trim() || undefined;
    const g = guest;
    guest = undefined;
    await shutdownGuest(g, { signal: o.signal, timeoutMs: 15_000 });
    mark('vm', 'shutdown');
  };

  try {
    const lanes = [vmLane(), ...Array.from({ length: o.containers }, (_, i) => containerLane(i + 1))];
    const results = await Promise.allSettled(lanes);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (o.signal.aborted) throw new CancelledError();
    if (failure) throw failure.reason;
  } finally {
    if (guest) await killGuest(guest).catch(() => {});
    await Promise.all([...live].map((id) => removeQuietly(docker, id)));
  }
  return {
    ...summarizeMarks(marks, o.containers),
    vmAccel: accel,
    containerRuntime: runtime,
    vmMachine: o.machine,
    vmPssBytes: vmPss,
    hostKernel: os.release(),
    containerKernel,
    vmKernel,
  };
}

async function removeQuietly(docker: Docker, id: string): Promise<void> {
  await docker.getContainer(id).remove({ force: true, v: true }).catch(() => {});
}
