import type Docker from 'dockerode';
import {
  SWARM_SCHEMA,
  SwarmRequest,
  summarizeSwarm,
  timelineIssues,
  type SwarmDoc,
  type SwarmPlan,
  type SwarmProgress,
  type SwarmRound,
} from '../../../shared/swarm';
import { note, type Note } from '../../../shared/notes';
import { describe, engineFacts } from '../docker/engine';
import { engineError } from '../docker/lost';
import { removeContainer } from '../docker/remove';
import { LABEL_RUN } from '../labels';
import { hostFacts, ISOLAB_VERSION } from '../host';
import { ensureProbeImage, PROBE_IMAGE } from '../images/probe';
import { thisOwner } from '../owner';
import { newRunId } from '../store';
import { BareGroupRun } from './bare';
import { serviceSpec, SWARM_NETWORK, TimedService, type PollOptions } from './service';
import { closeSwarm, decideSwarm, openSwarm, swarmInfo, type SwarmSession } from './state';
import { sweepSwarm } from './sweep';
import { SwarmCancelledError } from './util';

export interface SwarmRunOptions {
  docker: Docker;
  /** How the engine was reached (for messages and the environment). */
  endpoint: string;
  request: SwarmRequest;
  /** The document's id; a new one when left out. */
  id?: string;
  signal?: AbortSignal;
  onProgress?: (p: SwarmProgress) => void;
  log?: (line: string) => void;
  /**
   * Keeps the document: called once before anything touches the engine (status `partial`, so a crash leaves a
   * trace), after each round, and at the end. Only the first and the last call's errors reach the caller.
   */
  save?: (doc: SwarmDoc) => Promise<void>;
}

/**
 * The Swarm model: a service on the local engine against N bare containers on the same engine, round by round in
 * alternating order. The engine's swarm is used as it is, or created only with consent and left at the end;
 * everything isolab creates is labelled and removed, also on failure or cancel (and by the sweep after a crash).
 */
export async function runSwarm(o: SwarmRunOptions): Promise<SwarmDoc> {
  const plan = SwarmRequest.parse(o.request);
  const log = o.log ?? (() => {});
  // What a crashed run left goes first: its swarm, once left, is one this run may only recreate with consent.
  const swept = await sweepSwarm(o.docker, log);
  if (swept.services.length || swept.leftSwarm || swept.removedBridge) {
    log(`removed what an earlier swarm run left: ${swept.services.length} service(s)${swept.leftSwarm ? ', its swarm' : ''}${swept.removedBridge ? ', its docker_gwbridge' : ''}`);
  }
  // Without consent on an engine in no swarm (or on a swarm isolab cannot use), stop before anything is
  // created or saved: the face asks and calls again.
  const decision = decideSwarm(await swarmInfo(o.docker), plan.createSwarm, o.endpoint);
  if (decision.action === 'refuse') throw decision.error;
  const doc: SwarmDoc = {
    schema: SWARM_SCHEMA,
    id: o.id ?? newRunId('swarm'),
    model: 'swarm',
    status: 'partial',
    startedAt: new Date().toISOString(),
    owner: thisOwner(),
    request: { ...plan },
    environment: { isolabVersion: ISOLAB_VERSION },
    network: SWARM_NETWORK,
    rounds: [],
    notes: [],
  };
  await o.save?.(doc);
  const docker = o.docker;
  let session: SwarmSession | undefined;
  let service: TimedService | undefined;
  let bare: BareGroupRun | undefined;
  const total = plan.warmup + plan.rounds;
  const poll = (round: SwarmRound, step: SwarmProgress['step']): PollOptions => ({
    pollMs: plan.pollMs,
    timeoutMs: plan.timeoutMs,
    signal: o.signal,
    onPoll: (running, wanted) => o.onProgress?.({ step, round: round.index, rounds: total, warmup: round.warmup, running, wanted }),
  });
  try {
    o.onProgress?.({ step: 'prepare' });
    doc.environment = { host: await hostFacts(), engine: await engineFacts({ docker, endpoint: o.endpoint }), isolabVersion: ISOLAB_VERSION };
    await ensureProbeImage(docker, log);
    const imageId = (await docker.getImage(PROBE_IMAGE).inspect()).Id;
    doc.image = { ref: PROBE_IMAGE, id: imageId };
    o.onProgress?.({ step: 'swarm-init' });
    session = await openSwarm(docker, { consent: plan.createSwarm, endpoint: o.endpoint, runId: doc.id, log });
    doc.swarm = session.state;

    for (let i = 0; i < total; i++) {
      const round: SwarmRound = { index: i + 1, warmup: i < plan.warmup, order: i % 2 === 0 ? ['bare', 'service'] : ['service', 'bare'] };
      if (!plan.bare) round.order = ['service'];
      doc.rounds.push(round);
      for (const what of round.order) {
        if (what === 'bare') {
          o.onProgress?.({ step: 'bare', round: round.index, rounds: total, warmup: round.warmup, running: 0, wanted: plan.replicas });
          bare = new BareGroupRun(docker, doc.id, imageId);
          round.bare = await bare.start(plan.replicas, o.signal);
          o.onProgress?.({ step: 'bare-cleanup', round: round.index, rounds: total, warmup: round.warmup });
          round.bare.cleanup = await bare.remove();
          bare = undefined;
        } else {
          const spec = serviceSpec({ name: `isolab-${doc.id}-r${round.index}`.toLowerCase(), runId: doc.id, imageId, replicas: plan.replicas, nodeId: session.nodeId });
          const created = await TimedService.create(docker, spec, poll(round, 'create'));
          service = created.service;
          round.service = { id: service.id, name: service.name, create: created.phase };
          if (plan.scaleTo) round.service.scale = await service.scale(plan.replicas, plan.scaleTo, poll(round, 'scale'));
          o.onProgress?.({ step: 'cleanup', round: round.index, rounds: total, warmup: round.warmup });
          round.service.cleanup = await service.remove(poll(round, 'cleanup'));
          service = undefined;
        }
      }
      await o.save?.(doc).catch((err) => log(`could not save the run after round ${round.index}: ${(err as Error).message}`));
    }
    doc.status = 'complete';
  } catch (err) {
    if (err instanceof SwarmCancelledError || o.signal?.aborted) doc.status = 'cancelled';
    else {
      const e = engineError(err, o.endpoint) as Error & { code?: string };
      doc.status = 'failed';
      doc.error = e.message ?? String(e);
      if (typeof e.code === 'string') doc.errorCode = e.code;
    }
  } finally {
    // Whatever happened: nothing of this run stays on the engine, and the swarm is left as it was found.
    const cleanupPoll = { pollMs: plan.pollMs, timeoutMs: 60_000 };
    if (service) await service.remove(cleanupPoll).catch((err) => log(`could not remove service ${service?.name}: ${describe(err)}`));
    if (bare) await bare.remove().catch((err) => log(describe(err)));
    await removeLeftovers(docker, doc.id, log);
    if (session) {
      o.onProgress?.({ step: 'swarm-leave' });
      doc.swarm = await closeSwarm(docker, session, log).catch((err) => {
        log(`could not leave the swarm isolab created: ${describe(err)}; leave it with \`docker swarm leave --force\``);
        return { ...session!.state, restored: false };
      });
    }
    doc.summary = summarizeSwarm(doc.rounds);
    doc.notes = swarmNotes(doc, plan);
    doc.finishedAt = new Date().toISOString();
    o.onProgress?.({ step: 'done' });
  }
  await o.save?.(doc);
  return doc;
}

/** Any container of this run still there (a task container that outlived its service's removal): removed. */
async function removeLeftovers(docker: Docker, runId: string, log: (line: string) => void): Promise<void> {
  try {
    const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } });
    for (const c of left) await removeContainer(docker, c.Id, log);
  } catch (err) {
    log(`could not check for containers left by this run: ${describe(err)}`);
  }
}

/** Caveats a reader needs beside the numbers, as codes and parameters; each face words them. */
function swarmNotes(doc: SwarmDoc, plan: SwarmPlan): Note[] {
  const notes: Note[] = [];
  const s = doc.swarm;
  if (s?.created) {
    notes.push(s.restored ? note('swarm-created-and-left', { initMs: round1(s.initMs), leaveMs: round1(s.leaveMs) }) : note('swarm-not-restored'));
  } else if (s) notes.push(note('swarm-existing', { nodeId: s.nodeId ?? '' }));
  notes.push(note('network-host'));
  const tasks = doc.rounds.flatMap((r) => [...(r.service?.create?.tasks ?? []), ...(r.service?.scale?.tasks ?? [])]);
  const missed = tasks.reduce((n, t) => n + t.missed.length, 0);
  if (missed) notes.push(note('states-missed', { missed, tasks: tasks.length, pollMs: plan.pollMs }));
  const odd = tasks.flatMap((t) => timelineIssues(t).map((issue) => `${t.id.slice(0, 12)}: ${issue}`));
  if (odd.length) notes.push(note('timeline-order', { count: odd.length, first: odd[0] }));
  if (plan.warmup) notes.push(note('warmup-rounds', { rounds: plan.warmup }));
  if (doc.summary?.ratios && plan.rounds < 5) notes.push(note('few-rounds', { rounds: plan.rounds }));
  return notes;
}

const round1 = (ms: number | undefined) => (ms === undefined ? -1 : Math.round(ms * 10) / 10);
