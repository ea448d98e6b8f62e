import { FACTS_SCRIPT, parseFactsOutput, type IsolationView } from '../../../shared/learn/facts';
import { detectAccelerator, ensureVmKit } from '../vm';
import { killGuest, shutdownGuest, startGuest, type RunningGuest } from '../vm/guest';
import { findQemu } from '../vm/qemu';

export interface VmFactsOptions {
  root: string;
  runId: string;
  signal: AbortSignal;
  /** Boot the guest and run the facts script in it over SSH; else read the kit's kernel image header only. */
  boot: boolean;
}

/**
 * The VM side. Cheap and honest by default: the release string in the header of the very kernel image the
 * VM kit boots (no guest runs). With `boot`, a real guest boots and answers the same script over SSH, so
 * its own namespaces and its own kernel show; it is powered off (or killed) before this returns.
 */
export async function vmFacts(o: VmFactsOptions): Promise<IsolationView> {
  let kit;
  try {
    kit = await ensureVmKit({ root: o.root });
  } catch (err) {
    return { side: 'vm', source: 'the VM kit', namespaces: {}, limits: {}, error: (err as Error).message };
  }
  if (!o.boot) {
    return {
      side: 'vm',
      source: `the kernel image the VM kit boots (${kit.kernelSource}), read from its header: no guest was booted`,
      kernel: { release: kit.kernelVersion },
      namespaces: {},
      limits: {},
    };
  }
  const qemu = await findQemu();
  const { accel } = await detectAccelerator({ root: o.root, kit, qemu, requested: 'auto', signal: o.signal });
  const g: RunningGuest = await startGuest({ root: o.root, runId: o.runId, qemu, kit, accel, memoryMiB: 256, signal: o.signal, timeoutMs: accel === 'tcg' ? 120_000 : 30_000 });
  try {
    const r = await g.session.exec(FACTS_SCRIPT);
    if (r.code !== 0) throw new Error(`the facts script failed in the guest (status ${r.code}): ${r.stderr.trim().slice(0, 200)}`);
    const view = parseFactsOutput(r.stdout, 'vm', `a guest booted now (QEMU, ${accel}), the same script over SSH`);
    await shutdownGuest(g, { signal: o.signal, timeoutMs: 15_000 });
    return view;
  } catch (err) {
    await killGuest(g);
    throw err;
  }
}
