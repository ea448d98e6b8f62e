/**
 * Ctrl+C or SIGTERM cancels the work in hand: `signal` aborts (the engine then removes what it created) after
 * the message is printed. `dispose()` stops listening once the work is over.
 */
export function cancelOnSignal(message: string): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const stop = () => {
    process.stderr.write(`\n${message}\n`);
    abort.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
