import type { BenchRequest, CompareRequest } from './api';
import type { PlanInput, WorkloadInput } from './plan';

/**
 * Plans are meant to be shared, and a plan's own command runs straight on the host under the process floor
 * (and under an OCI runtime run on a bundle). The engine runs such a command only with the user's consent:
 * `--trust-plan` on the CLI, a confirmation that shows the command in the UI. Built-in workloads (no command
 * of the plan's own) need none. The engine and the faces decide with these same functions.
 */

const PLAN_NEEDS_TRUST = 'plan-needs-trust' as const;

/** One command the plan would run on the host, and the models that would run it there. */
export interface HostCommand {
  command: string[];
  models: string[];
}

/** Models whose instances are the workload's program on the host itself: no image, no engine in between. */
function runsOnHost(model: string): boolean {
  return model === 'process' || model.startsWith('oci:');
}

/** The plan's own command, when it gives one (a built-in's command is isolab's, not the plan's). */
function ownCommand(w: WorkloadInput | undefined): string[] | undefined {
  return w?.command?.length ? w.command : undefined;
}

/**
 * What `isolab bench` would run on the host: the process target runs the workload there, and so does the
 * floor measured beside containers (unless the workload names an image the floor cannot run).
 */
export function benchHostCommands(r: BenchRequest): HostCommand[] {
  const command = ownCommand(r.workload);
  if (!command) return [];
  if (r.target === 'process') return [{ command, models: ['process'] }];
  if (r.target === 'containers' && r.baseline !== false && !r.workload?.image) return [{ command, models: ['process'] }];
  return [];
}

/** What `isolab compare` would run on the host: every model when the plan lists none includes the floor. */
export function planHostCommands(plan: PlanInput | undefined): HostCommand[] {
  const command = ownCommand(plan?.workload);
  if (!command) return [];
  const models = plan?.models ? plan.models.filter(runsOnHost) : ['process', 'oci:*'];
  return models.length ? [{ command, models }] : [];
}

export function compareHostCommands(r: CompareRequest): HostCommand[] {
  return planHostCommands(r.plan);
}

/** A command as a shell would read it, each argument quoted when it needs to be, for a reader to judge. */
export function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=@%+,{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * The engine refused to run a plan's own command without consent. `code` and `commands` are what faces
 * render (the CLI names --trust-plan, the UI asks); the message is the code first, so a face that only gets
 * the text across a bridge still recognises it.
 */
export class PlanNeedsTrustError extends Error {
  readonly code = PLAN_NEEDS_TRUST;
  constructor(readonly commands: HostCommand[]) {
    super(`${PLAN_NEEDS_TRUST}: the plan runs its own command on this host (${commands.map((c) => `${c.models.join(', ')}: ${shellQuote(c.command)}`).join('; ')}); it runs only with the user's consent`);
    this.name = 'PlanNeedsTrustError';
  }
}

/** Throws PlanNeedsTrustError when the request would run a plan's own command on the host without consent. */
export function assertPlanTrusted(commands: HostCommand[], trusted: boolean | undefined): void {
  if (commands.length && trusted !== true) throw new PlanNeedsTrustError(commands);
}

/** True for an error (or an error's text, as it arrives across IPC or the WebSocket) that is this refusal. */
export function isPlanNeedsTrust(err: unknown): boolean {
  const message = (err as Error)?.message ?? String(err);
  return message.includes(`${PLAN_NEEDS_TRUST}:`);
}
