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
    // A raw runtime on the remote host would need a bundle made there: listed when it is installed, never run yet.
    async discoverRemote(ctx) {
      const r = await ctx.remote.conn.exec(`command -v ${runtime}`);
      const where = r.stdout.trim().split('\n')[0];
      if (r.code !== 0 || !where.startsWith('/')) return [];
      const text = `${runtime} is installed on the remote host (${where}), but isolab does not run raw OCI runtimes over SSH yet`;
      return [{ model: `oci:${runtime}`, unavailable: unavailable('no-driver', { tool: `${runtime} (remote)`, path: where }, text) }];
    },
  };
}

export const ociRunc = ociModel('runc');
export const ociCrun = ociModel('crun');
export const ociRunsc = ociModel('runsc');
