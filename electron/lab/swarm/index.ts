/**
 * The Swarm model (an orchestrated model: a Docker Swarm service on the local engine), self-contained. What a
 * model registry needs from it:
 * - `runSwarm({ docker, endpoint, request, signal, onProgress, log, save })` → the SwarmDoc (shared/swarm.ts);
 * - `SwarmRequest` (zod) to validate a request, `createSwarm: true` being the user's consent;
 * - `sweepSwarm(docker)` at start-up, before the container sweep;
 * - `SwarmStore(root)` for the documents (<data dir>/swarm);
 * - `startSwarmJob(...)`: the consent check, then runSwarm as a `swarm-bench` job saving to the store (CLI and Lab).
 */
export { runSwarm } from './run';
export { SwarmStore } from './store';
export { startSwarmJob } from './job';
