import type { BenchPlan } from '../../../shared/api';
import { MODELS } from './index';
import { unavailable, type BenchEntry, type Capabilities, type ModelContext, type ModelEntry, type ModelRegistration } from './types';

/**
 * This host's models (or the remote host's, with ctx.remote), in registration order: each registration says what it offers here, runnable or listed
 * with why not. A registration whose discovery throws (a remote probe that got no answer …) is listed under its id with
 * the error, so the comparison says why it was not measured; it never stops the others.
 */
export async function discoverModels(ctx: ModelContext, registrations: readonly ModelRegistration[] = MODELS): Promise<ModelEntry[]> {
  const found = await Promise.all(
    registrations.map((r) =>
      discoverOne(r, ctx).catch((err: unknown) => {
        const error = (err as Error).message;
        ctx.log?.(`discovering ${r.id} failed: ${error}`);
        return [{ model: r.id, unavailable: unavailable('discovery-failed', { error }, `could not find out whether this host can run it: ${error}`) }];
      }),
    ),
  );
  return found.flat();
}

/** A registration's models here, or on the remote host when the context has one. */
function discoverOne(r: ModelRegistration, ctx: ModelContext): Promise<ModelEntry[]> {
  if (!ctx.remote) return r.discover(ctx);
  return r.discoverRemote ? r.discoverRemote({ ...ctx, remote: ctx.remote }) : Promise.resolve([]);
}

/** The registration that benches this plan (`isolab bench process|containers|vm`). */
export function benchEntry(plan: BenchPlan, registrations: readonly ModelRegistration[] = MODELS): BenchEntry {
  const entry = registrations.find((r) => r.bench?.matches(plan))?.bench;
  if (!entry) throw new Error(`no model benches target ${plan.target}${plan.machine ? ` (machine ${plan.machine})` : ''}`);
  return entry;
}

/**
 * The registration a model name belongs to: its own id, or a family id ending in `*` (container:runsc is a
 * container:*); a VM's accelerator suffix (vm:microvm-tcg) names how it ran, not another model.
 */
function registrationOf(model: string, registrations: readonly ModelRegistration[] = MODELS): ModelRegistration | undefined {
  const base = model.startsWith('vm:') ? model.replace(/-(tcg|kvm|hvf|whpx)$/, '') : model;
  return registrations.find((r) => r.id === base) ?? registrations.find((r) => r.id.endsWith('*') && base.startsWith(r.id.slice(0, -1)));
}

/** What a model can be measured for; undefined for a name no registration knows. */
export function capabilitiesOf(model: string, registrations: readonly ModelRegistration[] = MODELS): Capabilities | undefined {
  return registrationOf(model, registrations)?.capabilities;
}
