/**
 * The Lab API's method names and IPC channels, without zod, for the preload (a sandboxed script that should
 * carry nothing it does not use). test/unit/api-channels.test.ts keeps this list equal to `labMethods`.
 */
export const LAB_METHOD_NAMES = [
  'info', 'startBench', 'cancelJob', 'cancelRun', 'listRuns', 'scanRuns', 'getRun', 'deleteRun',
  'listHosts', 'saveHost', 'removeHost', 'testHost', 'acceptHostKey', 'startHostBench', 'startFleet', 'listHostRuns', 'forgetPassphrase', 'listFleets', 'saveFleet', 'removeFleet',
  'startSwarm', 'listSwarm', 'getSwarm',
  'startCompare', 'listComparisons', 'getComparison', 'cancelCompare', 'deleteComparison', 'exportRun', 'importRuns', 'report',
  'tradeoffs', 'isolationFacts', 'startRace', 'cancelRace', 'raceState', 'densityDemo', 'workshopKernels', 'setWorkshopDemo', 'workshopView',
] as const;

export type LabMethodChannelName = (typeof LAB_METHOD_NAMES)[number];

/** The IPC channel of a method, shared by main and preload so the two cannot drift apart. */
export const ipcChannel = (method: string) => `isolab:${method}`;
export const IPC_EVENT_CHANNEL = 'isolab:event';

/**
 * What browser mode's audience token (`isolab serve --audience`) may call: the workshop's state, the results
 * the read-only pages show, and the engine's status. Nothing that acts, nothing about SSH hosts; `info` comes
 * back without the data directory (electron/audience.ts). The server refuses every other method.
 */
export const AUDIENCE_METHODS = [
  'info', 'listRuns', 'scanRuns', 'getRun', 'listComparisons', 'getComparison', 'exportRun', 'tradeoffs', 'raceState', 'workshopView',
  'listSwarm', 'getSwarm',
] as const satisfies readonly LabMethodChannelName[];

/**
 * The events the audience's pages follow: a local run's progress, the race, the presenter's demo. Host
 * progress (SSH targets, fleet messages) and any event added later stay with the presenter unless listed here.
 */
export const AUDIENCE_EVENTS = [
  'run-started', 'progress', 'run-finished', 'compare-progress', 'compare-figure', 'compare-finished', 'race-started', 'race-mark', 'race-finished', 'workshop-view',
  'swarm-progress', 'swarm-finished',
] as const;
