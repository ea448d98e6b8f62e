import { RuncBundleDriver, rawRuntimeUnavailable } from '../../targets/runc-bundle';
import { unavailable, type ModelEntry, type ModelRegistration } from '../types';

/** A raw OCI runtime on a bundle (`runc run`), with no engine, containerd or shim in the way. */
function ociModel(runtime: string): ModelRegistration {
  return {
    id: `oci:${runtime}`,
    family: 'oci',
    capabilities: { startup: true, footprint: true, density: true, facts: false, race: false },
    async discover(ctx) {
      const why = await rawRuntimeUnavailable(runtime);
      // A runtime that is simply not installed is not a model of this host; one we may not run is, and says why.
      if (why?.endsWith('not on PATH')) return [];
      const entry: ModelEntry = { model: `oci:${runtime}`, driver: (w, runId) => new RuncBundleDriver({ runtime, runId, root: ctx.root, workload: w }) };
      if (why) entry.unavailable = unavailable('host-cannot-run', { reason: why }, why);
      return [entry];
    },
  };
}

export const ociRunc = ociModel('runc');
export const ociCrun = ociModel('crun');
export const ociRunsc = ociModel('runsc');
