import type Docker from 'dockerode';
import { removeContainer } from '../docker/remove';
import { endContainerLeftovers, ownerEnv } from '../docker/runsc-leftovers';
import { engineFacts, type EngineConnection } from '../docker/engine';
import { engineError, EngineLostError } from '../docker/lost';
import { withRuntimeHint } from '../oci/runsc';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { ownerLabels } from '../labels';
import { logText } from '../workloads/readiness';
import { CancelledError, now, throwIfAborted, type IterationContext, type Marks, type Target } from './target';
import { note, type Note } from '../../../shared/notes';

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
 * One cold container start through the engine, as `docker run --rm` does it, each step timed from the request on
 * isolab's own monotonic clock:
 * - `create`: the engine created the container (isolab then attaches to its output);
 * - `firstOutput`: the program's first output reached isolab on the attach stream: the workload is running (what
 *   idlab and clusterloader2 call start-to-running). This is the container's "ready";
 * - `started`: the engine answered the start call. It comes after the first output on most machines (the engine
 *   finishes its own bookkeeping first), before it on some: each sample keeps its marks in the order they happened,
 *   and `started - firstOutput` is the API's lag after the workload ran (shared/readiness.ts);
 * - `exit` (wait returned) and `remove`.
 * Runs recorded before this had `start` then `firstOutput`, the latter clamped to the start call's return.
 */
/** A container's lifecycle phases, in the order they happen (the remote target times the same ones). */
export const CONTAINER_PHASES = ['create', 'firstOutput', 'started', 'exit', 'remove'] as const;

export class ContainerTarget implements Target {
  /** The usual order; a sample's own order is the order its marks happened (see toSample). */
  readonly phases = CONTAINER_PHASES;
  model: string;
  private readonly docker: Docker;
  private readonly live = new Set<string>();
  /** Iterations timed, those whose program printed nothing (firstOutput is then the end of its output), and those the engine answered first. */
  private iterations = 0;
  private silent = 0;
  private answerFirst = 0;
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
    try {
      await this.prepareEngine(signal);
    } catch (err) {
      throw engineError(err, this.opts.conn.endpoint);
    }
  }

  private async prepareEngine(signal: AbortSignal): Promise<void> {
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
    const mark = (phase: string, at = now() - t0) => {
      marks[phase] = at;
      ctx.onPhase(phase);
    };
    let id: string | undefined;
    try {
      const container = await this.docker.createContainer({
        Image: this.image,
        Cmd: this.opts.cmd,
        Labels: ownerLabels(this.opts.runId),
        Env: ownerEnv(),
        AttachStdout: true,
        AttachStderr: true,
        HostConfig: { NetworkMode: this.opts.networkMode ?? 'none', Runtime: this.runtime },
      });
      id = container.id;
      this.live.add(id);
      mark('create');
      const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      // The first chunk is stamped when it arrives, usually while the start call is still under way.
      const output = firstChunk(stream, () => marks.firstOutput === undefined && mark('firstOutput'));
      await container.start();
      mark('started');
      const exited = container.wait() as Promise<{ StatusCode: number }>;
      exited.catch(() => {}); // awaited below; a rejection while the output is awaited must not go unhandled
      await abortable(Promise.race([output, exited]), ctx.signal);
      // The engine may answer wait while the program's last output is still on its way: give it a moment.
      if (marks.firstOutput === undefined) await abortable(Promise.race([output, new Promise((r) => setTimeout(r, 1000).unref())]), ctx.signal);
      this.iterations++;
      if (marks.firstOutput === undefined) {
        // It printed nothing: the end of its output (or its exit) is the first sign it ran.
        this.silent++;
        mark('firstOutput');
      } else if (marks.started < marks.firstOutput) this.answerFirst++;
      const { StatusCode } = await abortable(exited, ctx.signal);
      mark('exit');
      if (StatusCode !== 0) {
        const logs = await container.logs({ stdout: true, stderr: true, tail: 5 }).then(logText, () => '');
        throw new Error(`the container exited with status ${StatusCode}${logs.trim() ? `: ${logs.trim()}` : ''}`);
      }
      await container.remove({ force: true, v: true });
      this.live.delete(id);
      mark('remove');
      return marks;
    } catch (err) {
      if (id) {
        await this.removeQuietly(id);
        // A failed runsc start leaves its shim (and sometimes gVisor's sandbox) running after the container is gone.
        await endContainerLeftovers([id]).catch(() => []);
      }
      const e = engineError(err, this.opts.conn.endpoint);
      if (e instanceof Error && !(e instanceof EngineLostError)) e.message = withRuntimeHint(e.message);
      throw e;
    }
  }

  notes(): Note[] {
    const out: Note[] = [];
    if (this.silent) out.push(note('silent-program', { model: this.model, count: this.silent, iterations: this.iterations }));
    if (this.answerFirst) out.push(note('answer-before-output', { model: this.model, count: this.answerFirst, iterations: this.iterations }));
    return out;
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

/**
 * Resolves at the stream's first chunk, calling `onFirst` right then (isolab's clock, the moment the output
 * arrived), or when the stream ends or closes without one. Never rejects: the calls raced with it report errors.
 */
export function firstChunk(stream: NodeJS.ReadableStream, onFirst: (chunk: Buffer) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    stream.once('data', (chunk: Buffer) => {
      onFirst(chunk);
      resolve();
    });
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.on('error', () => {});
    (stream as NodeJS.ReadableStream & { resume(): void }).resume();
  });
}
