// Zod-free, so the run page can recognise the refusal without loading the contract's schemas (shared/jobs.ts
// re-exports both for the engine).

/** The code of the refusal to delete a document whose job is still under way (faces match on it). */
export const JOB_RUNNING = 'job-running';

/** True for an error (or its text, as it arrives across IPC, which prefixes it, or the WebSocket) that is this refusal. */
export function isJobRunning(err: unknown): boolean {
  const message = (err as Error)?.message ?? String(err);
  return message.includes(`${JOB_RUNNING}:`);
}
