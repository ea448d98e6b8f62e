import { describe, expect, it } from 'vitest';
import { applyRaceEvent, fitsIn, RaceRequest, summarizeMarks, type RaceMark } from '../../../shared/learn/race';

const marks: RaceMark[] = [
  { lane: 'vm', phase: 'spawn', atMs: 5 },
  { lane: 'c1', phase: 'ready', atMs: 300 },
  { lane: 'c2', phase: 'ready', atMs: 500 },
  { lane: 'c3', phase: 'ready', atMs: 400 },
  { lane: 'c1', phase: 'remove', atMs: 600 },
  { lane: 'c2', phase: 'remove', atMs: 700 },
  { lane: 'c3', phase: 'remove', atMs: 650 },
  { lane: 'vm', phase: 'ssh', atMs: 450 },
];

describe('summarizeMarks', () => {
  it('gives the containers\' median and max ready, when all were done, and how many beat the VM', () => {
    expect(summarizeMarks(marks, 3)).toEqual({
      containers: 3,
      containerReadyMedianMs: 400,
      containerReadyMaxMs: 500,
      containersDoneMs: 700,
      vmSshMs: 450,
      containersReadyBeforeVm: 2,
    });
  });
  it('leaves out what has not happened yet', () => {
    const s = summarizeMarks(marks.slice(0, 3), 3);
    // Two of three ready: no median yet (it would only count the fastest).
    expect(s.containerReadyMedianMs).toBeUndefined();
    expect(s.containerReadyMaxMs).toBeUndefined();
    expect(s.containersDoneMs).toBeUndefined();
    expect(s.vmSshMs).toBeUndefined();
  });
});

describe('applyRaceEvent', () => {
  it('builds the same state from the events as the engine keeps, and ignores another race\'s events', () => {
    let s = applyRaceEvent(undefined, { type: 'race-started', raceId: 'race-1', containers: 2, startedAt: 't' });
    s = applyRaceEvent(s, { type: 'race-mark', raceId: 'race-1', lane: 'c1', phase: 'ready', atMs: 10 });
    s = applyRaceEvent(s, { type: 'race-mark', raceId: 'race-0', lane: 'c1', phase: 'ready', atMs: 99 });
    s = applyRaceEvent(s, { type: 'progress', raceId: 'race-1' });
    expect(s!.marks).toEqual([{ lane: 'c1', phase: 'ready', atMs: 10 }]);
    s = applyRaceEvent(s, { type: 'race-finished', raceId: 'race-1', status: 'complete', summary: { containers: 2 } });
    expect(s!.status).toBe('complete');
    expect(s!.summary).toEqual({ containers: 2 });
  });
});

describe('fitsIn', () => {
  it('counts whole instances and refuses a missing or zero cost', () => {
    expect(fitsIn(1024, 300)).toBe(3);
    expect(fitsIn(1024, 0)).toBeUndefined();
    expect(fitsIn(1024, undefined)).toBeUndefined();
  });
});

describe('what races', () => {
  it('defaults to the engine\'s runtime against the full VM, takes runsc and the microVM, refuses a hostile runtime name', () => {
    expect(RaceRequest.parse({})).toEqual({ containers: 8, memoryMiB: 256, machine: 'q35' });
    expect(RaceRequest.parse({ runtime: 'runsc', machine: 'microvm' })).toMatchObject({ runtime: 'runsc', machine: 'microvm' });
    expect(RaceRequest.safeParse({ runtime: '../../bin/sh' }).success).toBe(false);
    expect(RaceRequest.safeParse({ runtime: '-v' }).success).toBe(false);
    expect(RaceRequest.safeParse({ machine: 'pc' }).success).toBe(false);
  });
});
