import { spawn, type ChildProcess } from 'node:child_process';
import type { ResolvedWorkload } from '../../../shared/plan';
import { BUSYBOX_HELP, findStaticBusybox } from '../images/busybox';
import { now, throwIfAborted } from '../targets/target';
import { withDeadline } from './container-driver';
import type { Instance, InstanceDriver } from './instance';
import { needsPort, withPort } from './instance';
import { isAlive } from '../labels';
import { markerEnv } from './process-sweep';
import { freePort, lineMatcher, onAbort, waitForTcp } from './readiness';

/**
 * The floor: the workload's program straight on the host, run by the host's static busybox (the very binary
 * inside the probe image), with no isolation. Phases `spawn`, `ready`; stop is `reap` (SIGKILL and wait).
 *
 * Each instance leads its own process group, and stop kills the group: a program that left children behind
 * (`sh -c "sleep 45 & ..."`) is gone at once, children included. Waits are for the program's exit, never for
 * its pipes to close, since a child that escaped the group could hold them open for as long as it lives.
 */
/** How long output may still arrive after the program exited, when a child keeps its pipes open. */
const EXIT_GRACE_MS = 250;

export class ProcessDriver implements InstanceDriver {
  readonly model = 'process';
  readonly phases = ['spawn', 'ready'] as const;
  readonly stopPhase = 'reap';
  private busybox?: string;
  private readonly children = new Map<string, ChildProcess>();

  constructor(readonly workload: ResolvedWorkload) {}

  async prepare(): Promise<void> {
    if (this.workload.image) {
      throw new Error(`the process floor cannot run image ${this.workload.image}: it runs the probe's busybox programs only; leave workload.image out to compare against the floor`);
    }
    const found = await findStaticBusybox();
    if (!found.path) throw new Error(`no static busybox on this host for the process floor. ${BUSYBOX_HELP}`);
    this.busybox = found.path;
  }

  async environment() {
    return {};
  }

  start(signal: AbortSignal): Promise<Instance> {
    throwIfAborted(signal);
    return this.startAsync(signal);
  }

  private async startAsync(signal: AbortSignal): Promise<Instance> {
    const w = this.workload;
    const port = needsPort(w) ? await freePort() : undefined;
    const argv = withPort(w.command, port);
    const t0 = now();
    const deadline = t0 + w.timeoutMs;
    const marks: Record<string, number> = {};
    const child = spawn(this.busybox!, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...markerEnv() },
      // Its own process group (setsid on POSIX), so stop can end everything the program started.
      detached: process.platform !== 'win32',
    });
    let exited = false;
    const exit = new Promise<number | string>((resolve) => child.once('exit', (code, sig) => {
      exited = true;
      resolve(code ?? sig ?? -1);
    }));
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) => reject(new Error(`could not start ${this.busybox}: ${err.message}`)));
    });
    let logReady: Promise<void> | undefined;
    if (w.readiness.kind === 'log') {
      const matcher = lineMatcher(w.readiness.pattern);
      const pattern = w.readiness.pattern;
      logReady = new Promise((resolve, reject) => {
        const onData = (c: Buffer) => matcher.feed(c) && resolve();
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        // Output still in the pipe when the program exits counts: give up once the pipes are drained, or shortly
        // after the exit when a child it left behind holds them open.
        const fail = () => reject(new Error(`the workload exited without printing a line matching /${pattern}/`));
        child.once('close', fail);
        void exit.then(() => setTimeout(fail, EXIT_GRACE_MS).unref());
      });
      logReady.catch(() => {});
    } else {
      child.stdout!.resume();
      child.stderr!.resume();
    }
    const id = String(child.pid ?? `pending-${t0}`);
    this.children.set(id, child);
    const cancel = onAbort(signal);
    try {
      await spawned;
      marks.spawn = now() - t0;
      const ready = async () => {
        switch (w.readiness.kind) {
          case 'running':
            return;
          case 'exit': {
            const code = await exit;
            if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}`);
            return;
          }
          case 'log':
            return logReady;
          case 'tcp':
            return waitForTcp(w.readiness.port === 'auto' ? port! : w.readiness.port, deadline, signal, () => !exited);
        }
      };
      const abort = cancel.promise;
      await Promise.race([withDeadline(ready(), deadline, `the workload was not ready within ${w.timeoutMs} ms`), abort]);
      marks.ready = now() - t0;
      return { id, pid: exited ? undefined : child.pid, marks };
    } catch (err) {
      await this.stop({ id, marks });
      throw err;
    } finally {
      cancel.off();
    }
  }

  async stop(instance: Instance): Promise<void> {
    const child = this.children.get(instance.id);
    if (!child) return;
    const running = child.exitCode === null && child.signalCode === null;
    const exited = running ? new Promise<void>((r) => child.once('exit', () => r())) : Promise.resolve();
    // The group too when the program has exited already: children it left behind may still run.
    killGroup(child, running);
    await exited;
    // A child that left the group could keep the pipes open: stop reading them rather than wait.
    child.stdout?.destroy();
    child.stderr?.destroy();
    this.children.delete(instance.id);
  }

  liveCount(): number {
    return this.children.size;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.children.keys()].map((id) => this.stop({ id, marks: {} })));
  }
}

/**
 * SIGKILL to the child's whole process group; to the child alone where there are no groups (Windows). Once the
 * leader is reaped its pid stays reserved while the group has members; a live process with that pid means the
 * group emptied and the number went to someone else, who is left alone.
 */
function killGroup(child: ChildProcess, leaderRunning: boolean): void {
  if (child.pid === undefined) return;
  if (!leaderRunning && isAlive(child.pid)) return;
  if (process.platform !== 'win32') {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch (err) {
      // ESRCH: the group is empty already. Anything else: fall back to the program itself.
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return;
    }
  }
  child.kill('SIGKILL');
}
