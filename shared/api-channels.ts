/**
 * The Lab API's method names and IPC channels, without zod, for the preload (a sandboxed script that should
 * carry nothing it does not use). test/unit/api-channels.test.ts keeps this list equal to `labMethods`.
 */
export const LAB_METHOD_NAMES = [
  'info', 'startBench', 'cancelRun', 'listRuns', 'getRun', 'deleteRun',
  'listHosts', 'saveHost', 'removeHost', 'testHost', 'acceptHostKey', 'startHostBench', 'startFleet', 'listHostRuns', 'forgetPassphrase',
  'startCompare', 'listComparisons', 'getComparison', 'exportRun',
  'tradeoffs', 'isolationFacts', 'startRace', 'cancelRace', 'raceState', 'densityDemo', 'workshopKernels', 'setWorkshopDemo', 'workshopView',
] as const;

export type LabMethodChannelName = (typeof LAB_METHOD_NAMES)[number];

/** The IPC channel of a method, shared by main and preload so the two cannot drift apart. */
export const ipcChannel = (method: string) => `isolab:${method}`;
export const IPC_EVENT_CHANNEL = 'isolab:event';
