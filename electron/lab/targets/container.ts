import type Docker from 'dockerode';
import { removeContainer } from '../docker/remove';
import { engineFacts, type EngineConnection } from '../docker/engine';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { ownerLabels } from '../labels';
import { CancelledError, now, throwIfAborted, type IterationContext, type Marks, type Target } from './target';

export interface ContainerTargetOptions {
  conn: EngineConnection;
  runId: string;
  /** Defaults to isolab's probe image, built locally when missing. */
  image?: string;
  cmd?: string[];
  /** An OCI runtime the engine lists (runc, crun, runsc ...); the engine's default when left out. */
  runtime?: string;
  /** `none` unless the plan asks otherwise: nothing leaves the host. */
  networkMode?: string;
  log?: (line: string) => void;
}

/**
 * One cold container start through the engine, as `docker run --rm` does it, with each step timed from the
 * request: `create`, `start` (attach + start; the engine has started the process), `firstOutput` (the first
 * byte reached isolab), `exit` (wait returned), `remove`.
 */
export class ContainerTarget implements Target {
  readonly phases = ['create', 'start', 'firstOutput', 'exit', 'remove'] as const;
  model: string;
  private readonly docker: Docker;
  private readonly live = new Set<string>();
  /** Iterations timed, and those whose output arrived before the engine answered the start call. */
  private iterations = 0;
  private outputBeforeStart = 0;
  private runtime?: string;

  constructor(private readonly opts: ContainerTargetOptions) {
    this.docker = opts.conn.docker;
    this.runtime = opts.runtime;
    this.model = `container:${opts.runtime ?? 'default'}`;
  }

  get image(): string {
    return this.opts.image ?? PROBE_IMAGE;
  }

  async prepare(signal: AbortSignal): Promise<void> {
    const facts = await engineFacts(this.opts.conn);
    if (this.runtime && !facts.runtimes?.includes(this.runtime)) {
      throw new Error(`the engine has no runtime "${this.runtime}"; it lists: ${facts.runtimes?.join(', ') || 'none'}`);
    }
    this.runtime ??= facts.defaultRuntime ?? 'runc';
    this.model = `container:${this.runtime}`;
    throwIfAborted(signal);
    if (!this.opts.image) {
      await ensureProbeImage(this.docker, this.opts.log);
    } else {
      try {
        await this.docker.getImage(this.opts.image).inspect();
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) {
          throw new Error(`image ${this.opts.image} is not on this engine: \`docker pull ${this.opts.image}\` or build it first (isolab never pulls it for you)`);
        }
        throw err;
      }
    }
  }

  async environment() {
    const engine = await engineFacts(this.opts.conn);
    return { engine: { ...engine, runtime: this.runtime } };
  }

  async iterate(ctx: IterationContext): Promise<Marks> {
    throwIfAborted(ctx.signal);
    const marks: Marks = {};
    const t0 = now();
    const mark = (phase: string) => {
      marks[phase] = now() - t0;
      ctx.onPhase(phase);
    };
    const container = await this.docker.createContainer({
      Image: this.image,
      Cmd: this.opts.cmd,
      Labels: ownerLabels(this.opts.runId),
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: { NetworkMode: this.opts.networkMode ?? 'none', Runtime: this.runtime },
    });
    this.live.add(container.id);
    mark('create');
    try {
      const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      let firstAt: number | undefined;
      const firstOutput = new Promise<void>((resolve) => {
        stream.once('data', () => {
          firstAt = now() - t0;
          resolve();
        });
        stream.once('end', () => resolve());
      });
      stream.on('error', () => {});
      (stream as NodeJS.ReadableStream & { resume(): void }).resume();
      await container.start();
      mark('start');
      const exited = container.wait() as Promise<{ StatusCode: number }>;
      await abortable(Promise.race([firstOutput, exited]), ctx.signal);
      // Output can reach us before the start call returns; a phase never ends before the one it follows.
      this.iterations++;
      if (firstAt !== undefined && firstAt <= marks.start) this.outputBeforeStart++;
      marks.firstOutput = Math.max(firstAt ?? now() - t0, marks.start);
      ctx.onPhase('firstOutput');
      const { StatusCode } = await abortable(exited, ctx.signal);
      mark('exit');
      if (StatusCode !== 0) {
        const logs = await container.logs({ stdout: true, stderr: true, tail: 5 }).catch(() => '');
        throw new Error(`the container exited with status ${StatusCode}${logs ? `: ${String(logs).replace(/[\x00-\x08]/g, '').trim()}` : ''}`);
      }
      await container.remove({ force: true, v: true });
      this.live.delete(container.id);
      mark('remove');
      return marks;
    } catch (err) {
      await this.removeQuietly(container.id);
      throw err;
    }
  }

  notes(): string[] {
    if (!this.outputBeforeStart) return [];
    return [
      `${this.model}: in ${this.outputBeforeStart} of ${this.iterations} iterations (warmup included) the program's output reached isolab before the engine answered the start call, so firstOutput is 0 ms there: the program's own start is inside \`start\`.`,
    ];
  }

  private async removeQuietly(id: string): Promise<void> {
    if (await removeContainer(this.docker, id, this.opts.log)) this.live.delete(id);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.live].map((id) => this.removeQuietly(id)));
  }
}

/** Rejects with CancelledError as soon as the signal fires; the caller cleans up what the promise owned. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
