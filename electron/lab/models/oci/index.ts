import { RuncBundleDriver, rawRuntimeUnavailable } from '../../targets/runc-bundle';
import { RemoteOciDriver } from '../../remote/oci-driver';
import { RemoteOciTarget, remoteRootAccess, sweepRemoteOci, sweepRemoteOciContainers } from '../../remote/oci-target';
import type { ResolvedWorkload } from '../../../../shared/plan';
import { note } from '../../../../shared/notes';
import { LocalOciTarget } from '../../targets/oci-local';
import { shellTimable } from '../../targets/shell-process';
import { NotedWorkloadTarget } from '../../workloads/target';
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
      let target: LocalOciTarget | undefined;
      const driver = (w: ResolvedWorkload, runId: string) => new RuncBundleDriver({ runtime, runId, root: ctx.root, workload: w });
      const entry: ModelEntry = {
        model: `oci:${runtime}`,
        // Starts: timed by the local timing shell running the remote host's start script (one instrument both
        // ways) where the shell can see the workload ready, one at a time; else by the driver's own spawn, saying so.
        target: (runId, w, k) => {
          target = undefined;
          if (shellTimable(w) && k <= 1) return (target = new LocalOciTarget({ runtime, runId, root: ctx.root, workload: w }));
          return new NotedWorkloadTarget(driver(w, runId), k, note('oci-spawn-clock', { model: `oci:${runtime}`, readiness: w.readiness.kind, concurrency: k }));
        },
        // Footprint and density: instances left running, from the driver.
        driver,
        clock: () => {
          const t = target?.timing;
          return t && { clock: 'local-shell', shell: t.clock, overheadMs: t.overheadMs, roundTripMs: t.execRoundTripMs, sshAllowanceMs: 0 };
        },
      };
      if (why) entry.unavailable = unavailable('host-cannot-run', { reason: why }, why);
      return [entry];
    },
    // On a remote host: a bundle made there, each start timed by a shell on its clock, as root (or sudo -n), and
    // instances left running there for footprint and density.
    async discoverRemote(ctx) {
      const { conn } = ctx.remote;
      const r = await conn.exec(`command -v ${runtime}`);
      const where = r.stdout.trim().split('\n')[0];
      if (r.code !== 0 || !where.startsWith('/')) return [];
      const model = `oci:${runtime}`;
      const access = await remoteRootAccess(conn);
      if (access.how === 'none') {
        const text = `running ${runtime} straight on a bundle needs root on the remote host, and ${access.user} is not root there and sudo asks for a password: connect as root, or let ${access.user} run sudo without a password (NOPASSWD)`;
        return [{ model, unavailable: unavailable('needs-root', { tool: runtime, user: access.user }, text) }];
      }
      await sweepRemoteOci(conn, access, ctx.log);
      await sweepRemoteOciContainers(conn, access, where, ctx.log);
      let target: RemoteOciTarget | undefined;
      return [
        {
          model,
          target: (runId, w) => (target = new RemoteOciTarget({ conn, name: runtime, runtime: where, access, runId, workload: w })),
          // Footprint and density: containers left running there, read through the remote /proc and cgroups.
          driver: (w, runId) => new RemoteOciDriver({ conn, name: runtime, runtime: where, access, runId, workload: w, fs: ctx.remote.fs }),
          clock: () => {
            const t = target?.timing;
            return t && { clock: 'remote-shell', shell: t.clock, overheadMs: t.overheadMs, roundTripMs: t.execRoundTripMs, sshAllowanceMs: 0 };
          },
        },
      ];
    },
  };
}

export const ociRunc = ociModel('runc');
export const ociCrun = ociModel('crun');
export const ociRunsc = ociModel('runsc');

