import type Docker from 'dockerode';
import { FACTS_SCRIPT, parseFactsOutput, type IsolationView } from '../../../shared/learn/facts';
import { engineViewFrom } from '../../../shared/learn/verdict';
import { describe, type EngineConnection } from '../docker/engine';
import { logText } from '../workloads/readiness';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { ownerLabels } from '../labels';
import { endContainerLeftovers, ownerEnv } from '../docker/runsc-leftovers';
import { isGvisor } from '../oci/runsc';
import { abortable } from '../targets/container';

/** Limits isolab sets on the probe so the cgroup column has something to show (a plain `docker run` sets none). */
export const PROBE_LIMITS = { memoryBytes: 256 * 1024 * 1024, pids: 64, cpus: 0.5 };

/**
 * The facts from inside a container: isolab's probe image runs the facts script under the engine's default
 * runtime (or the one asked for), network none, with isolab's labels and the limits above; it is removed afterwards whatever happens.
 */
export async function containerFacts(conn: EngineConnection, o: { runId: string; signal: AbortSignal; runtime?: string }): Promise<IsolationView> {
  const docker: Docker = conn.docker;
  await ensureProbeImage(docker);
  // What the engine says of itself (its OS, its kernel, the runtime's binary) explains the kernel the probe saw.
  const engine = engineViewFrom(await docker.info(), o.runtime);
  // gVisor's sandbox and gofer live in the container's cgroup with their threads (about 40 when idle): the host's
  // pids limit would count them and starve the script's shell, while the sandbox shows no cgroup files inside.
  const gvisor = [engine.runtime, engine.runtimePath].some((n) => n && isGvisor(n));
  const container = await docker.createContainer({
    Image: PROBE_IMAGE,
    Cmd: ['sh', '-c', FACTS_SCRIPT],
    Labels: ownerLabels(o.runId),
    Env: ownerEnv(),
    HostConfig: {
      NetworkMode: 'none',
      Runtime: o.runtime,
      Memory: PROBE_LIMITS.memoryBytes,
      PidsLimit: gvisor ? undefined : PROBE_LIMITS.pids,
      NanoCpus: PROBE_LIMITS.cpus * 1e9,
    },
  });
  let started = false;
  try {
    await abortable(container.start(), o.signal);
    started = true;
    const { StatusCode } = (await abortable(container.wait(), o.signal)) as { StatusCode: number };
    const text = logText(await container.logs({ stdout: true, stderr: true }));
    if (StatusCode !== 0) throw new Error(`the probe container exited with status ${StatusCode}: ${text.trim().slice(0, 200)}`);
    const view = parseFactsOutput(text, 'container', `a probe container (${PROBE_IMAGE}, ${engine.runtime ?? 'runc'}, network none): the same script, from inside`);
    return { ...view, engine };
  } finally {
    await container.remove({ force: true, v: true }).catch((err) => {
      if ((err as { statusCode?: number }).statusCode !== 404) throw new Error(`could not remove the probe container ${container.id.slice(0, 12)}: ${describe(err)}`);
    });
    // A failed runsc start leaves its shim running after the container is gone.
    if (!started) await endContainerLeftovers([container.id]).catch(() => []);
  }
}
