import { z } from 'zod';

/**
 * A plan: the workload and what to measure with it, saved as a JSON or YAML file so the same comparison can be
 * run again on another host. Every field has a default, so `{}` is a valid plan (the lifecycle of `true`).
 */
const PLAN_SCHEMA = 'isolab.plan/1' as const;

const imageRef = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/, 'not a valid image reference (e.g. "alpine:3.20")');

/** When an instance counts as started. `{port}` in a command is replaced by a free port per instance. */
const Readiness = z.discriminatedUnion('kind', [
  /** The command runs to its end and exits 0 (the lifecycle: `true`). */
  z.object({ kind: z.literal('exit') }).strict(),
  /** The runtime says the process is running (the footprint: `sleep`). */
  z.object({ kind: z.literal('running') }).strict(),
  /** A line of its output matches this regular expression. */
  z
    .object({
      kind: z.literal('log'),
      pattern: z.string().min(1).refine(validRegex, 'not a valid regular expression'),
    })
    .strict(),
  /** A TCP connection to 127.0.0.1:port succeeds (host network). `port: "auto"` uses the `{port}` given to the command. */
  z
    .object({
      kind: z.literal('tcp'),
      port: z.union([z.number().int().min(1).max(65_535), z.literal('auto')]).default('auto'),
    })
    .strict(),
]);
type Readiness = z.infer<typeof Readiness>;

function validRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

const BUILTIN_WORKLOADS = ['true', 'sleep', 'server', 'ready-line'] as const;

export const Workload = z
  .object({
    /** A built-in (true, sleep, server, ready-line) or "custom" with image, command and readiness. */
    kind: z.enum([...BUILTIN_WORKLOADS, 'custom']).default('true'),
    /** Image for containers; isolab's probe image (static busybox) when left out. */
    image: imageRef.optional(),
    command: z.array(z.string().max(4096)).min(1).max(256).optional(),
    readiness: Readiness.optional(),
    /** `none` (nothing leaves the host) or `host` (needed to listen on the host's 127.0.0.1). */
    network: z.enum(['none', 'host']).optional(),
    /** Give up on one instance after this long. */
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.kind === 'custom') {
      if (!w.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'a custom workload needs a command, e.g. ["sh", "-c", "echo ready; sleep 600"]' });
      if (!w.readiness) ctx.addIssue({ code: 'custom', path: ['readiness'], message: 'a custom workload needs readiness: {kind: log, pattern: ...} or {kind: tcp, port: N}' });
    }
    if (w.readiness?.kind === 'tcp' && w.network === 'none') {
      ctx.addIssue({ code: 'custom', path: ['network'], message: 'a TCP readiness check needs network "host" (isolab only connects to 127.0.0.1)' });
    }
  });
export type WorkloadInput = z.input<typeof Workload>;
export type Workload = z.output<typeof Workload>;

/** A workload with every default filled in: what the drivers run. */
export interface ResolvedWorkload {
  kind: Workload['kind'];
  image?: string;
  command: string[];
  readiness: Readiness;
  network: 'none' | 'host';
  timeoutMs: number;
}

export function resolveWorkload(w: Workload): ResolvedWorkload {
  const builtin: Record<(typeof BUILTIN_WORKLOADS)[number], { command: string[]; readiness: Readiness; network: 'none' | 'host' }> = {
    true: { command: ['true'], readiness: { kind: 'exit' }, network: 'none' },
    sleep: { command: ['sleep', '3600'], readiness: { kind: 'running' }, network: 'none' },
    server: { command: ['httpd', '-f', '-p', '127.0.0.1:{port}', '-h', '/tmp'], readiness: { kind: 'tcp', port: 'auto' }, network: 'host' },
    'ready-line': { command: ['sh', '-c', 'echo isolab-ready; exec sleep 3600'], readiness: { kind: 'log', pattern: '^isolab-ready$' }, network: 'none' },
  };
  const base = w.kind === 'custom' ? undefined : builtin[w.kind];
  const readiness = w.readiness ?? base?.readiness ?? { kind: 'exit' };
  return {
    kind: w.kind,
    image: w.image,
    command: w.command ?? base?.command ?? ['true'],
    readiness,
    network: w.network ?? base?.network ?? (readiness.kind === 'tcp' ? 'host' : 'none'),
    timeoutMs: w.timeoutMs,
  };
}

/** Model ids: "process", "container:RUNTIME", "oci:RUNTIME" (the runtime straight on a bundle), "vm:qemu". */
const ModelId = z.string().regex(/^(process|container:[A-Za-z0-9._-]+|oci:[A-Za-z0-9._-]+|vm:[A-Za-z0-9._-]+)$/, 'a model is "process", "container:RUNTIME", "oci:RUNTIME" or "vm:NAME"');

export const Plan = z
  .object({
    schema: z.literal(PLAN_SCHEMA).optional(),
    name: z.string().min(1).max(80).optional(),
    description: z.string().max(2000).optional(),
    workload: Workload.default({ kind: 'true', timeoutMs: 30_000 }),
    /** Which models to run; every model available on the host when left out. */
    models: z.array(ModelId).min(1).optional(),
    startup: z
      .object({
        iterations: z.number().int().min(1).max(10_000).default(20),
        warmup: z.number().int().min(0).max(1_000).default(2),
        /** Start k instances at a time (like bucketbench's threads) to show contention. */
        concurrency: z.number().int().min(1).max(64).default(1),
      })
      .strict()
      .default({ iterations: 20, warmup: 2, concurrency: 1 }),
    /** N idle instances held at once to measure memory per instance; false to skip. */
    footprint: z
      .union([
        z.literal(false),
        z
          .object({
            instances: z.number().int().min(1).max(500).default(10),
            /** Let memory settle before reading MemAvailable. */
            settleMs: z.number().int().min(0).max(60_000).default(1500),
            /** Start and remove the N instances this many times; the host-side figure is the median. */
            rounds: z.number().int().min(1).max(20).default(3),
          })
          .strict(),
      ], { error: 'expected false, or an object such as { instances: 10, settleMs: 1500, rounds: 3 }' })
      .default({ instances: 10, settleMs: 1500, rounds: 3 }),
    /** Start 1, 2, 4 … instances and hold them, up to whichever limit comes first; false to skip. */
    density: z
      .union([
        z.literal(false),
        z
          .object({
            maxInstances: z.number().int().min(1).max(1000).default(16),
            memoryBudgetMiB: z.number().int().min(1).optional(),
            timeLimitS: z.number().min(1).max(3600).default(120),
            concurrency: z.number().int().min(1).max(64).default(1),
          })
          .strict(),
      ], { error: 'expected false, or an object such as { maxInstances: 16, timeLimitS: 120 }' })
      .default(false),
  })
  .strict();
export type PlanInput = z.input<typeof Plan>;
export type Plan = z.output<typeof Plan>;

/** One error line per issue, each naming the field path as it reads in the file (workload.readiness.pattern). */
export function planIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    const where = i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : '(top level)';
    return `${where}: ${i.message}`;
  });
}
