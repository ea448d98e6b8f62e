import os from 'node:os';
import { note } from '../../shared/notes';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { consentText, formatSwarm } from '../../electron/commands/swarm';
import { cliNote } from '../../electron/note-text';
import { swarmLabels, orphanedAs } from '../../electron/lab/swarm/labels';
import { serviceSpec, SWARM_COMMAND } from '../../electron/lab/swarm/service';
import { decideSwarm, gwbridgeRequest, initRequest, type SwarmInfo } from '../../electron/lab/swarm/state';
import { TaskTracker } from '../../electron/lab/swarm/timeline';
import {
  engineTimeMs,
  isSwarmNeedsConsent,
  SwarmDoc,
  SwarmNeedsConsentError,
  SwarmRequest,
  summarizeSwarm,
  SWARM_SCHEMA,
  timelineIssues,
  type ServicePhase,
  type SwarmRound,
  type TaskTimeline,
} from '../../shared/swarm';

// A pid far above any real one on Linux (pid_max is at most 2^22).
const DEAD = 2 ** 22 + 12345;
const deadOwner = { pid: DEAD, host: os.hostname() };

describe('engineTimeMs', () => {
  it('reads Go RFC 3339 timestamps to the microsecond, trailing zeros dropped or not', () => {
    const base = Date.parse('2026-11-30T17:34:41Z');
    expect(engineTimeMs('2026-11-30T17:34:41.677724035Z')).toBeCloseTo(base + 677.724035, 5);
    expect(engineTimeMs('2026-11-30T17:34:41.91371508Z')).toBeCloseTo(base + 913.71508, 5);
    expect(engineTimeMs('2026-11-30T17:34:41.5Z')).toBeCloseTo(base + 500, 6);
    expect(engineTimeMs('2026-11-30T17:34:41Z')).toBe(base);
    expect(engineTimeMs('2026-11-30T18:34:41.25+01:00')).toBeCloseTo(base + 250, 6);
  });
  it('says NaN for the zero time and for text that is not a timestamp', () => {
    expect(engineTimeMs('0001-01-01T00:00:00Z')).toBeNaN();
    expect(engineTimeMs('yesterday')).toBeNaN();
    expect(engineTimeMs(undefined)).toBeNaN();
  });
});

/** A task as GET /tasks returns it. */
function task(id: string, state: string, at: string, extra: Record<string, unknown> = {}) {
  return { ID: id, Slot: Number(id.replace(/\D/g, '')) || 1, CreatedAt: '2026-11-30T10:00:00.000000000Z', DesiredState: 'running', Status: { State: state, Timestamp: at }, ...extra };
}
const at = (ms: number) => new Date(Date.parse('2026-11-30T10:00:00Z') + ms).toISOString();

describe('TaskTracker', () => {
  it('builds a timeline from what successive polls saw, each state at its engine timestamp', () => {
    const tr = new TaskTracker();
    tr.observe([task('t1', 'pending', at(3))], 10);
    tr.observe([task('t1', 'assigned', at(60))], 30);
    tr.observe([task('t1', 'assigned', at(60))], 50); // seen again: keeps the first sighting
    tr.observe([task('t1', 'preparing', at(200))], 250);
    tr.observe([task('t1', 'running', at(900), { Status: { State: 'running', Timestamp: at(900), ContainerStatus: { ContainerID: 'c1' } } })], 950);
    const [t] = tr.timelines(undefined, new Map([['c1', { created: Date.parse(at(210)), started: Date.parse(at(800)) }]]));
    expect(t.marks.map((m) => m.name)).toEqual(['new', 'pending', 'assigned', 'preparing', 'containerCreated', 'containerStarted', 'running']);
    expect(t.marks.map((m) => m.ms)).toEqual([0, 3, 60, 200, 210, 800, 900]);
    expect(t.marks.find((m) => m.name === 'assigned')?.seenMs).toBe(30);
    expect(t.missed).toEqual(['accepted', 'ready', 'starting']);
    expect(timelineIssues(t)).toEqual([]);
    expect(tr.counts()).toEqual({ wanted: 1, running: 1 });
  });

  it('keeps states the engine stamped with one timestamp in their order', () => {
    const tr = new TaskTracker();
    tr.observe([task('t1', 'assigned', at(60))], 1);
    tr.observe([task('t1', 'accepted', at(60))], 2); // the agent's accepted kept the scheduler's timestamp
    tr.observe([task('t1', 'running', at(90))], 3);
    const [t] = tr.timelines();
    expect(t.marks.map((m) => m.name)).toEqual(['new', 'assigned', 'accepted', 'running']);
    expect(timelineIssues(t)).toEqual([]);
  });

  it('reports failed tasks with the engine\'s reason, and why others wait', () => {
    const tr = new TaskTracker();
    tr.observe([task('t1', 'rejected', at(5), { Status: { State: 'rejected', Timestamp: at(5), Err: 'No such image: x' } }), task('t2', 'pending', at(3), { Status: { State: 'pending', Timestamp: at(3), Err: 'no suitable node' } })], 1);
    expect(tr.failures()).toEqual([{ id: 't1', state: 'rejected', err: 'No such image: x', message: undefined }]);
    expect(tr.waiting()).toContain('pending: no suitable node');
  });

  it('counts only tasks meant to run, and times a scale-out on its new tasks', () => {
    const tr = new TaskTracker();
    tr.observe([task('t1', 'running', at(100)), task('t2', 'running', at(120))], 1);
    const before = new Set(tr.ids());
    const mine = (id: string) => !before.has(id);
    const t3 = { ...task('t3', 'running', at(5000)), CreatedAt: at(4000) };
    const old = { ...task('t0', 'shutdown', at(10)), DesiredState: 'shutdown' };
    tr.observe([task('t1', 'running', at(100)), task('t2', 'running', at(120)), t3, old], 2);
    expect(tr.counts()).toEqual({ wanted: 3, running: 3 });
    expect(tr.timelines(mine).map((t) => t.id)).toEqual(['t0', 't3']);
    const span = tr.span((id) => id === 't3');
    expect(span.lastRunning - span.firstCreated).toBe(1000);
  });

  it('ignores what is not a task', () => {
    const tr = new TaskTracker();
    tr.observe([{ nope: true }, null, task('t1', 'running', at(1))], 1);
    expect(tr.ids()).toEqual(['t1']);
  });
});

describe('timelineIssues', () => {
  const tl = (marks: [string, number][]): TaskTimeline => ({ id: 'x', createdAt: at(0), marks: marks.map(([name, ms]) => ({ name, ms })), missed: [] });
  it('flags states out of swarmkit order, time going back, and a task never running', () => {
    expect(timelineIssues(tl([['new', 0], ['assigned', 5], ['pending', 6], ['running', 9]]))).toContain('pending came after assigned');
    expect(timelineIssues(tl([['new', 0], ['assigned', 5], ['running', 4]])).join()).toMatch(/running .* is before assigned/);
    expect(timelineIssues(tl([['new', 0], ['assigned', 5]]))).toContain('not running');
    expect(timelineIssues(tl([['new', 0], ['running', 5], ['containerStarted', 6]]))).toContain('running was reported before the container started');
  });
});

describe('decideSwarm', () => {
  const info = (o: Partial<SwarmInfo>): SwarmInfo => ({ LocalNodeState: 'inactive', NodeID: '', ControlAvailable: false, Error: '', ...o });
  it('creates a swarm only with consent', () => {
    const refused = decideSwarm(info({}), false, 'unix:///x.sock');
    expect(refused.action).toBe('refuse');
    const err = (refused as { error: Error }).error;
    expect(err).toBeInstanceOf(SwarmNeedsConsentError);
    expect(isSwarmNeedsConsent(err.message)).toBe(true);
    expect(decideSwarm(info({}), true, 'e')).toEqual({ action: 'create' });
  });
  it("uses a manager's swarm as it is, and refuses a worker, a locked or a broken one", () => {
    expect(decideSwarm(info({ LocalNodeState: 'active', ControlAvailable: true, NodeID: 'n1' }), false, 'e')).toEqual({ action: 'use', nodeId: 'n1' });
    const worker = decideSwarm(info({ LocalNodeState: 'active', ControlAvailable: false }), true, 'e');
    expect((worker as { error: Error }).error.message).toMatch(/^swarm-not-manager:/);
    expect((decideSwarm(info({ LocalNodeState: 'locked' }), true, 'e') as { error: Error }).error.message).toMatch(/swarm unlock/);
    expect((decideSwarm(info({ LocalNodeState: 'error', Error: 'boom' }), true, 'e') as { error: Error }).error.message).toMatch(/boom/);
  });
});

describe('what isolab asks the engine for', () => {
  it('a service whose image is an ID (no registry), on the host network, pinned to this node, labelled', () => {
    const spec = serviceSpec({ name: 'isolab-x-r1', runId: 'run1', imageId: 'sha256:abc', replicas: 3, nodeId: 'node1' });
    const c = (spec.TaskTemplate as Docker.ContainerTaskSpec | undefined)?.ContainerSpec;
    expect(c?.Image).toBe('sha256:abc');
    expect(c?.Command).toEqual(SWARM_COMMAND);
    expect(c?.Labels).toMatchObject({ 'isolab.managed': 'true', 'isolab.owner-pid': String(process.pid), 'isolab.run': 'run1', 'isolab.swarm.role': 'task' });
    expect(spec.Labels).toMatchObject({ 'isolab.managed': 'true', 'isolab.swarm.role': 'service' });
    expect(spec.TaskTemplate?.Networks).toEqual([{ Target: 'host' }]);
    expect(spec.TaskTemplate?.Placement?.Constraints).toEqual(['node.id==node1']);
    expect(spec.TaskTemplate?.RestartPolicy?.Condition).toBe('none');
    expect(spec.Mode?.Replicated?.Replicas).toBe(3);
    expect(spec.EndpointSpec?.Ports ?? []).toEqual([]);
  });
  it('a swarm on 127.0.0.1 only, on a free port, labelled as isolab\'s; a bridge with Docker\'s options, labelled', () => {
    const init = initRequest('run1') as { ListenAddr: string; AdvertiseAddr: string; DataPathAddr: string; Spec: { Labels: Record<string, string> } };
    expect([init.ListenAddr, init.AdvertiseAddr, init.DataPathAddr]).toEqual(['127.0.0.1:0', '127.0.0.1', '127.0.0.1']);
    expect(init.Spec.Labels['isolab.swarm.role']).toBe('swarm');
    const bridge = gwbridgeRequest('run1');
    expect(bridge.Name).toBe('docker_gwbridge');
    expect(bridge.Options?.['com.docker.network.bridge.name']).toBe('docker_gwbridge');
    expect(bridge.Labels?.['isolab.swarm.role']).toBe('gwbridge');
  });
  it('labels that the sweep claims only from a dead owner, and only in their role', () => {
    expect(orphanedAs(swarmLabels('r', 'service', deadOwner), 'service')).toBe(true);
    expect(orphanedAs(swarmLabels('r', 'service', deadOwner), 'swarm')).toBe(false);
    expect(orphanedAs(swarmLabels('r', 'service'), 'service')).toBe(false);
    expect(orphanedAs(swarmLabels('r', 'swarm', { pid: DEAD, host: 'another-host' }), 'swarm')).toBe(false);
    expect(orphanedAs(undefined, 'swarm')).toBe(false);
  });
});

describe('SwarmRequest', () => {
  it('takes defaults and refuses a scale-out that does not grow', () => {
    expect(SwarmRequest.parse({})).toMatchObject({ replicas: 3, rounds: 3, warmup: 1, bare: true, createSwarm: false, pollMs: 20 });
    expect(SwarmRequest.safeParse({ replicas: 3, scaleTo: 3 }).success).toBe(false);
    expect(SwarmRequest.safeParse({ replicas: 0 }).success).toBe(false);
  });
});

function phase(kind: 'create' | 'scale', isolabMs: number, perTask: number[]): ServicePhase {
  return {
    kind,
    from: 0,
    to: perTask.length,
    callMs: 20,
    isolabMs,
    engineMs: isolabMs - 50,
    polls: 10,
    tasks: perTask.map((ms, i) => ({
      id: `t${i}`,
      createdAt: at(0),
      marks: [
        { name: 'new', ms: 0 },
        { name: 'assigned', ms: 50 },
        { name: 'preparing', ms: 100 },
        { name: 'running', ms },
      ],
      missed: ['pending', 'accepted', 'ready', 'starting'],
    })),
  };
}

function roundOf(index: number, warmup: boolean, serviceMs: number, bareMs: number): SwarmRound {
  return {
    index,
    warmup,
    order: ['bare', 'service'],
    service: { id: 's', name: 's', create: phase('create', serviceMs, [serviceMs - 100, serviceMs - 80]), scale: phase('scale', serviceMs * 2, [serviceMs]), cleanup: { callMs: 10, stoppedMs: 500, isolabMs: 900, containers: 2 } },
    bare: { n: 2, isolabMs: bareMs, containers: [{ createMs: 10, startMs: bareMs, engineMs: bareMs / 2 }, { createMs: 12, startMs: bareMs, engineMs: bareMs / 2 }], cleanup: { callMs: 300, isolabMs: 300, containers: 2 } },
  };
}

describe('summarizeSwarm', () => {
  it('summarises the timed rounds only, with ratios of service over bare containers on each clock', () => {
    const rounds = [roundOf(1, true, 99_000, 1), roundOf(2, false, 2000, 1000), roundOf(3, false, 2200, 1100), roundOf(4, false, 2100, 1050)];
    const s = summarizeSwarm(rounds)!;
    expect(s.service.allRunning.n).toBe(3);
    expect(s.service.allRunning.median).toBe(2100);
    expect(s.service.taskCreateToRunning.n).toBe(6);
    expect(s.service.stages.orchestrate.median).toBe(50);
    expect(s.service.stages.dispatch.median).toBe(50);
    expect(s.service.stages.start).toBeUndefined(); // starting was never seen
    expect(s.scale?.allRunning.median).toBe(4200);
    expect(s.cleanup.median).toBe(900);
    expect(s.cleanupStopped?.median).toBe(500);
    expect(s.ratios?.allRunning.ratio).toBeCloseTo(2);
    expect(s.ratios?.perInstance.ratio).toBeCloseTo(2010 / 525) // task medians 2000 and 2020; bare 525;
    expect(s.ratios?.cleanup.ratio).toBeCloseTo(3);
  });
  it('has nothing to say before a create phase finished', () => {
    expect(summarizeSwarm([{ index: 1, warmup: false, order: ['service'] }])).toBeUndefined();
  });
});

describe('the CLI words', () => {
  it('asks for consent naming the flag, and prints each figure with its clock', () => {
    expect(consentText('unix:///var/run/docker.sock')).toMatch(/--create-swarm/);
    const rounds = [roundOf(1, false, 2000, 1000), roundOf(2, false, 2200, 1100)];
    const doc = SwarmDoc.parse({
      schema: SWARM_SCHEMA,
      id: 'x',
      model: 'swarm',
      status: 'complete',
      startedAt: at(0),
      request: { replicas: 2, scaleTo: 3, rounds: 2, warmup: 0 },
      environment: {},
      network: 'host',
      rounds,
      summary: summarizeSwarm(rounds),
      notes: [note('states-missed', { missed: 8, tasks: 6, pollMs: 20 })],
    });
    const text = formatSwarm(doc);
    expect(text).toMatch(/service create → all 2 tasks running .*\(isolab clock\)/);
    expect(text).toMatch(/task created → running .*\(engine clock\)/);
    expect(text).toMatch(/all 2 running +× +2\.\d\d/);
    expect(text).toMatch(/8 task state\(s\) over 6 task\(s\)/);
    expect(cliNote({ code: 'unknown-code', params: {}, text: '' })).toBe('unknown-code');
  });
});
