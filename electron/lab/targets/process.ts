import { spawn } from 'node:child_process';
import { findStaticBusybox } from '../images/busybox';
import { PROBE_ARGS } from '../images/probe';
import { CancelledError, now, throwIfAborted, type IterationContext, type Marks, type Target } from './target';
import { note, type Note } from '../../../shared/notes';

/**
 * The floor: the probe's own program (the host's static busybox, same argv) started straight on the host,
 * with no isolation at all. Phases: `spawn` (the OS created the process), `firstOutput`, `exit`.
 */
export class ProcessTarget implements Target {
  readonly model = 'process';
  readonly phases = ['spawn', 'firstOutput', 'exit'] as const;
  private argv: string[] = [];
  private fallback = false;
  private readonly children = new Set<import('node:child_process').ChildProcess>();

  async prepare(): Promise<void> {
    const found = await findStaticBusybox();
    if (found.path) {
      this.argv = [found.path, ...PROBE_ARGS];
    } else {
      this.argv = ['/bin/echo', PROBE_ARGS[1]];
      this.fallback = true;
    }
  }

  async environment() {
    return {};
  }

  notes(): Note[] {
    return this.fallback ? [note('process-echo-fallback')] : [];
  }

  command(): string[] {
    return [...this.argv];
  }

  iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    return new Promise<Marks>((resolve, reject) => {
      const t0 = now();
      const marks: Marks = {};
      const child = spawn(this.argv[0], this.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      this.children.add(child);
      const onAbort = () => child.kill('SIGKILL');
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      child.once('spawn', () => {
        marks.spawn = now() - t0;
        ctx.onPhase('spawn');
      });
      child.stdout!.once('data', () => {
        marks.firstOutput = now() - t0;
        ctx.onPhase('firstOutput');
      });
      child.stdout!.resume();
      child.stderr!.resume();
      child.once('error', (err) => {
        ctx.signal.removeEventListener('abort', onAbort);
        this.children.delete(child);
        reject(new Error(`could not start ${this.argv[0]}: ${err.message}`));
      });
      child.once('close', (code, sig) => {
        const end = now() - t0;
        ctx.signal.removeEventListener('abort', onAbort);
        this.children.delete(child);
        if (ctx.signal.aborted) return reject(new CancelledError());
        if (code !== 0) return reject(new Error(`${this.argv.join(' ')} exited with ${code ?? sig}`));
        marks.exit = end;
        marks.firstOutput ??= end;
        ctx.onPhase('exit');
        resolve(marks);
      });
    });
  }

  async dispose(): Promise<void> {
    for (const c of this.children) c.kill('SIGKILL');
    this.children.clear();
  }
}
